/**
 * The straightforward way to answer results.query, scan.get, scan.list and dashboard.summary: read every row of a
 * scan, join the catalogue in JS, filter, sort and page in memory, score each host run from its own rows. This was
 * the services' implementation before filtering, sorting and counting moved into SQL; it stays as the yardstick
 * that the SQL path must match row for row (tests) and beat (test/bench/api.ts).
 *
 * One deliberate difference from that earlier code: the text filter tests each field on its own (check id, title,
 * host name, actual, reason), as the contract describes it, instead of one newline-joined string in which a
 * needle containing a newline could match across two fields.
 */
import type { HandlerInput, MethodOutput } from '../../../shared/api/contract.js';
import { SCAN_FAILURES_LISTED, type HostRunView as ApiHostRun, type ScanSummary } from '../../../shared/api/schemas/scans.js';
import type { ResultRow } from '../../../shared/api/schemas/results.js';
import { FAMILIES, SEVERITIES, type Family, type Verdict } from '../../../shared/model/results.js';
import { zeroHostRunCounts, type HostRun, type Scan, type StoredResult } from '../../../shared/model/workspace.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import type { Catalogue } from '../../../main/catalogue/load.js';
import { scoreResults } from '../../../main/engine/score.js';
import type { Workspace } from '../../../main/store/db.js';
import type { VerdictCounts } from '../../../main/store/repos/results.js';

const zero = (): VerdictCounts => ({ pass: 0, fail: 0, not_applicable: 0, error: 0, manual: 0 });

function sum(counts: Iterable<VerdictCounts>): VerdictCounts {
  const out = zero();
  for (const c of counts) for (const k of Object.keys(out) as (keyof VerdictCounts)[]) out[k] += c[k];
  return out;
}

const score = (rs: readonly StoredResult[]) => {
  const sev = new Map(rs.map((r) => [r.checkId, r.severity]));
  return scoreResults(rs, (id) => sev.get(id));
};

const rank = {
  severity: (r: ResultRow) => SEVERITIES.indexOf(r.severity),
  verdict: (r: ResultRow) => ['not_applicable', 'pass', 'manual', 'fail', 'error'].indexOf(r.verdict),
} as const;

/** results.query over every row of the scan. */
export function referenceQuery(
  ws: Workspace,
  catalogue: Catalogue,
  { scanId, filter, sort, paging }: HandlerInput<'results.query'>,
): MethodOutput<'results.query'> {
  ws.scans.require(scanId);
  const stored = ws.results.forScan(scanId, {
    // Without waivers no result shows as waived.
    ...(filter.verdicts ? { verdicts: filter.verdicts.filter((v): v is Verdict => v !== 'waived') } : {}),
    ...(filter.severities ? { severities: filter.severities } : {}),
    ...(filter.hostIds ? { hostIds: filter.hostIds } : {}),
  });
  const text = filter.text?.toLowerCase();
  const rows: ResultRow[] = [];
  for (const r of stored) {
    const c = catalogue.byId.get(r.checkId);
    const row: ResultRow = {
      hostRunId: r.hostRunId,
      hostId: r.hostId,
      hostName: r.hostName,
      checkId: r.checkId,
      title: c?.title ?? r.checkId,
      family: c?.family ?? 'hardening',
      area: c?.area ?? '',
      severity: r.severity,
      verdict: r.verdict,
      reason: r.reason,
      expected: r.expected,
      actual: r.actual,
    };
    if (filter.families && !filter.families.includes(row.family)) continue;
    if (filter.areas && !filter.areas.includes(row.area)) continue;
    if (text !== undefined) {
      const fields = [row.checkId, row.title, row.hostName, row.actual, row.reason];
      if (!fields.some((f) => f.toLowerCase().includes(text))) continue;
    }
    rows.push(row);
  }
  const dir = sort.dir === 'asc' ? 1 : -1;
  const key = (r: ResultRow): number | string =>
    sort.by === 'host' ? r.hostName : sort.by === 'check' ? r.checkId : rank[sort.by](r);
  rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : 0;
    return c !== 0 ? c * dir : a.hostName.localeCompare(b.hostName) || a.checkId.localeCompare(b.checkId);
  });
  return {
    items: rows.slice(paging.offset, paging.offset + paging.limit),
    total: rows.length,
    offset: paging.offset,
    limit: paging.limit,
  };
}

