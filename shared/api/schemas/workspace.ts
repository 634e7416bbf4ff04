/**
 * Engagements, hosts and host keys as they cross the API. The store keeps its own row types; these are the shapes
 * the UI sees and sends. Types are inferred from the schemas so the two cannot drift.
 */
import { z } from 'zod';
import { IdSchema, PagingSchema, TimestampSchema, textInput } from './common.js';
import { portError, textError } from './sentences.js';
import { RUN_PRIVILEGES } from '../../model/workspace.js';

// ---- engagements ----

export const EngagementSchema = z.object({
  id: IdSchema,
  name: z.string(),
  customer: z.string().nullable(),
  description: z.string().nullable(),
  createdAt: TimestampSchema,
  /** Set when archived; archived engagements are read-only and hidden from the default list. */
  archivedAt: TimestampSchema.nullable(),
});
export type Engagement = z.infer<typeof EngagementSchema>;

export const EngagementCreateSchema = z.strictObject({
  name: textInput(200, 'Engagement name'),
  customer: textInput(200, 'Customer').optional(),
  description: textInput(4000, 'Description').optional(),
});
export type EngagementCreate = z.infer<typeof EngagementCreateSchema>;

// ---- hosts ----

const HOSTNAME = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?$/;

/** DNS name, IPv4 or IPv6 address. Never starts with `-`, so it can never be read as an option. */
const addressError = textError('Address', 'be a host name or an IP address');
export const AddressSchema = z
  .string({ error: addressError })
  .trim()
  .min(1, { error: addressError })
  .max(253, { error: addressError })
  .refine((s) => HOSTNAME.test(s) || IPV6.test(s), { error: addressError });

/** Login name on the target (POSIX names, plus `@` for directory users such as `jdoe@corp.example`). */
const loginError = textError('User', 'be a login name: letters, digits and _ . @ -');
export const LoginSchema = z
  .string({ error: loginError })
  .trim()
  .min(1, { error: loginError })
  .max(64, { error: loginError })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.@-]*\$?$/, { error: loginError });

export const PortSchema = z
  .number({ error: portError })
  .int({ error: portError })
  .min(1, { error: portError })
  .max(65535, { error: portError });

/** OpenSSH-style SHA-256 fingerprint: `SHA256:` and 43 base64 characters without padding. */
const fingerprintError = textError('Fingerprint', 'be SHA256: followed by 43 base64 characters');
export const FingerprintSchema = z
  .string({ error: fingerprintError })
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, { error: fingerprintError });

const pathSchema = (label: string) => {
  const error = textError(label, 'not contain a NUL character');
  return z
    .string({ error })
    .min(1, { error })
    .max(4096, { error })
    .refine((s) => !s.includes('\0'), { error });
};

/** Mirrors `AuthMethod` in shared/model/target.ts. Secrets are never part of it. */
export const AuthMethodSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('key'), keyPath: pathSchema('Private key file') }),
  z.strictObject({ type: z.literal('agent'), socket: pathSchema('Agent socket').optional() }),
  z.strictObject({ type: z.literal('password') }),
]);

export const PrivilegeSchema = z.enum(['auto', 'none', 'sudo']);

const TagsSchema = z.array(textInput(64, 'Tag')).max(32, { error: 'At most 32 tags can be given.' });

/** Fields a user gives for a host (add, import). Defaults: port 22, agent auth, privilege auto. */
export const HostInputSchema = z.strictObject({
  /** Display name, unique within the engagement (inventory name, or the address). */
  name: textInput(200, 'Host name'),
  address: AddressSchema,
  port: PortSchema.default(22),
  user: LoginSchema,
  auth: AuthMethodSchema.default({ type: 'agent' }),
  /** Another host of the same engagement used as jump host (ProxyJump). */
  jumpHostId: IdSchema.nullable().default(null),
  privilege: PrivilegeSchema.default('auto'),
  tags: TagsSchema.default([]),
  notes: textInput(4000, 'Notes').nullable().default(null),
});
export type HostInput = z.input<typeof HostInputSchema>;
export type HostDraft = z.output<typeof HostInputSchema>;

/** Changes to a host: any subset of the input fields, no defaults applied. */
export const HostChangesSchema = z
  .strictObject({
    name: textInput(200, 'Host name'),
    address: AddressSchema,
    port: PortSchema,
    user: LoginSchema,
    auth: AuthMethodSchema,
    jumpHostId: IdSchema.nullable(),
    privilege: PrivilegeSchema,
    tags: TagsSchema,
    notes: textInput(4000, 'Notes').nullable(),
  })
  .partial()
  .refine((c) => Object.keys(c).length > 0, { error: 'Give at least one field to change.' });
export type HostChanges = z.infer<typeof HostChangesSchema>;

/** A host as parsed from an inventory file, before it is stored. */
export const HostDraftSchema = z.object({
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  user: z.string(),
  auth: AuthMethodSchema,
  jumpHostId: IdSchema.nullable(),
  privilege: PrivilegeSchema,
  tags: z.array(z.string()),
  notes: z.string().nullable(),
});

