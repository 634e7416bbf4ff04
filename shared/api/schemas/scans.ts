/** Scans and host runs as they cross the API, plus the progress states pushed as events. */
import { z } from 'zod';
import {
  ErrorInfoSchema,
  FamilySchema,
  IdSchema,
  SeveritySchema,
  TimestampSchema,
  VerdictCountsSchema,
  textInput,
} from './common.js';
import { TARGET_IDENTITY_LIMITS } from '../../model/identity.js';
import {
  ACTIVE_HOST_RUN_STATES,
  HOST_RUN_SOURCES,
  HOST_RUN_STATES,
  RUN_PRIVILEGES,
  type HostRun,
  type HostRunState,
} from '../../model/workspace.js';
import { MAX_DEADLINE_SECONDS, deadlineSentence } from '../deadline.js';

/**
 * State of one host's run within a scan: the store's list (shared/model/workspace.ts), pushed in `scan.progress`
 * events in order. `interrupted`: the application stopped while the run was going (found at the next start);
 * never pushed as an event.
 */
export { HOST_RUN_STATES, type HostRunState };
export const HostRunStateSchema = z.enum(HOST_RUN_STATES);
/** The states a run goes through before it ends; a failed, cancelled or interrupted run stopped in one of them. */
export const ActiveHostRunStateSchema = z.enum(ACTIVE_HOST_RUN_STATES);

/** Number of host runs in each state (every state present, zero or more). */
export const HostRunStateCountsSchema = z.object(
  Object.fromEntries(HOST_RUN_STATES.map((s) => [s, z.number().int().min(0)])) as Record<
    HostRunState,
    z.ZodNumber
  >,
);
export type HostRunStateCounts = z.infer<typeof HostRunStateCountsSchema>;

/** What the target says it is (see shared/model/identity.ts); hostile text, render as text. */
export const TargetIdentitySchema = z.object({
  hostname: z.string().max(TARGET_IDENTITY_LIMITS.hostname).optional(),
  osRelease: z.string().max(TARGET_IDENTITY_LIMITS.osRelease).optional(),
  kernel: z.string().max(TARGET_IDENTITY_LIMITS.kernel).optional(),
  sshBanner: z.string().max(TARGET_IDENTITY_LIMITS.sshBanner).optional(),
  sshBannerTruncated: z.boolean().optional(),
  sshServer: z.string().max(TARGET_IDENTITY_LIMITS.sshServer).optional(),
});

/**
 * A scan is `done` when every host run ended, whatever each run's outcome; `failed` only when it could not run at
 * all; `interrupted` when the application stopped while it ran.
 */
export const SCAN_STATES = ['running', 'done', 'cancelled', 'failed', 'interrupted'] as const;
export type ScanState = (typeof SCAN_STATES)[number];
export const ScanStateSchema = z.enum(SCAN_STATES);

/** A check id as inputs give it (a kebab-case slug). */
export const CheckIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'check id (kebab-case slug) expected');

/** Which checks a scan runs. Empty selection: the whole catalogue. Filters combine with AND. */
export const CheckSelectionSchema = z.strictObject({
  /** A named profile of the catalogue (e.g. `baseline`). */
  profile: textInput(100, 'Profile').optional(),
  checkIds: z.array(CheckIdSchema).max(5000).optional(),
  families: z.array(FamilySchema).max(8).optional(),
  areas: z.array(CheckIdSchema).max(100).optional(),
  /** Only checks at or above this severity. */
  minSeverity: SeveritySchema.optional(),
});
export type CheckSelection = z.infer<typeof CheckSelectionSchema>;

/**
 * A secret for one host of this scan only: held in memory while the scan runs, never stored, never logged, never
 * sent back. `login`: password (password auth) or key passphrase (key auth); `sudo`: the sudo password.
 */
export const ScanCredentialSchema = z.strictObject({
  hostId: IdSchema,
  purpose: z.enum(['login', 'sudo']),
  secret: z.string().min(1).max(4096),
});
export type ScanCredential = z.infer<typeof ScanCredentialSchema>;

export { MAX_DEADLINE_SECONDS, deadlineSentence };
const deadlineError = (iss: { input?: unknown }): string => deadlineSentence(iss.input);

