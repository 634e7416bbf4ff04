/**
 * People of a workspace: who uses the workstation (origin `local`, their encrypted private key kept here) and
 * colleagues whose public key was imported (origin `imported`, for reviews made elsewhere). A person signs with an
 * Ed25519 key; the fingerprint is `SHA256:` and the unpadded base64 of the SHA-256 of the public key (SPKI DER).
 * The one definition: the store, the services and the API contract use this schema; the type is inferred from it.
 */
import { z } from 'zod';

export const PERSON_ORIGINS = ['local', 'imported'] as const;
export type PersonOrigin = (typeof PERSON_ORIGINS)[number];

export const PersonSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  email: z.string(),
  /** Ed25519 public key, SPKI PEM. */
  publicKey: z.string(),
  fingerprint: z.string(),
  origin: z.enum(PERSON_ORIGINS),
  createdAt: z.string(),
});
export type Person = z.infer<typeof PersonSchema>;
