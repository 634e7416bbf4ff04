/**
 * Scans over the store. Store statuses are mapped to the contract's: an `interrupted` scan or host run (the
 * application stopped while it ran) is reported as `cancelled`, which is what it is to the user.
 */
import type { HostRun as ApiHostRun, ScanSummary } from '../../shared/api/schemas/scans.js';
import type { HostRun, Scan } from '../../shared/model/workspace.js';
import type { ScanService } from '../api/services.js';
import type { Workspace } from '../store/db.js';
import type { VerdictCounts } from '../store/repos/results.js';
import { notAvailable } from './errors.js';

const zero = (): VerdictCounts => ({ pass: 0, fail: 0, not_applicable: 0, error: 0, manual: 0 });

function sum(counts: Iterable<VerdictCounts>): VerdictCounts {
  const out = zero();
  for (const c of counts) for (const k of Object.keys(out) as (keyof VerdictCounts)[]) out[k] += c[k];
  return out;
}

function toSummary(ws: Workspace, s: Scan): ScanSummary {
  return {
    id: s.id,
    engagementId: s.engagementId,
    state: s.status === 'interrupted' ? 'cancelled' : s.status,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    hostCount: ws.hostRuns.list(s.id).length,
    catalogueVersion: s.catalogueVersion,
    selection: {
      ...(s.profile !== null ? { profile: s.profile } : {}),
      ...(s.checkIds.length > 0 ? { checkIds: s.checkIds } : {}),
    },
    counts: sum(ws.results.verdictCounts(s.id).values()),
  };
}

/** Severity-weighted share of applicable checks passed is the engine's; here only runs without results get null. */
function toHostRun(r: HostRun, counts: VerdictCounts | undefined): ApiHostRun {
  return {
    id: r.id,
    scanId: r.scanId,
    // The contract has no null host id; a run of the local machine or of a removed host shows its own id.
    hostId: r.hostId ?? r.id,
    hostName: r.targetName,
    state: r.status === 'interrupted' ? 'cancelled' : r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    error: r.error,
    privileged: r.privilege === null ? null : r.privilege !== 'none',
    counts: counts ?? zero(),
    score: null,
  };
}

export interface ScanServiceImpl extends ScanService {
  /** Stops running scans at shutdown. */
  shutdown(): Promise<void>;
}

export function scanService(ws: Workspace): ScanServiceImpl {
  return {
    start: () => notAvailable('scanning'),
    cancel: () => notAvailable('scan cancellation'),
    list: ({ engagementId, paging }) => {
      ws.engagements.require(engagementId);
      const all = ws.scans.listScans(engagementId);
      const items = all.slice(paging.offset, paging.offset + paging.limit).map((s) => toSummary(ws, s));
      return { items, total: all.length, offset: paging.offset, limit: paging.limit };
    },
    get: ({ scanId }) => {
      const s = ws.scans.require(scanId);
      const counts = ws.results.verdictCounts(scanId);
      return { scan: toSummary(ws, s), hostRuns: ws.hostRuns.list(scanId).map((r) => toHostRun(r, counts.get(r.id))) };
    },
    shutdown: () => Promise.resolve(),
  };
}
