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
import { zeroVerdictCounts, type CheckResult } from '../../shared/model/results.js';
import type { HostRunSource, HostRunStats, JsonValue, RunPrivilege, Scan } from '../../shared/model/workspace.js';
import type { Catalogue } from '../catalogue/load.js';
import type { ResolvedProfile } from '../catalogue/profiles.js';
import type { AttestationAnswer } from '../engine/context.js';
import { recordAudit } from '../audit/trail.js';
import type { Acting } from '../people/acting.js';
import { runScan, type HostEvent, type RunScanSummary, type ScanJob } from '../scan/runner.js';
import { createStoreSink } from '../scan/store-sink.js';
import type { Workspace } from '../store/db.js';
import type { SecretProvider, Transport } from '../transport/types.js';
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
  /** Opens a host's transport (default: the runner's, this machine or SSH); the CLI hands over set-ups it started. */
  openTransport?: (job: ScanJob) => Transport;
  /** Rewrites a host's error before it is stored or shown (e.g. naming the stored secret that was used). */
  explain?: (host: string, info: ErrorInfo) => ErrorInfo;
  /** Each host's progress, with the scan and host run it belongs to (the first come before startStoredScan returns). */
  onEvent?: (e: HostEvent, ids: { scanId: string; hostRunId: string }) => void;
  /**
   * Who runs the scan: when given, scan.start (with the catalogue version), the findings it creates or revises
   * (finding.create, finding.rescan) and scan.finish are recorded in the trail, signed by them.
   */
  acting?: Acting;
  /** Told when scan.finish could not be recorded (the scan itself is stored all the same). */
  log?: (message: string) => void;
  /** The profile the checks were chosen and tailored by: stored with the scan (id, digest, disables, settings). */
  profile?: ResolvedProfile;
}

