/**
 * Secrets kept between runs, as they cross the API. A secret goes in (secret.remember) and never comes back out:
 * the status names which purposes are stored for which host, never a value.
 */
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/** `login`: the password (password auth) or the key's passphrase (key auth); `sudo`: the sudo password. */
export const SECRET_PURPOSES = ['login', 'sudo'] as const;
export type SecretPurpose = (typeof SECRET_PURPOSES)[number];
export const SecretPurposeSchema = z.enum(SECRET_PURPOSES);

/** One stored secret, without its value. */
export const StoredSecretSchema = z.object({
  hostId: IdSchema,
  purpose: SecretPurposeSchema,
  storedAt: TimestampSchema,
  /** Who stored it (the OS user name of the workstation). */
  storedBy: z.string(),
});
export type StoredSecret = z.infer<typeof StoredSecretSchema>;

export const SecretStatusSchema = z.object({
  /** Whether secrets can be stored on this machine (same as app.info's secretStorage). */
  persistent: z.boolean(),
  /** One sentence saying why or why not. */
  detail: z.string(),
  /** Stored secrets of the engagement's hosts, by host id then purpose. */
  stored: z.array(StoredSecretSchema),
});
export type SecretStatus = z.infer<typeof SecretStatusSchema>;

export const SecretRememberInputSchema = z.strictObject({
  hostId: IdSchema,
  purpose: SecretPurposeSchema,
  secret: z.string().min(1).max(4096),
});

export const SecretForgetInputSchema = z.strictObject({
  hostId: IdSchema,
  /** Only this purpose; both when left out. */
  purpose: SecretPurposeSchema.optional(),
});

export const SecretForgetResultSchema = z.object({
  hostId: IdSchema,
  /** The purposes that were stored and are gone now (empty when nothing was stored). */
  forgotten: z.array(SecretPurposeSchema),
});
