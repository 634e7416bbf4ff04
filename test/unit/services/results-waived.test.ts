/**
 * results.query and the tallies with waivers, against the reference (api-reference.ts: every row read, filtered,
 * sorted and paged in JS) with the verdicts mapped in JS: on the seeded workspace, with waivers of checks on every
 * host and of single host+check pairs, every sort, filters by the shown verdict, text, severity and host, and
 * paging; the counts of scan.get and dashboard.summary are the mapped rows counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_SORT_KEYS, ResultsQueryInputSchema, type ResultRow } from '../../../shared/api/schemas/results.js';
import { SHOWN_VERDICTS, WAIVABLE_VERDICTS, type ShownVerdict } from '../../../shared/model/results.js';
import { resultService } from '../../../main/services/results.js';
import { dashboardService } from '../../../main/services/dashboard.js';
import { scanService } from '../../../main/services/scans.js';
import { VERDICT_RANK } from '../../../main/store/repos/result-pages.js';
import type { AppliedWaivers } from '../../../main/waivers/overlay.js';
import { referenceQuery } from './api-reference.js';
import { seedResultsWorkspace, sync, type Seeded } from './results-seed.js';

let dir: string;
let s: Seeded;
let waived: AppliedWaivers;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-results-waived-'));
  s = seedResultsWorkspace(path.join(dir, 'ws.sqlite'));
  const stored = s.ws.results.forScan(s.scanIds[0]!);
  const freq = new Map<string, number>();
  for (const r of stored) freq.set(r.checkId, (freq.get(r.checkId) ?? 0) + 1);
  const common = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c]) => c);
  // Some host+check pairs that failed, erred or were manual on an inventory host, of checks not waived on all.
  const pairs = stored
    .filter((r) => r.hostId !== null && WAIVABLE_VERDICTS.includes(r.verdict) && !common.slice(0, 3).includes(r.checkId))
    .slice(0, 8)
    .map((r): [string, string] => [r.hostId!, r.checkId]);
  waived = { allHosts: [...common.slice(0, 3), 'zz-custom-check'], hostChecks: pairs, waivers: [] };
});
afterAll(() => {
  s.ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const shown = (r: Pick<ResultRow, 'hostId' | 'checkId' | 'verdict'>): ShownVerdict =>
  WAIVABLE_VERDICTS.includes(r.verdict as never) &&
  (waived.allHosts.includes(r.checkId) || waived.hostChecks.some(([h, c]) => h === r.hostId && c === r.checkId))
    ? 'waived'
    : r.verdict;

const SORTS = RESULT_SORT_KEYS.flatMap((by) => (['asc', 'desc'] as const).map((dir) => ({ by, dir })));

/** Every row of the scan the reference gives for `filter` (without verdicts), mapped, then filtered by `verdicts`. */
function expected(scanId: string, filter: Record<string, unknown>, sort: { by: string; dir: string }, verdicts?: ShownVerdict[]) {
  const all = referenceQuery(s.ws, s.catalogue, ResultsQueryInputSchema.parse({ scanId, filter, sort, paging: { offset: 0, limit: 1000 } }));
  expect(all.total).toBeLessThanOrEqual(1000);
  return all.items.map((r) => ({ ...r, verdict: shown(r) })).filter((r) => !verdicts || verdicts.includes(r.verdict));
}

