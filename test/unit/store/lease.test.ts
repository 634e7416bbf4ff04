/**
 * Scan ownership in one process, posing as others through `openWorkspace({ owner })`: who counts as gone (ended
 * pid, reused pid, stale heartbeat of another machine), that a live owner's scan is never ended or changed by
 * another connection, the heartbeat, and a connection closing with its scans left running.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { STALE_AFTER_MS, processOwner, processStart, type OwnerIdentity } from '../../../main/store/lease.js';
import { STATS, goneOwner, makeResults, makeSnapshot, seededWorkspace, tempDir } from './helpers.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/** A process on another machine (only its heartbeat can tell whether it is there). */
function remoteOwner(): OwnerIdentity {
  return {
    id: randomUUID(),
    machine: 'another-machine-id',
    hostname: 'laptop-2',
    bootId: 'b0',
    pidNs: 'pid:[1]',
    pid: 4242,
    pidStart: 99,
  };
}

describe('scan owners', () => {
  let cleanup: () => void;
  let path: string;
  let ws: Workspace;
  let engagementId: string;
  let hostIds: [string, string];
  const others: Workspace[] = [];
  const open = (owner: OwnerIdentity, now?: () => Date): Workspace => {
    const w = openWorkspace(path, { owner, ...(now ? { now } : {}) });
    others.push(w);
    return w;
  };
  const scanIn = (w: Workspace) => {
    const s = w.scans.createScan({ engagementId, catalogueVersion: 'v1', checkIds: [] });
    const runs = w.hostRuns.createHostRuns(s.id, [
      { hostId: hostIds[0], source: 'ssh' },
      { hostId: hostIds[1], source: 'ssh' },
    ]);
    return { scanId: s.id, runs: runs.map((r) => r.id) as [string, string] };
  };

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'w.sqlite');
    ({ ws, engagementId, hostIds } = seededWorkspace(path));
  });
  afterEach(() => {
    for (const w of others.splice(0)) w.close();
    ws.close();
    cleanup();
  });

  it('records the owner of a scan: a random id, this pid and its start time, where it runs', () => {
    const { scanId } = scanIn(ws);
    const me = processOwner();
    expect(me.pidStart).toBe(processStart(process.pid));
    const row = ws.db.prepare('SELECT o.* FROM scan s JOIN scan_owner o ON o.id = s.owner_id WHERE s.id = ?').get(scanId);
    expect(row).toMatchObject({ id: me.id, pid: process.pid, pid_start: me.pidStart, machine: me.machine, boot_id: me.bootId });
    expect(processStart(2 ** 22 + 1)).toBeNull();
  });

  it("another process never ends or changes a live owner's scan: the sweep leaves it, every write is refused", () => {
    const { scanId, runs } = scanIn(ws);
    ws.hostRuns.completeHostRun(runs[0], makeSnapshot(), makeResults(3), STATS);
    // A second process (another owner id, this machine): this process is alive, so its scan is too.
    const second = open({ ...processOwner(), id: randomUUID(), pid: 1, pidStart: processStart(1) });
    expect(second.scans.markInterrupted()).toEqual({ scans: 0, hostRuns: 0 });
    expect(second.scans.getScan(scanId)?.status).toBe('running');
    const refusal = `scan ${scanId} is run by process ${process.pid} on`;
    expect(() => second.scans.finishScan(scanId)).toThrow(refusal);
    expect(() => second.scans.finishScan(scanId, 'cancelled')).toThrow(refusal);
    expect(() => second.hostRuns.markHostRun(runs[1], 'connecting')).toThrow(refusal);
    expect(() => second.hostRuns.failHostRun(runs[1], { code: 'internal', message: 'x' })).toThrow(refusal);
    expect(() => second.hostRuns.completeHostRun(runs[1], makeSnapshot(), [], STATS)).toThrow(refusal);
    expect(() => second.hostRuns.endActive('cancelled', scanId)).toThrow(refusal);
    expect(() => second.hostRuns.createHostRuns(scanId, [{ targetName: 'x', source: 'local' }])).toThrow(refusal);
    // Nothing of it was written: the owner goes on and finishes.
    expect(ws.hostRuns.require(runs[1]).state).toBe('queued');
    ws.hostRuns.completeHostRun(runs[1], makeSnapshot(), makeResults(2), STATS);
    expect(ws.scans.finishScan(scanId).status).toBe('done');
    expect(ws.results.forScan(scanId)).toHaveLength(5);
  });

  it('an owner whose pid has ended or was reused is gone; its rows are forgotten after the sweep', () => {
    const ended = spawnSync('true');
    const deadPid = open({ ...processOwner(), id: randomUUID(), pid: ended.pid!, pidStart: 12345 });
    const reused = open(goneOwner());
    const a = scanIn(deadPid);
    const b = scanIn(reused);
    reused.hostRuns.markHostRun(b.runs[0], 'collecting');
    expect(ws.scans.markInterrupted()).toEqual({ scans: 2, hostRuns: 4 });
    expect(ws.scans.getScan(a.scanId)?.status).toBe('interrupted');
    expect(ws.hostRuns.require(b.runs[0])).toMatchObject({ state: 'interrupted', stoppedIn: 'collecting' });
    expect(ws.db.prepare('SELECT count(*) FROM scan_owner').pluck().get()).toBe(0);
    // The gone owner's late write (had it been alive after all) is refused, not merged into an ended scan.
    expect(() => reused.hostRuns.completeHostRun(b.runs[1], makeSnapshot(), [], STATS)).toThrow(
      'already ended as interrupted',
    );
    expect(() => reused.scans.finishScan(b.scanId)).toThrow('already ended as interrupted');
  });

  it(`an owner on another machine is gone only when its heartbeat is older than ${STALE_AFTER_MS / 60_000} minutes`, () => {
    let now = T0;
    const clock = () => new Date(now);
    const remote = open(remoteOwner(), clock);
    const sweeper = open(processOwner(), clock);
    const { scanId } = scanIn(remote);
    now = T0 + STALE_AFTER_MS - 1000;
    expect(sweeper.scans.markInterrupted()).toEqual({ scans: 0, hostRuns: 0 });
    // A heartbeat moves the bound on.
    remote.owners.beat();
    now = T0 + STALE_AFTER_MS + 60_000;
    expect(sweeper.scans.markInterrupted()).toEqual({ scans: 0, hostRuns: 0 });
    expect(sweeper.scans.get(scanId)?.status).toBe('running');
    now = T0 + 2 * STALE_AFTER_MS + 1000;
    expect(sweeper.scans.get(scanId)?.status).toBe('interrupted'); // seen so before anyone writes it
    expect(sweeper.db.prepare('SELECT status FROM scan WHERE id = ?').pluck().get(scanId)).toBe('running');
    expect(sweeper.scans.markInterrupted()).toEqual({ scans: 1, hostRuns: 2 });
  });

  it('a live owner on this machine is never gone, however old its heartbeat (a stopped process is alive)', () => {
    let now = T0;
    const owner = open(processOwner(), () => new Date(now));
    const { scanId } = scanIn(owner);
    now = T0 + 100 * STALE_AFTER_MS;
    const second = open({ ...processOwner(), id: randomUUID() }, () => new Date(now));
    expect(second.scans.markInterrupted()).toEqual({ scans: 0, hostRuns: 0 });
    expect(second.scans.get(scanId)?.status).toBe('running');
  });

  it('a running scan stored before owners were recorded is left over from a crash', () => {
    const { scanId } = scanIn(ws);
    ws.db.prepare('UPDATE scan SET owner_id = NULL WHERE id = ?').run(scanId);
    expect(() => ws.scans.finishScan(scanId)).toThrow('is run by no recorded process');
    expect(ws.scans.markInterrupted()).toEqual({ scans: 1, hostRuns: 2 });
  });

  it('the heartbeat refreshes the owner row while it has a running scan, and stops after', () => {
    let now = T0;
    const owner = open(processOwner(), () => new Date(now));
    const { scanId, runs } = scanIn(owner);
    const beat = () => owner.db.prepare('SELECT heartbeat_at FROM scan_owner WHERE id = ?').pluck().get(processOwner().id);
    now = T0 + 15_000;
    owner.owners.beat();
    expect(beat()).toBe(new Date(T0 + 15_000).toISOString());
    for (const r of runs) owner.hostRuns.failHostRun(r, { code: 'internal', message: 'x' });
    owner.scans.finishScan(scanId);
    now = T0 + 30_000;
    owner.owners.beat();
    expect(beat()).toBe(new Date(T0 + 15_000).toISOString());
  });

  it('a connection closed with its scan still running ends it as interrupted (no phantom running scan)', () => {
    const w = openWorkspace(path);
    const s = w.scans.createScan({ engagementId, catalogueVersion: 'v1', checkIds: [] });
    const [r] = w.hostRuns.createHostRuns(s.id, [{ hostId: hostIds[0], source: 'ssh' }]);
    w.hostRuns.markHostRun(r!.id, 'connecting');
    w.close();
    expect(ws.scans.getScan(s.id)).toMatchObject({ status: 'interrupted' });
    expect(ws.hostRuns.require(r!.id)).toMatchObject({ state: 'interrupted', stoppedIn: 'connecting' });
  });
});
