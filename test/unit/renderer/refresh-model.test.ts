import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HOST_RUN_STATES, type HostRunState } from '../../../shared/api/schemas/scans.js';
import { EMPTY_FILTER, queryKey, scanIdOfKey } from '../../../renderer/src/screens/results/resultsModel.js';
import {
  coalescer,
  dashboardReloadOnFinished,
  dashboardReloadOnProgress,
  refreshDelay,
  resultsActionOn,
  scanProgress,
  type DashboardContext,
} from '../../../renderer/src/screens/results/refreshModel.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('refreshDelay', () => {
  it('runs the first request at once and waits out the rest of the interval after a run', () => {
    expect(refreshDelay(1000, null, false)).toBe(0);
    expect(refreshDelay(1100, 1000, false)).toBe(400);
    expect(refreshDelay(1600, 1000, false)).toBe(0);
    expect(refreshDelay(1100, 1000, true)).toBeNull();
  });

  it('never lets two runs come closer than the interval', () => {
    // Requests at random times: simulate the throttle and check the gaps between runs.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 60 }), (times) => {
        const asks = [...times].sort((a, b) => a - b);
        const runs: number[] = [];
        let scheduledAt: number | null = null;
        const flush = (until: number): void => {
          if (scheduledAt !== null && scheduledAt <= until) {
            runs.push(scheduledAt);
            scheduledAt = null;
          }
        };
        for (const t of asks) {
          flush(t);
          const d = refreshDelay(t, runs.at(-1) ?? null, scheduledAt !== null, 500);
          if (d !== null) scheduledAt = t + d;
        }
        flush(Infinity);
        for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBeGreaterThanOrEqual(500);
        // Every request is covered by a run at or after it.
        expect(runs.at(-1)!).toBeGreaterThanOrEqual(asks.at(-1)!);
      }),
    );
  });
});

describe('coalescer', () => {
  it('turns a burst into one immediate and one trailing run', async () => {
    const at: number[] = [];
    const t0 = Date.now();
    const c = coalescer(() => at.push(Date.now() - t0), 150);
    for (let i = 0; i < 20; i++) c.request();
    await sleep(20);
    expect(at).toHaveLength(1);
    for (let i = 0; i < 20; i++) c.request();
    await sleep(300);
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(140);
  });

  it('drops a scheduled run when cancelled', async () => {
    let n = 0;
    const c = coalescer(() => n++, 100);
    c.request();
    await sleep(10);
    c.request();
    c.cancel();
    await sleep(200);
    expect(n).toBe(1);
  });
});

describe('resultsActionOn', () => {
  it('refreshes on screen and drops rows off screen, only for terminal runs of the scan shown', () => {
    const ended: HostRunState[] = ['done', 'failed', 'cancelled', 'interrupted'];
    for (const state of HOST_RUN_STATES) {
      const terminal = ended.includes(state);
      expect(resultsActionOn({ scanId: 's1', state }, 's1', true)).toBe(terminal ? 'refresh' : 'none');
      expect(resultsActionOn({ scanId: 's1', state }, 's1', false)).toBe(terminal ? 'invalidate' : 'none');
      expect(resultsActionOn({ scanId: 's2', state }, 's1', true)).toBe('none');
      expect(resultsActionOn({ scanId: 's1', state }, null, true)).toBe('none');
    }
  });
});

describe('dashboard reloads', () => {
  const ctx: DashboardContext = {
    open: true,
    shownScanId: 'running',
    engagementScanIds: ['running', 'old'],
    otherScanIds: ['elsewhere'],
  };
  it('reloads when a run of the scan shown ends, not for other scans or steps', () => {
    expect(dashboardReloadOnProgress({ scanId: 'running', state: 'done' }, ctx)).toBe(true);
    expect(dashboardReloadOnProgress({ scanId: 'running', state: 'failed' }, ctx)).toBe(true);
    expect(dashboardReloadOnProgress({ scanId: 'running', state: 'collecting' }, ctx)).toBe(false);
    expect(dashboardReloadOnProgress({ scanId: 'old', state: 'done' }, ctx)).toBe(false);
    expect(dashboardReloadOnProgress({ scanId: 'running', state: 'done' }, { ...ctx, open: false })).toBe(
      false,
    );
  });
  it('reloads when a scan of the engagement, or one not known yet, ends; not for another engagement', () => {
    const latest = { ...ctx, shownScanId: 'old' };
    expect(dashboardReloadOnFinished('running', latest)).toBe(true);
    expect(dashboardReloadOnFinished('new-one', latest)).toBe(true);
    expect(dashboardReloadOnFinished('elsewhere', latest)).toBe(false);
    expect(dashboardReloadOnFinished('running', { ...latest, open: false })).toBe(false);
  });
});

describe('scanProgress', () => {
  it('counts ended runs of a running scan', () => {
    const runs = (...s: HostRunState[]) => s.map((state) => ({ state }));
    const p = scanProgress('running', runs('done', 'connecting', 'failed', 'queued'));
    expect(p).toMatchObject({ running: true, ended: 2, total: 4, failed: 1 });
    expect(p.text).toBe('scan running: 2 of 4 hosts done (1 failed)');
    expect(scanProgress('running', runs('collecting')).text).toBe('scan running: 0 of 1 host done');
    const c = scanProgress('cancelled', runs('done', 'cancelled'));
    expect(c.running).toBe(false);
    expect(c.text).toBe('scan cancelled: 2 of 2 hosts done');
  });
});

describe('scanIdOfKey', () => {
  it('reads the scan back from any query key', () => {
    const key = queryKey({
      scanId: 'abc',
      filter: { ...EMPTY_FILTER, text: ' ["x" ' },
      sort: { by: 'host', dir: 'asc' },
    });
    expect(scanIdOfKey(key)).toBe('abc');
    expect(scanIdOfKey('not json')).toBeNull();
  });
});