describe('results with waivers', () => {
  const service = () => resultService(s.ws, s.catalogue, () => waived);
  const query = (input: unknown) => sync(service().query(ResultsQueryInputSchema.parse(input)));

  it('every sort and verdict filter gives the reference rows with their shown verdict', () => {
    const scanId = s.scanIds[0]!;
    const want = expected(scanId, {}, { by: 'check', dir: 'asc' });
    expect(want.filter((r) => r.verdict === 'waived').length).toBeGreaterThan(5);
    for (const sort of SORTS) {
      for (const verdicts of [undefined, ['waived'], ['fail'], ['fail', 'waived'], ['pass', 'manual']] as (ShownVerdict[] | undefined)[]) {
        for (const extra of [{}, { text: 'root' }, { severities: ['low', 'medium', 'high'] }, { hostIds: [s.hostIds[2]!] }]) {
          const filter = { ...extra, ...(verdicts ? { verdicts } : {}) };
          const got = query({ scanId, filter, sort, paging: { offset: 0, limit: 1000 } });
          const exp = expected(scanId, extra, sort.by === 'verdict' ? { by: 'check', dir: 'asc' } : sort, verdicts);
          const what = JSON.stringify({ sort, filter });
          expect(got.total, what).toBe(exp.length);
          if (sort.by === 'verdict') {
            // Same rows; ranked by the shown verdict.
            const key = (r: ResultRow) => `${r.hostRunId}/${r.checkId}/${r.verdict}`;
            expect(got.items.map(key).sort(), what).toEqual(exp.map(key).sort());
            const ranks = got.items.map((r) => VERDICT_RANK.indexOf(r.verdict));
            const ordered = [...ranks].sort((a, b) => (sort.dir === 'asc' ? a - b : b - a));
            expect(ranks, what).toEqual(ordered);
          } else {
            expect(got.items, what).toEqual(exp);
          }
        }
      }
    }
  });

  it('pages of 37 rows, sorted by verdict, join up to the whole list without overlap', () => {
    const scanId = s.scanIds[0]!;
    const whole = query({ scanId, sort: { by: 'verdict', dir: 'desc' }, paging: { offset: 0, limit: 1000 } });
    const paged: ResultRow[] = [];
    for (let offset = 0; offset < whole.total; offset += 37)
      paged.push(...query({ scanId, sort: { by: 'verdict', dir: 'desc' }, paging: { offset, limit: 37 } }).items);
    expect(paged).toEqual(whole.items);
  });

  it('scan.get, scan.list and dashboard.summary count the shown verdicts', () => {
    const scans = scanService(s.ws, s.catalogue, () => {}, () => {}, null, () => waived);
    const dashboard = dashboardService(s.ws, s.catalogue, { overlay: () => waived, expiringSoon: () => ({ count: 0, items: [] }) });
    for (const scanId of s.scanIds.slice(0, 2)) {
      const rows = expected(scanId, {}, { by: 'check', dir: 'asc' });
      const count = (v: ShownVerdict) => rows.filter((r) => r.verdict === v).length;
      const got = sync(scans.get({ scanId }));
      for (const v of SHOWN_VERDICTS) expect(v === 'waived' ? got.scan.counts.waived : got.scan.counts[v]).toBe(count(v));
      const listed = sync(scans.list({ engagementId: s.engagementId, paging: { offset: 0, limit: 10 } })).items.find((x) => x.id === scanId)!;
      expect(listed.counts).toEqual(got.scan.counts);
      for (const run of got.hostRuns) {
        const mine = rows.filter((r) => r.hostRunId === run.id);
        expect(run.counts.waived ?? 0).toBe(mine.filter((r) => r.verdict === 'waived').length);
        expect(run.counts.fail).toBe(mine.filter((r) => r.verdict === 'fail').length);
      }
    }
    const summary = sync(dashboard.summary({ engagementId: s.engagementId, scanId: s.scanIds[0]! }));
    const rows = expected(s.scanIds[0]!, {}, { by: 'check', dir: 'asc' });
    const sum = (k: 'waived' | 'fail') => summary.bySeverity.reduce((n, b) => n + (b.counts[k] ?? 0), 0);
    expect(sum('waived')).toBe(rows.filter((r) => r.verdict === 'waived').length);
    expect(sum('fail')).toBe(rows.filter((r) => r.verdict === 'fail').length);
    expect(summary.byFamily.reduce((n, b) => n + (b.counts.waived ?? 0), 0)).toBe(sum('waived'));
    expect(summary.trend.find((p) => p.scanId === s.scanIds[0])!.counts.waived).toBe(sum('waived'));
  });
});
