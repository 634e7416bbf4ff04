import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFoureyesError } from '../../../shared/model/errors.js';
import type { RecordedResult } from '../../../shared/model/workspace.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { STATS, goneOwner, makeResults, makeSnapshot, seededWorkspace, tempDir } from './helpers.js';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isFoureyesError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a FoureyesError');
}

describe('scans and host runs', () => {
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

  const newScan = () =>
    ws.scans.createScan({
      engagementId,
      catalogueVersion: '2026.1+abc',
      profile: 'baseline',
      checkIds: ['ssh-root-login'],
      options: { concurrency: 4, deadlineMs: 60000 },
    });
  const count = (sql: string, ...p: unknown[]) => (ws.db.prepare(sql).get(...p) as { n: number }).n;

  it('creates a scan with queued host runs in order and lists scans newest first', () => {
    const s1 = newScan();
    expect(s1).toMatchObject({
      status: 'running',
      finishedAt: null,
      profile: 'baseline',
      options: { concurrency: 4 },
    });
    const runs = ws.hostRuns.createHostRuns(s1.id, [
      { hostId: hostIds[1], source: 'ssh' },
      { hostId: hostIds[0], source: 'ssh' },
      { targetName: 'localhost', source: 'local' },
    ]);
    expect(runs.map((r) => [r.hostName, r.state, r.hostId])).toEqual([
      ['web01', 'queued', hostIds[1]],
      ['db01', 'queued', hostIds[0]],
      ['localhost', 'queued', null],
    ]);
    expect(ws.scans.getScan(s1.id)?.hostRuns.map((r) => r.id)).toEqual(runs.map((r) => r.id));
    const s2 = newScan();
    expect(ws.scans.listScans(engagementId).map((s) => s.id)).toEqual([s2.id, s1.id]);
    expect(ws.scans.getScan('nope')).toBeUndefined();
  });

  it('refuses a host of another engagement and a run without a name; creates none of a bad batch', () => {
    const s = newScan();
    const other = ws.engagements.create({ name: 'Other' });
    const foreign = ws.hosts.add(other.id, { name: 'x', address: 'x', user: 'u' });
    expect(
      errorOf(() =>
        ws.hostRuns.createHostRuns(s.id, [
          { hostId: hostIds[0], source: 'ssh' },
          { hostId: foreign.id, source: 'ssh' },
        ]),
      ).message,
    ).toMatch(/not a host of the scan's engagement/);
    expect(errorOf(() => ws.hostRuns.createHostRun(s.id, { source: 'import' })).code).toBe('bad_input');
    expect(count('SELECT count(*) AS n FROM host_run')).toBe(0);
  });

  it('moves a run forward, records start time and privilege, and refuses going back or marking an ended run', () => {
    const s = newScan();
    const r = ws.hostRuns.createHostRun(s.id, { hostId: hostIds[0], source: 'ssh' });
    expect(r.startedAt).toBeNull();
    const c = ws.hostRuns.markHostRun(r.id, 'connecting');
    expect(c.startedAt).not.toBeNull();
    const col = ws.hostRuns.markHostRun(r.id, 'collecting', { privilege: 'sudo' });
    expect(col).toMatchObject({ state: 'collecting', privilege: 'sudo', startedAt: c.startedAt });
    expect(errorOf(() => ws.hostRuns.markHostRun(r.id, 'connecting')).message).toMatch(
      /cannot go back from collecting/,
    );
    ws.hostRuns.completeHostRun(r.id, makeSnapshot(), makeResults(3), STATS);
    expect(errorOf(() => ws.hostRuns.markHostRun(r.id, 'cancelled')).message).toMatch(
      /already ended as done/,
    );
    expect(errorOf(() => ws.hostRuns.completeHostRun(r.id, makeSnapshot(), [], STATS)).message).toMatch(
      /already ended/,
    );
  });

  it('completeHostRun stores snapshot, all results, stats and status done together', () => {
    const s = newScan();
    const r = ws.hostRuns.createHostRun(s.id, { hostId: hostIds[0], source: 'ssh' });
    ws.hostRuns.markHostRun(r.id, 'evaluating');
    const done = ws.hostRuns.completeHostRun(r.id, makeSnapshot(), makeResults(40), STATS, {
      privilege: 'root',
    });
    expect(done).toMatchObject({ state: 'done', privilege: 'root', stats: STATS, error: null });
    expect(done.finishedAt).not.toBeNull();
    expect(ws.results.forHostRun(r.id)).toHaveLength(40);
    expect(ws.snapshots.info(r.id)).toMatchObject({ complete: true, format: 'foureyes.snapshot/1' });
  });

  it('completeHostRun is atomic: a result rejected midway leaves no snapshot, no result and the old status', () => {
    const s = newScan();
    const r = ws.hostRuns.createHostRun(s.id, { hostId: hostIds[0], source: 'ssh' });
    ws.hostRuns.markHostRun(r.id, 'evaluating');
    const results = makeResults(100);
    results[57] = { ...results[57]!, verdict: 'maybe' as RecordedResult['verdict'] };
    const err = errorOf(() => ws.hostRuns.completeHostRun(r.id, makeSnapshot(), results, STATS));
    expect(err.code).toBe('store');
    expect(err.message).toMatch(/result for check "check-00057": rejected .*verdict "maybe"/);
    expect(count('SELECT count(*) AS n FROM result')).toBe(0);
    expect(count('SELECT count(*) AS n FROM snapshot')).toBe(0);
    expect(ws.hostRuns.require(r.id)).toMatchObject({ state: 'evaluating', finishedAt: null, stats: null });
    expect(ws.db.inTransaction).toBe(false);

    const dup = makeResults(10);
    dup[9] = { ...dup[9]!, checkId: dup[2]!.checkId };
    expect(errorOf(() => ws.hostRuns.completeHostRun(r.id, makeSnapshot(), dup, STATS)).message).toMatch(
      /a second result for the same check/,
    );
    expect(count('SELECT count(*) AS n FROM result')).toBe(0);
    expect(count('SELECT count(*) AS n FROM snapshot')).toBe(0);

    // the run is still completable afterwards
    expect(ws.hostRuns.completeHostRun(r.id, makeSnapshot(), makeResults(100), STATS).state).toBe('done');
    expect(count('SELECT count(*) AS n FROM result')).toBe(100);
  });

  it('failHostRun keeps the partial snapshot, marked incomplete, with the error and no results', () => {
    const s = newScan();
    const r = ws.hostRuns.createHostRun(s.id, { hostId: hostIds[0], source: 'ssh' });
    ws.hostRuns.markHostRun(r.id, 'collecting');
    const partial = makeSnapshot({ complete: false });
    const failed = ws.hostRuns.failHostRun(
      r.id,
      { code: 'timeout', message: 'collector exceeded 300 s on db01', details: { deadlineMs: 300000 } },
      partial,
      STATS,
    );
    expect(failed).toMatchObject({
      state: 'failed',
      error: {
        code: 'timeout',
        message: 'collector exceeded 300 s on db01',
        details: { deadlineMs: 300000 },
      },
      stats: STATS,
    });
    expect(ws.snapshots.info(r.id)?.complete).toBe(false);
    expect(ws.snapshots.loadSnapshot(r.id)).toEqual(partial);
    expect(ws.results.forHostRun(r.id)).toEqual([]);

    // even a snapshot that claims completeness is stored as incomplete for a failed run
    const r2 = ws.hostRuns.createHostRun(s.id, { hostId: hostIds[1], source: 'ssh' });
    ws.hostRuns.failHostRun(
      r2.id,
      { code: 'collector', message: 'evaluation failed' },
      makeSnapshot({ complete: true }),
    );
    expect(ws.snapshots.info(r2.id)?.complete).toBe(false);
    // and without a snapshot there is none
    const r3 = ws.hostRuns.createHostRun(s.id, { targetName: 'gone', source: 'ssh' });
    expect(
      ws.hostRuns.failHostRun(r3.id, { code: 'unreachable', message: 'no route to gone' }).error?.code,
    ).toBe('unreachable');
    expect(ws.snapshots.info(r3.id)).toBeUndefined();
  });

  it('refuses malformed stats and unknown error codes before writing anything', () => {
    const s = newScan();
    const r = ws.hostRuns.createHostRun(s.id, { hostId: hostIds[0], source: 'ssh' });
    const badStats = { ...STATS, bytesIn: -1 };
    expect(
      errorOf(() => ws.hostRuns.completeHostRun(r.id, makeSnapshot(), makeResults(2), badStats)).message,
    ).toMatch(/invalid host run stats: bytesIn/);
    const badError = { code: 'oops', message: 'x' } as never;
    expect(errorOf(() => ws.hostRuns.failHostRun(r.id, badError, makeSnapshot())).message).toMatch(
      /invalid host run error/,
    );
    expect(ws.hostRuns.require(r.id).state).toBe('queued');
    expect(count('SELECT count(*) AS n FROM snapshot')).toBe(0);
  });

  it('finishScan: done only when every run ended; cancelled cancels the rest and keeps finished work', () => {
    const s = newScan();
    const [a, b, c] = ws.hostRuns.createHostRuns(s.id, [
      { hostId: hostIds[0], source: 'ssh' },
      { hostId: hostIds[1], source: 'ssh' },
      { targetName: 'localhost', source: 'local' },
    ]);
    ws.hostRuns.completeHostRun(a!.id, makeSnapshot(), makeResults(5), STATS);
    ws.hostRuns.markHostRun(b!.id, 'collecting');
    expect(errorOf(() => ws.scans.finishScan(s.id)).message).toMatch(
      /host runs still active: web01 \(collecting\), localhost \(queued\)/,
    );
    const cancelled = ws.scans.finishScan(s.id, 'cancelled');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.finishedAt).not.toBeNull();
    expect(ws.scans.getScan(s.id)?.hostRuns.map((r) => r.state)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(ws.hostRuns.require(c!.id).finishedAt).not.toBeNull();
    expect(ws.results.forHostRun(a!.id)).toHaveLength(5);
    expect(errorOf(() => ws.scans.finishScan(s.id)).message).toMatch(/already ended as cancelled/);
    expect(
      errorOf(() => ws.hostRuns.createHostRun(s.id, { targetName: 'late', source: 'local' })).message,
    ).toMatch(/is cancelled; no host can be added/);

    const s2 = newScan();
    const [x] = ws.hostRuns.createHostRuns(s2.id, [{ hostId: hostIds[0], source: 'ssh' }]);
    ws.hostRuns.failHostRun(x!.id, { code: 'auth_failed', message: 'db01: authentication failed' });
    expect(ws.scans.finishScan(s2.id).status).toBe('done');
  });

  it('markInterrupted: running scans of a gone owner and their unfinished runs become interrupted, finished runs stay', () => {
    // The scan is run by a process that has ended since; this connection sweeps.
    const dead = openWorkspace(ws.path, { owner: goneOwner() });
    const s = dead.scans.createScan({ engagementId, catalogueVersion: '2026.1', checkIds: [] });
    const [a, b, c] = dead.hostRuns.createHostRuns(s.id, [
      { hostId: hostIds[0], source: 'ssh' },
      { hostId: hostIds[1], source: 'ssh' },
      { targetName: 'localhost', source: 'local' },
    ]);
    dead.hostRuns.completeHostRun(a!.id, makeSnapshot(), makeResults(5), STATS);
    dead.hostRuns.markHostRun(b!.id, 'evaluating');
    const finished = newScan();
    ws.scans.finishScan(finished.id);
    const live = newScan();
    expect(ws.scans.markInterrupted()).toEqual({ scans: 1, hostRuns: 2 });
    expect(ws.scans.getScan(s.id)?.status).toBe('interrupted');
    expect(ws.scans.getScan(finished.id)?.status).toBe('done');
    // This process's own scan is alive: left running.
    expect(ws.scans.getScan(live.id)?.status).toBe('running');
    expect([a, b, c].map((r) => ws.hostRuns.require(r!.id).state)).toEqual([
      'done',
      'interrupted',
      'interrupted',
    ]);
    expect(ws.scans.markInterrupted()).toEqual({ scans: 0, hostRuns: 0 });
    dead.close();
  });

  it('a scan cannot start in an archived engagement', () => {
    ws.engagements.archive(engagementId);
    expect(errorOf(() => newScan()).message).toMatch(/archived/);
  });
});
