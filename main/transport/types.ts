/**
 * A transport runs the collector script on a target and hands back its raw output. SSH and the local machine
 * implement it; the engine does not care which. Output is bounded: past `maxBytes` a stream is cut and flagged.
 */
import type { TargetIdentity } from '../../shared/model/identity.js';

export interface RunScriptOptions {
  /** Hard deadline for the whole run in milliseconds. */
  deadlineMs: number;
  /** Byte cap for stdout; stderr is capped at min(maxBytes, 1 MiB). */
  maxBytes: number;
  /** Abort: closes the channel; the run rejects with a `cancelled` FoureyesError. */
  signal?: AbortSignal;
}

export interface ScriptRun {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number | null;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** How the script ran: as root already, through sudo, or unprivileged. */
  privilege: 'root' | 'sudo' | 'none';
  /** Why privilege was not obtained, when it was wanted (e.g. "sudo: a password is required"). */
  privilegeNote?: string;
}

export interface TransportStats {
  /** TCP/SSH connections opened to the target itself (jump hops not counted). */
  connections: number;
  /** Exec channels opened on the target connection. */
  execChannels: number;
}

export interface Transport {
  readonly kind: 'ssh' | 'local';
  /** The collector may read root-only facts through restricted sudo rules (`sudo -n`); default false. */
  readonly sudoReads?: boolean;
  /** Run `script` with `sh -s` (script on stdin), with root when the target's privilege policy allows. */
  runScript(script: string, opts: RunScriptOptions): Promise<ScriptRun>;
  stats(): TransportStats;
  /** When the target last sent output of a script run (ms since the epoch); undefined before any. */
  lastOutputAt?(): number | undefined;
  /** What the target said it is while connecting (SSH banner, identification line); absent when nothing. */
  identity?(): TargetIdentity;
  close(): Promise<void>;
}

/** Where secrets come from at run time (prompt, file, environment, OS keychain). Never argv, never the database. */
export interface SecretProvider {
  /** Returns undefined when no secret is available for this purpose; callers then fail with a clear error. */
  get(purpose: 'password' | 'passphrase' | 'sudo', hostName: string): Promise<string | undefined>;
}