/** What a scan stores of its profile (in its options, beside the profile id column). */
export function profileRecord(p: ResolvedProfile): Record<string, JsonValue> {
  return {
    id: p.id,
    title: p.title,
    ...(p.benchmark !== undefined ? { benchmark: p.benchmark } : {}),
    ...(p.version !== undefined ? { version: p.version } : {}),
    ...(p.level !== undefined ? { level: p.level } : {}),
    digest: p.digest,
    disabled: p.disabled,
    set: p.set as Record<string, JsonValue>,
  };
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

/** The engagement's attestation answers as the engine reads them (check id -> answer, who, when, note). */
export function engagementAnswers(ws: Workspace, engagementId: string): Map<string, AttestationAnswer> {
  return new Map(
    ws.attestations
      .forEngagement(engagementId)
      .map((a) => [a.checkId, { answer: a.answer, note: a.note, by: a.answeredBy.name, at: a.answeredAt }]),
  );
}

/** Stores the scan and its queued host runs, then runs it; see the module comment. */
export function startStoredScan(ws: Workspace, o: StoredScanOptions): StartedScan {
  const explain = o.explain ?? ((_h: string, info: ErrorInfo) => info);
  const audit = o.acting ? { acting: o.acting, record: recordAudit(ws) } : undefined;
  const answers = engagementAnswers(ws, o.engagementId);
  const sink = createStoreSink(ws, {
    engagementId: o.engagementId,
    catalogue: o.catalogue,
    checks: o.checks,
    answers,
    hosts: o.hosts.map(({ job, hostId }) => ({ name: job.name, source: sourceOf(job), hostId: hostId ?? null })),
    ...(o.deadlineSeconds !== undefined || o.profile
      ? {
          options: {
            ...(o.deadlineSeconds !== undefined ? { deadlineSeconds: o.deadlineSeconds } : {}),
            ...(o.profile ? { profile: profileRecord(o.profile) } : {}),
          },
        }
      : {}),
    ...(o.profile ? { profile: o.profile.id } : {}),
    ...(audit ? { audit } : {}),
  });
  const object = { type: 'scan', id: sink.scan.id };
  const catalogueVersion = o.catalogue.version;
  if (audit) {
    const targets = o.hosts.filter((h) => !h.hostId).map((h) => h.job.name);
    try {
      audit.record(audit.acting, {
        action: 'scan.start',
        object,
        after: {
          engagementId: o.engagementId,
          hostIds: o.hosts.flatMap((h) => (h.hostId ? [h.hostId] : [])),
          ...(targets.length > 0 ? { targets } : {}),
        },
        details: {
          catalogueVersion,
          checkCount: o.checks.length,
          hostCount: o.hosts.length,
          ...(o.profile ? { profile: o.profile.id, profileDigest: o.profile.digest } : {}),
        },
      });
    } catch (e) {
      // Not recorded: nothing is run, and the scan stored a moment ago ends cancelled.
      ws.hostRuns.endActive('cancelled', sink.scan.id);
      ws.scans.finishScan(sink.scan.id, 'cancelled');
      throw e;
    }
  }
  const finished = (scan: Scan, broken: ErrorInfo | null): void => {
    if (!audit) return;
    const counts = zeroVerdictCounts();
    for (const c of ws.results.verdictCounts(scan.id).values())
      for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += c[k];
    const state = broken ? 'failed' : scan.status === 'cancelled' ? 'cancelled' : 'done';
    try {
      audit.record(audit.acting, { action: 'scan.finish', object, details: { state, catalogueVersion, counts } });
    } catch (e) {
      (o.log ?? ((m: string) => process.stderr.write(`${m}\n`)))(
        `scan ${scan.id}: its end was not recorded in the audit trail: ${toErrorInfo(e).message}`,
      );
    }
  };
  const done = runScan({
    jobs: o.hosts.map((h) => h.job),
    checks: o.checks,
    answers,
    signal: o.signal,
    secrets: o.secrets,
    ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
    ...(o.deadlineSeconds !== undefined ? { deadlineMs: o.deadlineSeconds * 1000 } : {}),
    ...(o.sshOptions !== undefined ? { sshOptions: o.sshOptions } : {}),
    ...(o.openTransport !== undefined ? { openTransport: o.openTransport } : {}),
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
    (summary): StoredScanOutcome => {
      const scan = sink.finish(o.signal.aborted ? 'cancelled' : 'done');
      finished(scan, null);
      return { scan, summary, broken: null };
    },
    (err: unknown): StoredScanOutcome => {
      ws.hostRuns.endActive('cancelled', sink.scan.id);
      const scan = sink.finish('cancelled');
      const broken = toErrorInfo(err);
      finished(scan, broken);
      return { scan, summary: { done: [], failed: [], cancelled: [] }, broken };
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
    /** Who imports: scan.start, the findings' events and scan.finish are then recorded, signed by them. */
    acting?: Acting;
    /** The attestation answers the results were evaluated with (default: the engagement's, as import uses). */
    answers?: ReadonlyMap<string, AttestationAnswer>;
    /** The profile the checks were chosen and tailored by (stored with the scan). */
    profile?: ResolvedProfile;
  },
): Scan {
  const audit = o.acting ? { acting: o.acting, record: recordAudit(ws) } : undefined;
  const sink = createStoreSink(ws, {
    engagementId: o.engagementId,
    catalogue: o.catalogue,
    checks: o.checks,
    answers: o.answers ?? engagementAnswers(ws, o.engagementId),
    ...(o.profile ? { options: { profile: profileRecord(o.profile) }, profile: o.profile.id } : {}),
    hosts: [{ name: o.name, source: 'import' }],
    ...(audit ? { audit } : {}),
  });
  const object = { type: 'scan', id: sink.scan.id };
  const catalogueVersion = o.catalogue.version;
  audit?.record(audit.acting, {
    action: 'scan.start',
    object,
    after: { engagementId: o.engagementId, hostIds: [], targets: [o.name] },
    details: { catalogueVersion, checkCount: o.checks.length, hostCount: 1, source: 'import' },
  });
  const stats: HostRunStats = { connections: 0, execChannels: 0, bytesIn: 0, bytesOut: 0, durationsMs: {} };
  const privilege: RunPrivilege = o.snapshot.privileged ? 'root' : 'none';
  void sink.hostDone(o.name, o.snapshot, o.results, stats, privilege);
  const scan = sink.finish();
  if (audit) {
    const counts = zeroVerdictCounts();
    for (const c of ws.results.verdictCounts(scan.id).values())
      for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += c[k];
    audit.record(audit.acting, { action: 'scan.finish', object, details: { state: 'done', catalogueVersion, counts } });
  }
  return scan;
}

function sourceOf(job: ScanJob): HostRunSource {
  return job.target.kind === 'local' ? 'local' : 'ssh';
}