export const HostSchema = HostDraftSchema.extend({
  id: IdSchema,
  engagementId: IdSchema,
  /** Fingerprint the user accepted or pinned; scans refuse any other key. Null until the first acceptance. */
  pinnedFingerprint: FingerprintSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Host = z.infer<typeof HostSchema>;

/** How a host's latest run that reached it ran: root, sudo or none (unprivileged), and when that run ended. */
export const HostLastPrivilegeSchema = z.object({
  hostId: IdSchema,
  privilege: z.enum(RUN_PRIVILEGES),
  finishedAt: TimestampSchema.nullable(),
});
export type HostLastPrivilege = z.infer<typeof HostLastPrivilegeSchema>;

/** Most hosts one host.list reply carries (about 350 bytes each as JSON): an engagement is read in pages. */
export const MAX_HOST_PAGE = 1000;

export const HostListInputSchema = z.strictObject({
  engagementId: IdSchema,
  /** Which hosts, in name order; the first MAX_HOST_PAGE when not given. */
  paging: PagingSchema.default({ offset: 0, limit: MAX_HOST_PAGE }),
});

export const HostPageSchema = z.object({
  /** The page's hosts, by name. */
  hosts: z.array(HostSchema),
  /** How the page's hosts last ran (only hosts with such a run). */
  lastPrivileges: z.array(HostLastPrivilegeSchema),
  /** Jump hosts the page's hosts name that are not on the page, so every jump can be shown by name. */
  jumpHosts: z.array(z.object({ id: IdSchema, name: z.string() })),
  /** Hosts of the engagement in all. */
  total: z.number().int().min(0),
  /** Hosts of the engagement with an accepted (pinned) host key, in all. */
  pinned: z.number().int().min(0),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1),
});
export type HostPage = z.infer<typeof HostPageSchema>;

export const IMPORT_SOURCES = ['csv', 'ansible-ini', 'ansible-yaml', 'ssh_config'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** Largest inventory accepted in one import (characters). */
export const MAX_IMPORT_CHARS = 4 * 1024 * 1024;
/** Most hosts one import may add: a file that holds more is refused whole (split it), nothing stored. */
export const MAX_IMPORT_HOSTS = 10_000;
/** Most problems an import reply lists; the last entry then says how many more there were. */
export const MAX_IMPORT_ERRORS = 1000;
/** Most hosts an import reply lists (parsed, and added); the counts say how many there are in all. */
export const MAX_IMPORT_LISTED = 1000;

export const HostImportInputSchema = z.strictObject({
  engagementId: IdSchema,
  source: z.enum(IMPORT_SOURCES),
  /** The file's text. */
  content: z.string().max(MAX_IMPORT_CHARS),
  /** Parse and report only; store nothing. */
  dryRun: z.boolean().default(false),
  /** Name of the file the content came from, for the messages ("hosts.csv:4: …"); the source's name otherwise. */
  fileName: textInput(255, 'File name').optional(),
});

export const ImportLineErrorSchema = z.object({
  /** 1-based line in the content; null when the problem is not tied to one line. */
  line: z.number().int().min(1).nullable(),
  message: z.string(),
});

export const HostImportResultSchema = z.object({
  /** The hosts parsed without error, in file order: the first MAX_IMPORT_LISTED of them. */
  hosts: z.array(HostDraftSchema),
  /** Hosts parsed without error in all (what a real import adds). */
  hostCount: z.number().int().min(0),
  /** Hosts stored by this call (empty on a dry run), in file order: the first MAX_IMPORT_LISTED of them. */
  added: z.array(HostSchema),
  /** Hosts stored by this call in all. */
  addedCount: z.number().int().min(0),
  /** At most MAX_IMPORT_ERRORS (+1 saying how many more were not listed). */
  errors: z.array(ImportLineErrorSchema),
});

// ---- host keys ----

export const HOST_KEY_STATUSES = ['match', 'mismatch', 'unknown', 'revoked'] as const;

export const HostKeyProbeSchema = z.object({
  hostId: IdSchema,
  /** Key algorithm the host presented (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...). */
  algorithm: z.string(),
  /** Fingerprint of the presented key. */
  fingerprint: FingerprintSchema,
  /**
   * match: equals a pinned or known key; mismatch: a key is known for this host and this is not it (possible
   * interception: hard stop); unknown: nothing known yet (accept after checking it out of band); revoked: marked
   * @revoked in a known_hosts file.
   */
  status: z.enum(HOST_KEY_STATUSES),
  /** Fingerprints known for the host (pinned first, then known_hosts), to show next to the presented one. */
  expected: z.array(FingerprintSchema),
});
export type HostKeyProbe = z.infer<typeof HostKeyProbeSchema>;

export const HostKeyAcceptanceSchema = z.object({
  hostId: IdSchema,
  fingerprint: FingerprintSchema,
  acceptedAt: TimestampSchema,
});
