/**
 * Scan runner: runs the collector on many hosts with a bounded pool, evaluates each snapshot locally and hands
 * every finished (or failed) host to a sink as soon as it ends. One failing host never stops the others.
 */
import type { Check } from '../../shared/checks/schema.js';
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import { FoureyesError, toErrorInfo, type ErrorInfo } from '../../shared/model/errors.js';
import type { CheckResult } from '../../shared/model/results.js';
import type { ScanTarget } from '../../shared/model/target.js';
import type { TargetIdentity } from '../../shared/model/identity.js';
import type { HostRunStats, HostRunState, RunPrivilege } from '../../shared/model/workspace.js';
import { textForm } from '../../shared/text/target-text.js';
import { factsNeeded } from '../catalogue/catalogue.js';
import { collectFacts } from '../collector/collect.js';
import { allowedCount } from '../collector/sudo-rules.js';
import { LocalTransport } from '../transport/local.js';
import { partialSnapshot } from '../transport/partial.js';
import { SshTransport, type SshTransportOptions } from '../transport/ssh.js';
import type { SecretProvider, Transport } from '../transport/types.js';
import type { AttestationAnswer } from '../engine/context.js';
import { evaluateAll } from '../engine/evaluate.js';

/** Every host run state but `interrupted` (found at the next start, never by a runner). */
export type HostState = Exclude<HostRunState, 'interrupted'>;

export interface HostEvent {
  host: string;
  state: HostState;
  detail?: string;
  error?: ErrorInfo;
  /** While connecting or collecting: how long the target has sent nothing (ms), repeated every `waitingEveryMs`. */
  waitingMs?: number;
}

export interface ScanJob {
  name: string;
  target: ScanTarget;
}

/** Receives each host's outcome as it ends. Calls for one host never overlap; hosts may interleave. */
export interface ScanSink {
  hostState?(name: string, state: 'connecting' | 'collecting' | 'evaluating' | 'cancelled'): void;
  /** What the target said it is before collection (the SSH banner and identification line), once per host. */
  hostIdentity?(name: string, identity: TargetIdentity): void;
  hostDone(
    name: string,
    snapshot: FactSnapshot,
    results: CheckResult[],
    stats: HostRunStats,
    privilege: RunPrivilege,
  ): void | Promise<void>;
  hostFailed(name: string, error: ErrorInfo, partialSnapshot?: FactSnapshot): void | Promise<void>;
}

export interface RunScanOptions {
  /** The engagement's answers to attestation checks (they decide those checks on every host). */
  answers?: ReadonlyMap<string, AttestationAnswer>;
  jobs: readonly ScanJob[];
  checks: readonly Check[];
  concurrency?: number;
  signal?: AbortSignal;
  onEvent?(e: HostEvent): void;
  sink: ScanSink;
  /** Secrets for SSH targets (passwords, passphrases, sudo). */
  secrets?: SecretProvider;
  sshOptions?: SshTransportOptions;
  /** Opens the transport for a job; default LocalTransport or SshTransport. */
  openTransport?(job: ScanJob): Transport;
  /**
   * Deadline per host (ms) for the whole host run: connection, collection and evaluation. Past it the host fails
   * alone with a `timeout` naming the step it was in; the others go on. Default 300 s.
   */
  deadlineMs?: number;
  /** A host that has sent nothing for this long is reported waiting (HostEvent.waitingMs), and again every as
   * long. Default a fifth of the deadline, from 0.25 s to 5 s. */
  waitingEveryMs?: number;
}

export const DEFAULT_HOST_DEADLINE_MS = 300_000;

/** `300 s`, `1.5 s`. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export interface RunScanSummary {
  done: string[];
  failed: string[];
  cancelled: string[];
}

const NO_SECRETS: SecretProvider = { get: () => Promise.resolve(undefined) };

/** The transport the runner opens for a job unless told otherwise: this machine, or SSH to the target. */
export function defaultTransport(job: ScanJob, secrets: SecretProvider, opts: SshTransportOptions): Transport {
  return job.target.kind === 'local' ? new LocalTransport() : new SshTransport(job.target.target, secrets, opts);
}

