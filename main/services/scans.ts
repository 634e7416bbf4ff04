/**
 * Scans over the store. States are the store's: `interrupted` means the application stopped while it ran. Secrets
 * given at scan start, else those stored with secret.remember (decrypted in memory when the SSH layer asks),
 * answer the SSH layer for their host while the scan runs and are dropped when it ends (scan-secrets.ts).
 */
import { SCAN_FAILURES_LISTED, type HostRunView as ApiHostRun, type ScanSummary } from '../../shared/api/schemas/scans.js';
import { addCount, zeroVerdictCounts, type ShownCounts } from '../../shared/model/results.js';
import { zeroHostRunCounts, type HostRun, type HostRunState, type Scan } from '../../shared/model/workspace.js';
import { FoureyesError, type ErrorInfo } from '../../shared/model/errors.js';
import type { EmitEvent } from '../api/event-hub.js';
import type { ScanService } from '../api/services.js';
import type { Catalogue } from '../catalogue/load.js';
import type { SecretCipher } from '../secrets/policy.js';
import { scoreTally } from '../engine/score.js';
import { startStoredScan } from './assessment.js';
import type { Workspace } from '../store/db.js';
import type { HostRunFailure } from '../store/repos/host-runs.js';
import type { HostRunTally, Tally } from '../store/repos/result-tallies.js';
import type { VerdictCounts } from '../store/repos/results.js';
import { publicKeyOf } from '../people/public-keys.js';
import type { WaivedKeys } from '../store/repos/waived-sql.js';
import { waiverOverlay, type WaiverOverlay } from '../waivers/overlay.js';
import { chooseProfile } from '../catalogue/profiles.js';
import { jobsFor, selectChecks } from './scan-jobs.js';
import { scanSecrets } from './scan-secrets.js';

function sum(counts: Iterable<ShownCounts>): ShownCounts {
  const out: ShownCounts = zeroVerdictCounts();
  for (const c of counts) {
    for (const k of Object.keys(zeroVerdictCounts()) as (keyof VerdictCounts)[]) out[k] += c[k];
    if (c.waived) addCount(out, 'waived', c.waived);
  }
  return out;
}

function summary(
  s: Scan,
  hostStates: Record<HostRunState, number>,
  failures: readonly HostRunFailure[],
  counts: ShownCounts,
): ScanSummary {
  return {
    id: s.id,
    engagementId: s.engagementId,
    state: s.status,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    hostCount: Object.values(hostStates).reduce((a, b) => a + b, 0),
    catalogueVersion: s.catalogueVersion,
    selection: {
      ...(s.profile !== null ? { profile: s.profile } : {}),
      ...(s.checkIds.length > 0 ? { checkIds: s.checkIds } : {}),
    },
    counts,
    hostStates,
    failures: failures.map((f) => ({
      hostRunId: f.hostRunId,
      hostName: f.targetName,
      stoppedIn: f.stoppedIn,
      error: f.error,
    })),
  };
}

/** Summaries of several scans from three aggregate queries (runs per state, failures, results per verdict). */
function toSummaries(ws: Workspace, scans: readonly Scan[], waived?: WaivedKeys): ScanSummary[] {
  const ids = scans.map((s) => s.id);
  const states = ws.hostRuns.statesByScan(ids);
  const failures = new Map<string, HostRunFailure[]>();
  for (const f of ws.hostRuns.failuresByScan(ids, SCAN_FAILURES_LISTED)) {
    const list = failures.get(f.scanId);
    if (list) list.push(f);
    else failures.set(f.scanId, [f]);
  }
  const counts = ws.results.verdictsByScan(ids, waived);
  return scans.map((s) =>
    summary(
      s,
      states.get(s.id) ?? zeroHostRunCounts(),
      failures.get(s.id) ?? [],
      counts.get(s.id) ?? zeroVerdictCounts(),
    ),
  );
}

function toSummary(ws: Workspace, s: Scan): ScanSummary {
  return toSummaries(ws, [s])[0]!;
}

/** A host run with its counts and score, both from its counts per verdict and severity. */
function toHostRun(r: HostRun, tally: readonly Tally[]): ApiHostRun {
  const s = scoreTally(tally);
  return {
    id: r.id,
    scanId: r.scanId,
    hostId: r.hostId,
    hostName: r.hostName,
    state: r.state,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    error: r.error,
    stoppedIn: r.stoppedIn,
    source: r.source,
    identity: r.identity,
    privilege: r.privilege,
    ...(r.stats?.sudo ? { sudo: r.stats.sudo } : {}),
    ...(r.stats?.sudoNotObtained !== undefined ? { sudoNotObtained: r.stats.sudoNotObtained } : {}),
    counts: s.counts,
    score: s.score,
  };
}

export interface ScanServiceImpl extends ScanService {
  /** Stops running scans at shutdown. */
  shutdown(): Promise<void>;
}

