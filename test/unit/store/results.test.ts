import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../main/store/db.js';
import { STATS, makeResults, makeSnapshot, seededWorkspace, tempDir } from './helpers.js';

describe('results', () => {
  let cleanup: () => void;
  let ws: Workspace;
  let engagementId: string;
  let hostIds: [string, string];
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    ({ ws, engagementId, hostIds } = seededWorkspace(join(dir, 'w.sqlite')));
  });
  afterEach(() => {
    ws.close();
    cleanup();
  });

  function scanWithTwoHosts(n: number) {
    const s = ws.scans.createScan({ engagementId, catalogueVersion: '1', checkIds: [] });
    const [a, b] = ws.hostRuns.createHostRuns(s.id, [
      { hostId: hostIds[0], source: 'ssh' },
      { hostId: hostIds[1], source: 'ssh' },
    ]);
    ws.hostRuns.completeHostRun(a!.id, makeSnapshot(), makeResults(n), STATS);
    ws.hostRuns.completeHostRun(b!.id, makeSnapshot(), makeResults(n).slice(0, n / 2), STATS);
    return { scanId: s.id, runA: a!.id, runB: b!.id };
  }

  it('reads back every field of a result as it was recorded', () => {
    const { runA } = scanWithTwoHosts(20);
    const stored = ws.results.forHostRun(runA);
    const recorded = makeResults(20);
    expect(stored.map(({ id: _i, hostRunId: _h, hostName: _t, hostId: _o, ...rest }) => rest)).toEqual(
      recorded,
    );
    expect(stored[0]).toMatchObject({ hostRunId: runA, hostName: 'db01', hostId: hostIds[0] });
  });

  it('filters a scan by verdict, severity, minimum severity, host and check, combined with AND', () => {
    const { scanId, runB } = scanWithTwoHosts(100);
    expect(ws.results.forScan(scanId)).toHaveLength(150);
    const fails = ws.results.forScan(scanId, { verdicts: ['fail'] });
    expect(fails).toHaveLength(30);
    expect(new Set(fails.map((r) => r.verdict))).toEqual(new Set(['fail']));
    const high = ws.results.forScan(scanId, { minSeverity: 'high' });
    expect(new Set(high.map((r) => r.severity))).toEqual(new Set(['high', 'critical']));
    expect(high).toHaveLength(60);
    expect(
      ws.results
        .forScan(scanId, { severities: ['info', 'critical'], minSeverity: 'high' })
        .every((r) => r.severity === 'critical'),
    ).toBe(true);
    const web = ws.results.forScan(scanId, { hostIds: [hostIds[1]] });
    expect(web).toHaveLength(50);
    expect(web.every((r) => r.hostName === 'web01' && r.hostRunId === runB)).toBe(true);
    const combo = ws.results.forScan(scanId, {
      verdicts: ['fail', 'error'],
      minSeverity: 'medium',
      hostIds: [hostIds[0]],
    });
    expect(combo.length).toBeGreaterThan(0);
    expect(combo.every((r) => ['fail', 'error'].includes(r.verdict) && r.hostName === 'db01')).toBe(true);
    const brute = makeResults(100).filter(
      (r) => ['fail', 'error'].includes(r.verdict) && ['medium', 'high', 'critical'].includes(r.severity),
    );
    expect(combo.map((r) => r.checkId)).toEqual(brute.map((r) => r.checkId));
    expect(ws.results.forScan(scanId, { checkIds: ['check-00003'] }).map((r) => r.hostName)).toEqual([
      'db01',
      'web01',
    ]);
    expect(ws.results.forScan(scanId, { verdicts: [] })).toEqual([]);
    expect(() => ws.results.forScan(scanId, { verdicts: ["pass') OR 1=1 --" as never] })).toThrow(
      /invalid result filter/,
    );
  });

  it('pages a filtered query and counts its total', () => {
    const { scanId } = scanWithTwoHosts(100);
    const all = ws.results.forScan(scanId, { verdicts: ['fail'] });
    expect(ws.results.countForScan(scanId, { verdicts: ['fail'] })).toBe(all.length);
    const page2 = ws.results.forScan(scanId, { verdicts: ['fail'], limit: 7, offset: 7 });
    expect(page2.map((r) => r.id)).toEqual(all.slice(7, 14).map((r) => r.id));
    expect(ws.results.forScan(scanId, { offset: 149 })).toHaveLength(1);
  });

  it('a value that looks like SQL is just a value', () => {
    const { scanId } = scanWithTwoHosts(10);
    expect(ws.results.forScan(scanId, { checkIds: ["x' OR '1'='1"] })).toEqual([]);
    expect(ws.results.forScan(scanId, { hostIds: ['a-b_c'] })).toEqual([]);
  });

  it('counts verdicts per host run', () => {
    const { scanId, runA, runB } = scanWithTwoHosts(100);
    const counts = ws.results.verdictCounts(scanId);
    expect(counts.get(runA)).toEqual({ pass: 20, fail: 20, not_applicable: 20, error: 20, manual: 20 });
    expect(counts.get(runB)).toEqual({ pass: 10, fail: 10, not_applicable: 10, error: 10, manual: 10 });
  });

  it('stores 25,000 results of one host run in one completion', () => {
    const s = ws.scans.createScan({ engagementId, catalogueVersion: '1', checkIds: [] });
    const r = ws.hostRuns.createHostRun(s.id, { hostId: hostIds[0], source: 'ssh' });
    const results = makeResults(25_000);
    const t0 = performance.now();
    ws.hostRuns.completeHostRun(r.id, makeSnapshot(), results, STATS);
    const t1 = performance.now();
    const back = ws.results.forScan(s.id);
    const t2 = performance.now();
    expect(back).toHaveLength(25_000);
    expect(back[24_999]?.checkId).toBe('check-24999');
    console.log(`25,000 results: write ${(t1 - t0).toFixed(0)} ms, read ${(t2 - t1).toFixed(0)} ms`);
  });
});