/** Runs every job; resolves when all hosts have ended (done, failed or cancelled). */
export async function runScan(o: RunScanOptions): Promise<RunScanSummary> {
  const concurrency = Math.max(1, Math.floor(o.concurrency ?? 8));
  const facts = factsNeeded(o.checks);
  const summary: RunScanSummary = { done: [], failed: [], cancelled: [] };
  const emit = (e: HostEvent): void => o.onEvent?.(e);
  for (const j of o.jobs) emit({ host: j.name, state: 'queued' });
  let next = 0;

  const runOne = async (job: ScanJob): Promise<void> => {
    if (o.signal?.aborted) {
      summary.cancelled.push(job.name);
      o.sink.hostState?.(job.name, 'cancelled');
      emit({ host: job.name, state: 'cancelled' });
      return;
    }
    const t0 = Date.now();
    const durations: Record<string, number> = {};
    let transport: Transport | undefined;
    // The host's own deadline ends its set-up and its run through the same signal as a cancel.
    const deadlineMs = o.deadlineMs ?? DEFAULT_HOST_DEADLINE_MS;
    const overdue = new AbortController();
    const deadline = setTimeout(() => overdue.abort(), deadlineMs);
    const signal = o.signal ? AbortSignal.any([o.signal, overdue.signal]) : overdue.signal;
    let step: 'connecting' | 'collecting' | 'evaluating' = 'connecting';
    let stepAt = t0;
    const enter = (s: 'connecting' | 'collecting'): void => {
      step = s;
      stepAt = Date.now();
      emit({ host: job.name, state: s });
    };
    const silentMs = (): number => Date.now() - Math.max(stepAt, transport?.lastOutputAt?.() ?? 0);
    const every = o.waitingEveryMs ?? Math.min(5_000, Math.max(250, deadlineMs / 5));
    const ticker = setInterval(() => {
      const waited = silentMs();
      if (step !== 'evaluating' && waited >= every) emit({ host: job.name, state: step, waitingMs: waited });
    }, every);
    let identified = false;
    // The SSH greeting, also of a host that fails later (a banner seen before a refused login tells which
    // machine answered). A sink that cannot record it must not stop the host.
    const identify = (): void => {
      const identity = transport?.identity?.();
      if (identified || !identity || Object.keys(identity).length === 0) return;
      identified = true;
      try {
        o.sink.hostIdentity?.(job.name, identity);
      } catch {
        // recorded or not, the run goes on
      }
    };
    try {
      enter('connecting');
      o.sink.hostState?.(job.name, 'connecting');
      transport = (o.openTransport ?? ((j) => defaultTransport(j, o.secrets ?? NO_SECRETS, o.sshOptions ?? {})))(job);
      // The scan's signal (and this host's deadline) reaches the connection set-up: a cancel ends a host that is
      // still connecting at once.
      if (transport instanceof SshTransport) await transport.connect(signal);
      identify();
      durations.connect = Date.now() - t0;
      enter('collecting');
      o.sink.hostState?.(job.name, 'collecting');
      const t1 = Date.now();
      // The collector's own deadline is the host's: it starts later, so the host's fires first.
      const { snapshot, run } = await collectFacts(transport, facts, { signal, deadlineMs });
      durations.collect = Date.now() - t1;
      step = 'evaluating';
      emit({ host: job.name, state: 'evaluating', detail: `privilege ${run.privilege}` });
      o.sink.hostState?.(job.name, 'evaluating');
      const t2 = Date.now();
      const results = evaluateAll(snapshot, o.checks, o.answers);
      durations.evaluate = Date.now() - t2;
      durations.total = Date.now() - t0;
      const ts = transport.stats();
      const stats: HostRunStats = {
        connections: ts.connections,
        execChannels: ts.execChannels,
        bytesIn: run.stdout.length,
        bytesOut: 0,
        durationsMs: durations,
        ...(snapshot.sudo
          ? { sudo: { user: textForm(snapshot.sudo.user), allowed: allowedCount(snapshot.sudo.listing), commands: snapshot.sudo.commands.map((c) => textForm(c)) } }
          : {}),
      };
      // Asked for sudo, got neither root nor reads through the sudo rules: the host says so wherever it is shown.
      if (job.target.kind === 'ssh' && job.target.target.privilege === 'sudo' && run.privilege === 'none' && !snapshot.sudo) {
        stats.sudoNotObtained = (run.privilegeNote ?? 'sudo did not start').slice(0, 4000);
      }
      await o.sink.hostDone(job.name, snapshot, results, stats, run.privilege);
      summary.done.push(job.name);
      emit({ host: job.name, state: 'done' });
    } catch (e) {
      let info = toErrorInfo(e);
      identify();
      if (overdue.signal.aborted && !o.signal?.aborted) {
        const quiet = silentMs();
        // Set inside the callbacks above: read as the plain string it holds now.
        const stoppedIn: string = step;
        info = {
          code: 'timeout',
          message:
            `${job.name}: no result within the scan's deadline of ${seconds(deadlineMs)} (stopped while ${stoppedIn}` +
            `${stoppedIn === 'collecting' && quiet >= 1000 ? `; the target had sent nothing for ${seconds(quiet)}` : ''})`,
          details: { deadlineMs, stoppedIn },
        };
      }
      if (info.code === 'cancelled' || o.signal?.aborted) {
        summary.cancelled.push(job.name);
        o.sink.hostState?.(job.name, 'cancelled');
        emit({ host: job.name, state: 'cancelled', error: info });
      } else {
        summary.failed.push(job.name);
        // A sink that cannot record the failure must not stop the other hosts.
        // What arrived before the fault is kept with the failed run, with the reason it stopped.
        const partial = partialSnapshot(e);
        const stopped = partial?.issues.find((i) => i.message.startsWith('run stopped: '));
        if (stopped) stopped.message = `run stopped: ${info.message}`;
        await Promise.resolve(o.sink.hostFailed(job.name, info, partial)).catch(() => undefined);
        emit({ host: job.name, state: 'failed', error: info });
      }
    } finally {
      clearTimeout(deadline);
      clearInterval(ticker);
      await transport?.close().catch(() => undefined);
    }
  };

  const worker = async (): Promise<void> => {
    while (next < o.jobs.length) {
      const job = o.jobs[next++];
      if (job) await runOne(job);
    }
  };
  const names = new Set<string>();
  for (const j of o.jobs) {
    if (names.has(j.name)) throw new FoureyesError('bad_input', `host ${j.name} is listed twice`);
    names.add(j.name);
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, o.jobs.length) }, worker));
  return summary;
}
