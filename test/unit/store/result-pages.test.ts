import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../main/store/db.js';
import { zeroHostRunCounts } from '../../../shared/model/workspace.js';
import { STATS, makeResults, makeSnapshot, seededWorkspace, tempDir } from './helpers.js';

describe('result pages and tallies in SQL', () => {
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

  function scan(n: number) {
    const s = ws.scans.createScan({ engagementId, catalogueVersion: '1', checkIds: [] });
    const [a, b] = ws.hostRuns.createHostRuns(s.id, [
      { hostId: hostIds[0], source: 'ssh' },
      { hostId: hostIds[1], source: 'ssh' },
    ]);
    ws.hostRuns.completeHostRun(a!.id, makeSnapshot(), makeResults(n), STATS);
    ws.hostRuns.completeHostRun(b!.id, makeSnapshot(), makeResults(n / 2), STATS);
    return { scanId: s.id, runA: a!.id, runB: b!.id };
  }

  const sort = { by: 'severity', dir: 'desc' } as const;

  it('a page holds the page rows only, with the total, worst severity first, ties by host then check', () => {
    const { scanId } = scan(100);
    const p = ws.results.page(scanId, { sort, offset: 0, limit: 3 });
    expect(p.total).toBe(150);
    expect(p.items.map((r) => [r.severity, r.targetName, r.checkId])).toEqual([
      ['critical', 'db01', 'check-00004'],
      ['critical', 'db01', 'check-00009'],
      ['critical', 'db01', 'check-00014'],
    ]);
    expect(Object.keys(p.items[0]!).sort()).toEqual(
      ['actual', 'checkId', 'expected', 'hostId', 'hostRunId', 'reason', 'severity', 'targetName', 'verdict'],
    );
    const last = ws.results.page(scanId, { sort, offset: 149, limit: 10 });
    expect(last.items.map((r) => [r.severity, r.targetName, r.checkId])).toEqual([['info', 'web01', 'check-00045']]);
    expect(ws.results.page(scanId, { sort, offset: 150, limit: 10 })).toEqual({ items: [], total: 150 });
  });

  it('values stay values, and a malformed query is bad input', () => {
    const { scanId } = scan(10);
    expect(ws.results.page(scanId, { sort, offset: 0, limit: 5, checks: { in: ["x' OR '1'='1"] } }).total).toBe(0);
    expect(ws.results.page(scanId, { sort, offset: 0, limit: 5, text: { contains: "' OR 1=1 --", orCheckIds: [] } }).total).toBe(0);
    expect(() => ws.results.page(scanId, { sort, offset: 0, limit: 0 })).toThrow(/invalid result page query/);
    expect(() => ws.results.page(scanId, { sort: { by: 'evidence' as never, dir: 'asc' }, offset: 0, limit: 5 })).toThrow(
      /invalid result page query/,
    );
  });

  it('tallies per host run and per scan agree with the per-run verdict counts', () => {
    const { scanId, runA, runB } = scan(100);
    const byRun = ws.results.tallyByHostRun(scanId, [['check-00000', 'check-00005', 'nope'], []]);
    const counts = ws.results.verdictCounts(scanId);
    for (const run of [runA, runB]) {
      const mine = byRun.filter((t) => t.hostRunId === run);
      for (const [v, n] of Object.entries(counts.get(run)!)) {
        expect(mine.filter((t) => t.verdict === v).reduce((a, t) => a + t.n, 0)).toBe(n);
      }
    }
    // check-00000 (pass, info) and check-00005 (pass, info) on both runs.
    expect(byRun.filter((t) => t.inSets[0]! > 0)).toMatchObject([
      { hostRunId: runA, verdict: 'pass', severity: 'info', inSets: [2, 0] },
      { hostRunId: runB, verdict: 'pass', severity: 'info', inSets: [2, 0] },
    ]);
    const byScan = ws.results.tallyByScan([scanId, scanId]);
    expect(byScan.reduce((a, t) => a + t.n, 0)).toBe(150);
    expect(ws.results.verdictsByScan([scanId]).get(scanId)).toEqual({ pass: 30, fail: 30, not_applicable: 30, error: 30, manual: 30 });
    expect(ws.results.tallyByScan([])).toEqual([]);
    expect(ws.hostRuns.statesByScan([scanId, 'none'])).toEqual(
      new Map([[scanId, { ...zeroHostRunCounts(), done: 2 }]]),
    );
  });
});
