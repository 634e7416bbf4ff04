/**
 * A scan from start to stored end, the one way every caller runs one: the workstation's scan.start (in the
 * background, with progress events) and the CLI's `assess` and `import` (awaited). The scan and its queued host runs
 * are written before any host is contacted; each host's outcome is stored as it ends; the scan ends `done`, or
 * `cancelled` when it was cancelled or the run itself broke (its active host runs then end cancelled too, so none is
 * left running). Nothing here knows about a transport of calls: callers bring their own progress sink.
 */
import type { Check } from '../../shared/checks/schema.js';
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import { toErrorInfo, type ErrorInfo } from '../../shared/model/errors.js';
import type { CheckResult } from '../../shared/model/results.js';
import type { HostRunSource, HostRunStats, RunPrivilege, Scan } from '../../shared/model/workspace.js';
import type { Catalogue } from '../catalogue/load.js';
import { runScan, type HostEvent, type RunScanSummary, type ScanJob } from '../scan/runner.js';
import { createStoreSink } from '../scan/store-sink.js';
import type { Workspace } from '../store/db.js';
import type { SecretProvider } from '../transport/types.js';
import type { SshTransportOptions } from '../transport/ssh.js';

/** One host of a stored scan: the job and, for an inventory host, its id. */
export interface PlannedHost {
  job: ScanJob;
  hostId?: string | null;
}

export interface StoredScanOptions {
  engagementId: string;
  catalogue: Catalogue;
  checks: readonly Check[];
  hosts: readonly PlannedHost[];
  secrets: SecretProvider;
  signal: AbortSignal;
  concurrency?: number;
  deadlineSeconds?: number;
  sshOptions?: SshTransportOptions;
  /** Rewrites a host's error before it is stored or shown (e.g. naming the stored secret that was used). */
  explain?: (host: string, info: ErrorInfo) => ErrorInfo;
  /** Each host's progress, with the scan and host run it belongs to (the first come before startStoredScan returns). */
  onEvent?: (e: HostEvent, ids: { scanId: string; hostRunId: string }) => void;
}

export interface StoredScanOutcome {
  scan: Scan;
  summary: RunScanSummary;
  /** Whether the run itself broke (not one host: the whole run); the scan was then ended cancelled. */
  broken: ErrorInfo | null;
}

export interface StartedScan {
  scan: Scan;
  /** Host name -> host run id. */
  runIds: ReadonlyMap<string, string>;
  /** Resolves once every host has ended and the scan is stored as ended; never rejects. */
  done: Promise<StoredScanOutcome>;
}

/** Stores the scan and its queued host runs, then runs it; see the module comment. */
export function startStoredScan(ws: Workspace, o: StoredScanOptions): StartedScan {
  const explain = o.explain ?? ((_h: string, info: ErrorInfo) => info);
  const sink = createStoreSink(ws, {
    engagementId: o.engagementId,
    catalogue: o.catalogue,
    checks: o.checks,
    hosts: o.hosts.map(({ job, hostId }) => ({ name: job.name, source: sourceOf(job), hostId: hostId ?? null })),
    ...(o.deadlineSeconds !== undefined ? { options: { deadlineSeconds: o.deadlineSeconds } } : {}),
  });
  const done = runScan({
    jobs: o.hosts.map((h) => h.job),
    checks: o.checks,
    signal: o.signal,
    secrets: o.secrets,
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    ...(o.deadlineSeconds !== undefined ? { deadlineMs: o.deadlineSeconds * 1000 } : {}),
    ...(o.sshOptions !== undefined ? { sshOptions: o.sshOptions } : {}),
    sink: {
      hostState: (name, state) => sink.hostState?.(name, state),
      hostIdentity: (name, identity) => sink.hostIdentity?.(name, identity),
      hostDone: (...a) => sink.hostDone(...a),
      hostFailed: (name, error, partial) => sink.hostFailed(name, explain(name, error), partial),
    },
    onEvent: (e) => {
      const hostRunId = sink.runIds.get(e.host);
      if (hostRunId === undefined) return;
      o.onEvent?.(e.error !== undefined ? { ...e, error: explain(e.host, e.error) } : e, { scanId: sink.scan.id, hostRunId });
    },
  }).then(
    (summary): StoredScanOutcome => ({
      scan: sink.finish(o.signal.aborted ? 'cancelled' : 'done'),
      summary,
      broken: null,
    }),
    (err: unknown): StoredScanOutcome => {
      ws.hostRuns.endActive('cancelled', sink.scan.id);
      return {
        scan: sink.finish('cancelled'),
        summary: { done: [], failed: [], cancelled: [] },
        broken: toErrorInfo(err),
      };
    },
  );
  return { scan: sink.scan, runIds: sink.runIds, done };
}

/**
 * Stores collector output carried back from a host (an air-gapped import) as a scan of one host, evaluated as a live
 * scan would be. The output says what it ran as (host.id's uid): uid 0 is root.
 */
export function storeImportedSnapshot(
  ws: Workspace,
  o: {
    engagementId: string;
    catalogue: Catalogue;
    checks: readonly Check[];
    name: string;
    snapshot: FactSnapshot;
    results: CheckResult[];
  },
): Scan {
  const sink = createStoreSink(ws, {
    engagementId: o.engagementId,
    catalogue: o.catalogue,
    checks: o.checks,
    hosts: [{ name: o.name, source: 'import' }],
  });
  const stats: HostRunStats = { connections: 0, execChannels: 0, bytesIn: 0, bytesOut: 0, durationsMs: {} };
  const privilege: RunPrivilege = o.snapshot.privileged ? 'root' : 'none';
  void sink.hostDone(o.name, o.snapshot, o.results, stats, privilege);
  return sink.finish();
}

function sourceOf(job: ScanJob): HostRunSource {
  return job.target.kind === 'local' ? 'local' : 'ssh';
}
