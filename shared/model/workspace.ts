/**
 * What a workspace holds, as domain types: engagements, hosts, accepted host keys, scans and host runs, stored
 * results. The store (main/store) maps its rows to these; the UI and the API may use them as they are.
 * Timestamps are ISO-8601 strings in UTC, as the store writes them.
 */
import type { ErrorInfo } from './errors.js';
import type { TargetIdentity } from './identity.js';
import type { CheckResult, Severity } from './results.js';
import type { AuthMethod } from './target.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An assessment for one customer: its hosts, scans and (later) findings. */
export interface Engagement {
  id: string;
  name: string;
  customer: string | null;
  description: string | null;
  /** What is in scope (systems, networks, rules of engagement), as the consultant wrote it. */
  scope: string | null;
  createdAt: string;
  /** Set when archived; an archived engagement is read-only. */
  archivedAt: string | null;
}

/** How root is gained on a host: try sudo when not root (auto), never (none), or always sudo (sudo). */
export const HOST_PRIVILEGES = ['auto', 'none', 'sudo'] as const;
export type HostPrivilege = (typeof HOST_PRIVILEGES)[number];

/** An inventory entry. It never holds a secret: `auth` says how to authenticate, not with what. */
export interface Host {
  id: string;
  engagementId: string;
  /** Unique within the engagement. */
  name: string;
  address: string;
  port: number;
  user: string;
  auth: AuthMethod;
  /** Another host of the same engagement used as jump host (ProxyJump); its own jump host is resolved in turn. */
  jumpHostId: string | null;
  privilege: HostPrivilege;
  /** Pinned host key fingerprint ("SHA256:..."); scans refuse any other key. */
  pinnedFingerprint: string | null;
  tags: string[];
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Why a host key is trusted: found in a known_hosts file, pinned by the user, or accepted on first contact. */
export const HOST_KEY_ORIGINS = ['known_hosts', 'pinned', 'accept-new'] as const;
export type HostKeyOrigin = (typeof HOST_KEY_ORIGINS)[number];

/** The record of a host key someone accepted: who, when and on what grounds. */
export interface KnownHostKey {
  id: number;
  hostId: string;
  /** Key algorithm, e.g. `ssh-ed25519`. */
  keyType: string;
  fingerprint: string;
  acceptedAt: string;
  /** Who accepted it (profile name). */
  acceptedBy: string;
  how: HostKeyOrigin;
}

export const SCAN_STATUSES = ['running', 'done', 'interrupted', 'cancelled'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** One scan: a set of checks run against a set of targets with one catalogue version. */
export interface Scan {
  id: string;
  engagementId: string;
  startedAt: string;
  finishedAt: string | null;
  /** `interrupted`: the application stopped while the scan was running (found at the next start). */
  status: ScanStatus;
  catalogueVersion: string;
  profile: string | null;
  checkIds: string[];
  /** Scan options as given (deadlines, concurrency, ...). */
  options: Record<string, JsonValue>;
}

/**
 * The one list of host run states; the store's column, the API schema, the runner and the UI derive from it.
 * A run moves forward through the active states, in this order, and ends in one terminal state it never leaves.
 * `interrupted`: the application stopped while the run was going (found at the next start).
 */
export const ACTIVE_HOST_RUN_STATES = ['queued', 'connecting', 'collecting', 'evaluating'] as const;
export type ActiveHostRunState = (typeof ACTIVE_HOST_RUN_STATES)[number];

/** Statuses a host run never leaves. */
export const TERMINAL_HOST_RUN_STATES = ['done', 'failed', 'cancelled', 'interrupted'] as const;
export type TerminalHostRunState = (typeof TERMINAL_HOST_RUN_STATES)[number];

export const HOST_RUN_STATES = [...ACTIVE_HOST_RUN_STATES, ...TERMINAL_HOST_RUN_STATES] as const;
export type HostRunState = (typeof HOST_RUN_STATES)[number];

export function isTerminalHostRunState(s: HostRunState): s is TerminalHostRunState {
  return (TERMINAL_HOST_RUN_STATES as readonly string[]).includes(s);
}

export function isActiveHostRunState(s: HostRunState): s is ActiveHostRunState {
  return (ACTIVE_HOST_RUN_STATES as readonly string[]).includes(s);
}

/** A count per host run status, every status at zero. */
export function zeroHostRunCounts(): Record<HostRunState, number> {
  return Object.fromEntries(HOST_RUN_STATES.map((s) => [s, 0])) as Record<HostRunState, number>;
}

/** Where a host run's facts came from. */
export const HOST_RUN_SOURCES = ['ssh', 'local', 'import'] as const;
export type HostRunSource = (typeof HOST_RUN_SOURCES)[number];

/** How the collector actually ran: as root, through sudo, or unprivileged. */
export const RUN_PRIVILEGES = ['root', 'sudo', 'none'] as const;
export type RunPrivilege = (typeof RUN_PRIVILEGES)[number];

/**
 * Restricted sudo on a host run: the login user's sudo rules allowed some commands, not a shell, and the collector
 * read root-only facts through them. The host's sudo log records every one of `commands`.
 */
export interface SudoUse {
  /** The login user whose rules were used. Untrusted (from the target). */
  user: string;
  /** How many commands the rules allow (as `sudo -n -l` listed them; negations not counted). */
  allowed: number;
  /** The distinct command lines sudo ran, as sudo resolved them, in order of first use. Untrusted. */
  commands: string[];
}

/** How a run's privilege reads for a person: root, sudo, none, or restricted sudo with its command count. */
export function privilegeLabel(privilege: RunPrivilege | null, sudo?: SudoUse | null): string {
  if (privilege === 'none' && sudo) return `restricted sudo (${sudo.allowed} command${sudo.allowed === 1 ? '' : 's'})`;
  return privilege ?? 'unknown';
}

/** Cost of one host run, for the run detail and for benchmarks. */
export interface HostRunStats {
  /** SSH connections opened to the target (jump hops not counted). */
  connections: number;
  /** Exec channels opened on the target. */
  execChannels: number;
  /** Bytes received from the target (collector output). */
  bytesIn: number;
  /** Bytes sent to the target (the collector script). */
  bytesOut: number;
  /** Milliseconds per phase (connect, collect, evaluate, total, ...). */
  durationsMs: Record<string, number>;
  /** Present when root-only facts were read through restricted sudo rules. */
  sudo?: SudoUse;
  /** sudo was requested for this host (privilege 'sudo') and not obtained: why. A warning in every view. */
  sudoNotObtained?: string;
}

/** One host within one scan. */
export interface HostRun {
  id: string;
  scanId: string;
  /** The inventory host; null for the local machine, an imported snapshot, or a host removed since. */
  hostId: string | null;
  /** The target's name at scan time (hosts can be renamed or removed later). */
  hostName: string;
  source: HostRunSource;
  state: HostRunState;
  /** Null until known. */
  privilege: RunPrivilege | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the run failed; null unless its state is `failed`. */
  error: ErrorInfo | null;
  /** The state a failed, cancelled or interrupted run was in when it ended (how far it got); null otherwise. */
  stoppedIn: ActiveHostRunState | null;
  /** What the target said it is (SSH greeting, collected identity facts); null when nothing was learnt. */
  identity: TargetIdentity | null;
  stats: HostRunStats | null;
}

export interface ScanWithRuns extends Scan {
  hostRuns: HostRun[];
}

/** A result as the engine hands it to the store: the check's verdict plus its severity and definition digest. */
export interface RecordedResult extends CheckResult {
  severity: Severity;
  /** Digest of the check definition that produced the verdict (re-evaluation after a catalogue change). */
  checkDigest: string;
}

/** A stored result, with where it belongs. */
export interface StoredResult extends RecordedResult {
  id: number;
  hostRunId: string;
  /** The host run's host name (set when the result is read through a scan query). */
  hostName: string;
  hostId: string | null;
}

/** A stored snapshot's metadata (without the facts). */
export interface SnapshotInfo {
  hostRunId: string;
  format: string;
  collectedAt: string;
  /** Hex SHA-256 of the uncompressed JSON. */
  sha256: string;
  sizeRaw: number;
  sizeCompressed: number;
  /** False when the collection did not finish (a failed host keeps what was collected). */
  complete: boolean;
}
