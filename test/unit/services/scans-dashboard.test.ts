/**
 * scan.get, scan.list and dashboard.summary from aggregate queries against the reference (every row read, each
 * host run scored from its own rows) on the seeded workspace: scans done, cancelled and running, a failed run, a
 * removed host, a local run, checks the catalogue does not know.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT } from '../../../shared/api/contract.js';
import { dashboardService } from '../../../main/services/dashboard.js';
import { scanService } from '../../../main/services/scans.js';
import { referenceDashboard, referenceScanGet, referenceScanList } from './api-reference.js';
import { seedResultsWorkspace, sync, type Seeded } from './results-seed.js';

let dir: string;
let s: Seeded;
let scans: ReturnType<typeof scanService>;
let dashboard: ReturnType<typeof dashboardService>;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-scans-dashboard-'));
  s = seedResultsWorkspace(path.join(dir, 'ws.sqlite'));
  scans = scanService(s.ws, s.catalogue, () => undefined);
  dashboard = dashboardService(s.ws, s.catalogue);
});
afterAll(async () => {
  await scans.shutdown();
  s.ws.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scan.get, scan.list and dashboard.summary match the reference', () => {
  it('scan.get: every scan, every host run (counts, score, state, error)', () => {
    for (const scanId of s.scanIds) {
      const input = CONTRACT['scan.get'].input.parse({ scanId });
      const got = sync(scans.get(input));
      expect(got).toEqual(referenceScanGet(s.ws, input));
      expect(CONTRACT['scan.get'].output.safeParse(got).success).toBe(true);
    }
    const first = sync(scans.get({ scanId: s.scanIds[0]! }));
    expect(first.hostRuns).toHaveLength(9);
    expect(first.hostRuns.filter((r) => r.state === 'failed')).toMatchObject([{ score: null, error: { code: 'unreachable' } }]);
    expect(first.hostRuns.filter((r) => r.hostId === null).map((r) => r.hostName).sort()).toEqual(['db01', 'gone-01']);
    expect(first.hostRuns.every((r) => r.state === 'failed' || typeof r.score === 'number')).toBe(true);
    expect(first.scan.counts).toEqual(
      first.hostRuns.reduce(
        (a, r) => ({
          pass: a.pass + r.counts.pass,
          fail: a.fail + r.counts.fail,
          not_applicable: a.not_applicable + r.counts.not_applicable,
          error: a.error + r.counts.error,
          manual: a.manual + r.counts.manual,
        }),
        { pass: 0, fail: 0, not_applicable: 0, error: 0, manual: 0 },
      ),
    );
  });

  it('scan.list: every page', () => {
    for (const paging of [{ offset: 0, limit: 100 }, { offset: 0, limit: 1 }, { offset: 1, limit: 2 }, { offset: 3, limit: 5 }, { offset: 9, limit: 5 }]) {
      const input = CONTRACT['scan.list'].input.parse({ engagementId: s.engagementId, paging });
      expect(sync(scans.list(input))).toEqual(referenceScanList(s.ws, input));
    }
    expect(sync(scans.list({ engagementId: s.engagementId, paging: { offset: 0, limit: 100 } })).items.map((x) => x.hostCount)).toEqual([2, 2, 3, 9]);
  });

  it('dashboard.summary: the latest finished scan by default, and each scan asked for', () => {
    for (const scanId of [undefined, ...s.scanIds]) {
      const input = CONTRACT['dashboard.summary'].input.parse({ engagementId: s.engagementId, ...(scanId ? { scanId } : {}) });
      const got = sync(dashboard.summary(input));
      expect(got).toEqual(referenceDashboard(s.ws, s.catalogue, input));
      expect(CONTRACT['dashboard.summary'].output.safeParse(got).success).toBe(true);
    }
    const d = sync(dashboard.summary({ engagementId: s.engagementId }));
    expect(d.scanId).toBe(s.scanIds[1]);
    expect(d.trend.map((t) => t.scanId)).toEqual(s.scanIds.slice(0, 2));
    // Results of checks the catalogue does not know count as hardening.
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(d.byFamily.reduce((a, f) => a + total(f.counts), 0)).toBe(total(d.trend[1]!.counts));
  });

  it('dashboard.summary of an engagement without scans, and of a scan of another engagement', () => {
    const other = s.ws.engagements.create({ name: 'Empty' });
    s.ws.hosts.add(other.id, { name: 'solo', address: '10.9.9.9', user: 'audit' });
    const input = CONTRACT['dashboard.summary'].input.parse({ engagementId: other.id });
    expect(sync(dashboard.summary(input))).toEqual(referenceDashboard(s.ws, s.catalogue, input));
    expect(sync(dashboard.summary(input)).hosts).toMatchObject([{ hostName: 'solo', hostRunId: null, score: null }]);
    expect(() => dashboard.summary({ engagementId: other.id, scanId: s.scanIds[0]! })).toThrow(/is not in this engagement/);
  });
});
