/**
 * A FactSnapshot is what one host looked like at one moment: the raw facts the collector brought back.
 * It is evidence: stored compressed, shown in the UI, exported. Everything in it came from the target and is
 * untrusted text; it is bounded by the collector's byte caps. Contents, output and the other strings from the target
 * are target strings (shared/text/target-text.ts: UTF-8, each invalid byte kept as U+DC80..U+DCFF, never U+FFFD);
 * names (fileset paths, paths facts) are kept in the lossless text form of shared/facts/names.ts, so each is exact
 * and free of control characters. What is shown of either is its text form.
 */

import type { SecretKept } from './secrets.js';

export const SNAPSHOT_FORMAT = 'foureyes.snapshot/1' as const;

/** Why a fact could not be read. `denied`: permission (usually: not root); `missing`: command not installed. */
export type FactProblem = 'denied' | 'missing' | 'timeout' | 'error';

export interface FileStat {
  /** File type as seen by `stat`. */
  type: 'file' | 'dir' | 'link' | 'other';
  /** Permission bits including setuid/setgid/sticky, e.g. 0o4755. */
  mode: number;
  uid: number;
  gid: number;
  /** Owner and group names as the target resolved them ('UNKNOWN' when unowned). Untrusted. */
  user: string;
  group: string;
  size: number;
}

export interface FileFact {
  kind: 'file';
  path: string;
  exists: boolean;
  stat?: FileStat;
  /**
   * Hex SHA-256 of the full content (regular files only, when readable). Never for a file of a fact with a
   * secret rule (shared/facts/secrets.ts): its hash would let anyone test guesses of the redacted values.
   */
  sha256?: string;
  /**
   * Content as a target string (invalid UTF-8 bytes kept), up to the fact's byte cap. Secret values are REDACTED
   * on the target (see `secret`); a redacted file's last line always ends with a newline.
   */
  content?: string;
  contentTruncated?: boolean;
  /** What the collector kept on the target of this file (shared/facts/secrets.ts). */
  secret?: SecretKept;
  problem?: FactProblem;
  /** Short diagnostic from the target (stderr excerpt). Untrusted. */
  detail?: string;
  /** Restricted sudo: the command lines sudo ran to read this file, as sudo resolved them. Untrusted. */
  sudo?: string[];
}

export interface FileSetFact {
  kind: 'fileset';
  /** The glob patterns that were expanded on the target. */
  patterns: string[];
  /**
   * One entry per existing match, in the order the target listed them. Each `path` is the lossless text form of
   * the name the target's glob gave (shared/facts/names.ts).
   */
  files: FileFact[];
  /** True when the collector stopped listing at its file-count cap. */
  truncated?: boolean;
  problem?: FactProblem;
  detail?: string;
  /** Restricted sudo: the command lines that listed directories the login user cannot list. Untrusted. */
  sudo?: string[];
}

export interface CommandFact {
  kind: 'command';
  /** null when the command did not run (see problem). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  stdoutTruncated?: boolean;
  stderrTruncated?: boolean;
  problem?: FactProblem;
  detail?: string;
  /** Restricted sudo: the command line sudo ran in place of the fact's own command. Untrusted. */
  sudo?: string[];
}

/** The names one walk of the local file systems found for a paths fact. */
export interface PathsFact {
  kind: 'paths';
  /** Each name once, in byte order, in the lossless text form of shared/facts/names.ts. */
  paths: string[];
  /** More names than the fact keeps (its item or byte cap): the list is incomplete. */
  truncated?: boolean;
  /** find could not search some directories (or reported another error): names in those are not listed. */
  incomplete?: boolean;
  problem?: FactProblem;
  detail?: string;
}

export type Fact = FileFact | FileSetFact | CommandFact | PathsFact;

export interface CollectionIssue {
  /** Fact id concerned, or '' for the whole run. */
  factId: string;
  message: string;
}

/** One command (or negation) of a sudo rule, as `sudo -l` listed it (aliases expanded). Untrusted. */
export interface SudoRule {
  /** Run-as user (and group), e.g. `root` or `ALL : ALL`. */
  runAs: string;
  /** Path and argument pattern, e.g. `/usr/sbin/sshd -T`, `/usr/bin/chage -l *`, `ALL`. */
  command: string;
  /** `!cmd`: excluded. */
  negated: boolean;
  /** Runs without a password (NOPASSWD, or `!authenticate`). */
  nopasswd: boolean;
  tags: string[];
}

/** `sudo -l` output, parsed. */
export interface SudoListing {
  user?: string;
  host?: string;
  defaults: string[];
  rules: SudoRule[];
}

/**
 * How root-only facts were read on a host whose login user has restricted sudo rules (commands, not a shell):
 * each read the user was denied was done again through `sudo -n` with a command the rules allow.
 */
export interface SudoReads {
  /** The login user whose rules were used. Untrusted. */
  user: string;
  /** The rules as `sudo -n -l` listed them. */
  listing: SudoListing;
  /** Every distinct command line sudo ran, in order of first use; the host's sudo log records each. Untrusted. */
  commands: string[];
  /** Facts no allowed command could read (they stay unread: "not in the sudo rules granted to <user>"). */
  unread: string[];
}

export interface FactSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  collectorVersion: string;
  /** ISO-8601 time on the workstation when collection finished. */
  collectedAt: string;
  /** How the facts were obtained. */
  source: 'ssh' | 'local' | 'import';
  /** Whether the collector ran with uid 0 on the target. */
  privileged: boolean;
  /** True only when the collector's end marker arrived and every requested fact frame closed. */
  complete: boolean;
  /** Fact id -> fact. Ids come from the fact registry (shared/facts/registry.ts). */
  facts: Record<string, Fact>;
  issues: CollectionIssue[];
  /** Present when the collector, not root, read root-only facts through restricted sudo rules. */
  sudo?: SudoReads;
}