function toSummary(ws: Workspace, s: Scan): ScanSummary {
  const runs = ws.hostRuns.list(s.id);
  const hostStates = zeroHostRunCounts();
  for (const r of runs) hostStates[r.state] += 1;
  return {
    id: s.id,
    engagementId: s.engagementId,
    state: s.status,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    hostCount: runs.length,
    catalogueVersion: s.catalogueVersion,
    selection: {
      ...(s.profile !== null ? { profile: s.profile } : {}),
      ...(s.checkIds.length > 0 ? { checkIds: s.checkIds } : {}),
    },
    counts: sum(ws.results.verdictCounts(s.id).values()),
    hostStates,
    failures: runs
      .filter((r) => r.state === 'failed')
      .slice(0, SCAN_FAILURES_LISTED)
      .map((r) => ({ hostRunId: r.id, hostName: r.hostName, stoppedIn: r.stoppedIn, error: r.error! })),
  };
}

function toHostRun(ws: Workspace, r: HostRun, counts: VerdictCounts | undefined): ApiHostRun {
  const rs = ws.results.forHostRun(r.id);
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
    counts: counts ?? zero(),
    score: score(rs).score,
  };
}

/** scan.get: every host run scored from its own rows, one read per run. */
export function referenceScanGet(ws: Workspace, { scanId }: HandlerInput<'scan.get'>): MethodOutput<'scan.get'> {
  const s = ws.scans.require(scanId);
  const counts = ws.results.verdictCounts(scanId);
  return { scan: toSummary(ws, s), hostRuns: ws.hostRuns.list(scanId).map((r) => toHostRun(ws, r, counts.get(r.id))) };
}

/** scan.list: one summary per scan of the page. */
export function referenceScanList(
  ws: Workspace,
  { engagementId, paging }: HandlerInput<'scan.list'>,
): MethodOutput<'scan.list'> {
  ws.engagements.require(engagementId);
  const all = ws.scans.listScans(engagementId);
  const items = all.slice(paging.offset, paging.offset + paging.limit).map((s) => toSummary(ws, s));
  return { items, total: all.length, offset: paging.offset, limit: paging.limit };
}

/** dashboard.summary: the chosen scan's rows filtered per host, family and severity; every finished scan read for the trend. */
export function referenceDashboard(
  ws: Workspace,
  catalogue: Catalogue,
  { engagementId, scanId }: HandlerInput<'dashboard.summary'>,
): MethodOutput<'dashboard.summary'> {
  ws.engagements.require(engagementId);
  const scans = ws.scans.listScans(engagementId);
  const finished = scans.filter((s) => s.status === 'done').sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  let chosen = finished.at(-1)?.id ?? null;
  if (scanId !== undefined) {
    const s = ws.scans.require(scanId);
    if (s.engagementId !== engagementId) throw new FoureyesError('bad_input', `scan ${scanId} is not in this engagement`);
    chosen = s.id;
  }
  const results = chosen !== null ? ws.results.forScan(chosen) : [];
  const runs = chosen !== null ? ws.hostRuns.list(chosen) : [];
  const byRun = new Map<string, StoredResult[]>();
  for (const r of results) byRun.set(r.hostRunId, [...(byRun.get(r.hostRunId) ?? []), r]);

  const hosts: MethodOutput<'dashboard.summary'>['hosts'] = ws.hosts.list(engagementId).map((h) => {
    const run = runs.find((r) => r.hostId === h.id);
    const s = score(run ? (byRun.get(run.id) ?? []) : []);
    return {
      hostId: h.id,
      hostName: h.name,
      hostRunId: run?.id ?? null,
      state: run ? run.state : null,
      error: run?.error ?? null,
      stoppedIn: run?.stoppedIn ?? null,
      score: s.score,
      counts: s.counts,
    };
  });
  for (const run of runs.filter((r) => r.hostId === null || !hosts.some((h) => h.hostId === r.hostId))) {
    const s = score(byRun.get(run.id) ?? []);
    hosts.push({
      hostId: null,
      hostName: run.hostName,
      hostRunId: run.id,
      state: run.state,
      error: run.error,
      stoppedIn: run.stoppedIn,
      score: s.score,
      counts: s.counts,
    });
  }
  const familyOf = (id: string): Family => catalogue.byId.get(id)?.family ?? 'hardening';
  const byFamily = FAMILIES.map((family) => ({
    family,
    counts: score(results.filter((r) => familyOf(r.checkId) === family)).counts,
  }));
  const bySeverity = SEVERITIES.map((severity) => ({
    severity,
    counts: score(results.filter((r) => r.severity === severity)).counts,
  }));
  const trend = finished.map((s) => {
    const sc = score(ws.results.forScan(s.id));
    return { scanId: s.id, startedAt: s.startedAt, score: sc.score, counts: sc.counts };
  });
  // No waivers in the reference workspaces.
  return { scanId: chosen, hosts, unlistedHosts: 0, byFamily, bySeverity, trend, waiversExpiring: { count: 0, items: [] } };
}