export function scanService(
  ws: Workspace,
  catalogue: Catalogue,
  emit: EmitEvent,
  log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
  /** Opens secrets stored with secret.remember; null: stored secrets are not used (nothing can be stored). */
  cipher: SecretCipher | null = null,
  /** Waivers that apply now: their results count as waived in scores and counts (main/engine/score.ts). */
  overlay: WaiverOverlay = waiverOverlay(ws, publicKeyOf(ws)),
): ScanServiceImpl {
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  const start: ScanService['start'] = ({ engagementId, hostIds, selection, credentials, deadlineSeconds }, acting) => {
    ws.engagements.requireWritable(engagementId);
    // A profile chooses and tailors the checks (its catalogue has the tailored ones, with their own digests).
    const chosen = selection.profile !== undefined ? chooseProfile(selection.profile, catalogue, process.env, { idOnly: true }) : undefined;
    const { profile: _profile, ...filters } = selection;
    const checks = selectChecks(chosen ? chosen.checks : catalogue.checks, filters);
    const planned = jobsFor(ws, engagementId, hostIds);
    // Checked before anything is stored; held in memory until the scan ends.
    const secrets = scanSecrets(
      ws,
      planned.map((p) => p.host),
      credentials,
      cipher,
    );
    const chainOf = new Map(planned.map(({ job, host }) => [job.name, [...ws.hosts.jumpChain(host.id).map((h) => h.name), host.name]]));
    const explain = (name: string, info: ErrorInfo): ErrorInfo => secrets.explain(chainOf.get(name) ?? [name], info);
    const hostIdOf = new Map(planned.map(({ job, host }) => [job.name, host.id]));
    const abort = new AbortController();
    const started = startStoredScan(ws, {
      engagementId,
      catalogue: chosen ? chosen.catalogue : catalogue,
      checks,
      ...(chosen ? { profile: chosen.resolved } : {}),
      hosts: planned.map(({ job, host }) => ({ job, hostId: host.id })),
      secrets,
      signal: abort.signal,
      explain,
      ...(deadlineSeconds !== undefined ? { deadlineSeconds } : {}),
      ...(acting ? { acting } : {}),
      log,
      onEvent: (e, { scanId, hostRunId }) => {
        const hostId = hostIdOf.get(e.host);
        if (hostId === undefined) return;
        emit('scan.progress', {
          scanId,
          hostRunId,
          hostId,
          host: e.host,
          state: e.state,
          ...(e.detail !== undefined ? { detail: e.detail.slice(0, 500) } : {}),
          ...(e.error !== undefined ? { error: e.error } : {}),
          ...(e.waitingMs !== undefined ? { waitingSeconds: Math.floor(e.waitingMs / 1000) } : {}),
        });
      },
    });
    const scanId = started.scan.id;
    const done = started.done
      .then(({ scan, broken }) => {
        if (broken) log(`scan ${scanId} failed: ${broken.message}`);
        const counts = sum(ws.results.verdictCounts(scanId).values());
        const state = broken ? 'failed' : scan.status === 'cancelled' ? 'cancelled' : 'done';
        emit('scan.finished', { scanId, state, counts });
      })
      .finally(() => {
        running.delete(scanId);
        secrets.clear();
      });
    running.set(scanId, { abort, done });
    return { scanId };
  };

  return {
    start,
    cancel: async ({ scanId }) => {
      const s = ws.scans.require(scanId);
      const r = running.get(scanId);
      if (!r) {
        if (s.status === 'running') throw new FoureyesError('bad_input', `scan ${scanId} is not run by this process`);
        return { scanId, state: toSummary(ws, s).state };
      }
      r.abort.abort();
      await r.done;
      return { scanId, state: toSummary(ws, ws.scans.require(scanId)).state };
    },
    list: ({ engagementId, paging }) => {
      ws.engagements.require(engagementId);
      const all = ws.scans.listScans(engagementId);
      const items = toSummaries(ws, all.slice(paging.offset, paging.offset + paging.limit), overlay(engagementId));
      return { items, total: all.length, offset: paging.offset, limit: paging.limit };
    },
    get: ({ scanId }) => {
      const s = ws.scans.require(scanId);
      // One aggregate query for every host run's counts and score, not one read per run.
      const tallies = new Map<string, HostRunTally[]>();
      for (const t of ws.results.tallyByHostRun(scanId, [], overlay(s.engagementId))) {
        const list = tallies.get(t.hostRunId);
        if (list) list.push(t);
        else tallies.set(t.hostRunId, [t]);
      }
      const runs = ws.hostRuns.list(scanId);
      const hostRuns = runs.map((r) => toHostRun(r, tallies.get(r.id) ?? []));
      const states = zeroHostRunCounts();
      for (const r of runs) states[r.state] += 1;
      const failures = runs
        .filter((r) => r.state === 'failed')
        .slice(0, SCAN_FAILURES_LISTED)
        .map((r) => ({
          scanId: r.scanId,
          hostRunId: r.id,
          targetName: r.hostName,
          stoppedIn: r.stoppedIn,
          error: r.error ?? { code: 'internal' as const, message: 'failed without a recorded reason' },
        }));
      return { scan: summary(s, states, failures, sum(hostRuns.map((r) => r.counts))), hostRuns };
    },
    shutdown: async () => {
      for (const r of running.values()) r.abort.abort();
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}