export const ScanStartInputSchema = z.strictObject({
  engagementId: IdSchema,
  hostIds: z.array(IdSchema).min(1).max(1000),
  selection: CheckSelectionSchema.default({}),
  /**
   * Secrets asked for at scan start (see ScanCredentialSchema); they win over secrets stored with secret.remember.
   * A host that needs one and has none given or stored fails alone.
   */
  credentials: z.array(ScanCredentialSchema).max(2000).default([]),
  /**
   * Seconds each host may take in all (connection, collection, evaluation); past it that host fails alone with a
   * timeout and the others go on. Default 300.
   */
  deadlineSeconds: z
    .number({ error: deadlineError })
    .int({ error: deadlineError })
    .min(1, { error: deadlineError })
    .max(MAX_DEADLINE_SECONDS, { error: deadlineError })
    .optional(),
});
export type ScanStartInput = z.infer<typeof ScanStartInputSchema>;

/** Most failures a scan summary lists by name. */
export const SCAN_FAILURES_LISTED = 20;

export const ScanSummarySchema = z.object({
  id: IdSchema,
  engagementId: IdSchema,
  state: ScanStateSchema,
  startedAt: TimestampSchema,
  finishedAt: TimestampSchema.nullable(),
  hostCount: z.number().int().min(0),
  /** Version of the check catalogue the scan evaluated against. */
  catalogueVersion: z.string(),
  selection: z.object({
    profile: z.string().optional(),
    checkIds: z.array(z.string()).optional(),
    families: z.array(FamilySchema).optional(),
    areas: z.array(z.string()).optional(),
    minSeverity: SeveritySchema.optional(),
  }),
  /** Results per verdict over all host runs so far. */
  counts: VerdictCountsSchema,
  /** Host runs per state: a scan `done` whose hosts all failed says so here (see scanOutcome). */
  hostStates: HostRunStateCountsSchema,
  /** The failed host runs with their reason, in scan order; at most SCAN_FAILURES_LISTED (hostStates has them all). */
  failures: z.array(
    z.object({
      hostRunId: IdSchema,
      hostName: z.string(),
      /** The state the run was in when it failed (null: not known, stored before this was recorded). */
      stoppedIn: ActiveHostRunStateSchema.nullable(),
      error: ErrorInfoSchema,
    }),
  ),
});
export type ScanSummary = z.infer<typeof ScanSummarySchema>;

/** Restricted sudo on a host run (see SudoUse in shared/model/workspace.ts). Target text: untrusted. */
export const SudoUseSchema = z.object({
  user: z.string(),
  /** Commands the login user's sudo rules allow. */
  allowed: z.number().int().min(0),
  /** The command lines sudo ran to read root-only facts; the host's sudo log records each. */
  commands: z.array(z.string()),
});

/**
 * A host run as the API shows it (the wire view of shared/model/workspace.ts HostRun): the same names, without its
 * stats, with its restricted sudo use and warning lifted out, and with its counts and score.
 */
export const HostRunViewSchema = z.object({
  id: IdSchema,
  scanId: IdSchema,
  /** Null when the host was removed from the inventory after the scan. */
  hostId: IdSchema.nullable(),
  /** Host name at scan time (hosts can be renamed or removed later). */
  hostName: z.string(),
  state: HostRunStateSchema,
  startedAt: TimestampSchema.nullable(),
  finishedAt: TimestampSchema.nullable(),
  /** Why the run failed (host key changed, auth failed, ...); null otherwise. */
  error: ErrorInfoSchema.nullable(),
  /** The state a failed, cancelled or interrupted run was in when it ended; null otherwise or not known. */
  stoppedIn: ActiveHostRunStateSchema.nullable(),
  /** How the facts were obtained: SSH, the local transport (this machine) or an imported collector output. */
  source: z.enum(HOST_RUN_SOURCES),
  /** What the target said it is (hostname, OS release, kernel, SSH banner); null when nothing was learnt. */
  identity: TargetIdentitySchema.nullable(),
  /** How the collector ran: as root, through sudo, or neither; null before collection. */
  privilege: z.enum(RUN_PRIVILEGES).nullable(),
  /** Present when root-only facts were read through restricted sudo rules instead of a root shell. */
  sudo: SudoUseSchema.optional(),
  /** sudo was requested for this host and not obtained: why (shown as a warning on the host). Target text inside. */
  sudoNotObtained: z.string().optional(),
  counts: VerdictCountsSchema,
  /** Compliance score 0..100 (share of applicable checks passed, severity-weighted); null until evaluated. */
  score: z.number().min(0).max(100).nullable(),
});
export type HostRunView = z.infer<typeof HostRunViewSchema>;
// The view keeps the model's names and types for every field they share.
type Shared = keyof HostRunView & keyof HostRun;
const sameNames: { [K in Shared]: HostRun[K] extends HostRunView[K] ? true : false } = {
  id: true, scanId: true, hostId: true, hostName: true, state: true, startedAt: true, finishedAt: true,
  error: true, stoppedIn: true, source: true, identity: true, privilege: true,
};
void sameNames;
