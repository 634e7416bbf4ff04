/** Where a host run stopped, what the target said it is, and scan figures per host run state. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TARGET_IDENTITY_LIMITS } from '../../../shared/model/identity.js';
import { zeroHostRunCounts } from '../../../shared/model/workspace.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { STATS, goneOwner, makeResults, makeSnapshot, seededWorkspace, tempDir } from './helpers.js';

describe('host run outcome', () => {
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

  const scanWith = (n: number) => {
    const s = ws.scans.createScan({ engagementId, catalogueVersion: 'v1', checkIds: [] });
    const runs = ws.hostRuns.createHostRuns(
      s.id,
      Array.from({ length: n }, (_, i) => ({ targetName: `t${i}`, source: 'ssh' as const })),
    );
    return { scanId: s.id, runs };
  };

  it('records the state a run failed, was cancelled or interrupted in', () => {
    // Run by a process that has ended since (interrupted by this one's sweep).
    const dead = openWorkspace(ws.path, { owner: goneOwner() });
    const s = dead.scans.createScan({ engagementId, catalogueVersion: 'v1', checkIds: [] });
    const scanId = s.id;
    const runs = dead.hostRuns.createHostRuns(
      s.id,
      Array.from({ length: 4 }, (_, i) => ({ targetName: `t${i}`, source: 'ssh' as const })),
    );
    const [a, b, c, d] = runs.map((r) => r.id) as [string, string, string, string];
    dead.hostRuns.markHostRun(a, 'connecting');
    expect(dead.hostRuns.failHostRun(a, { code: 'auth_failed', message: 'no' }).stoppedIn).toBe('connecting');
    dead.hostRuns.markHostRun(b, 'connecting');
    dead.hostRuns.markHostRun(b, 'collecting');
    expect(dead.hostRuns.failHostRun(b, { code: 'collector', message: 'cut' }).stoppedIn).toBe('collecting');
    dead.hostRuns.markHostRun(c, 'connecting');
    expect(dead.hostRuns.markHostRun(c, 'cancelled').stoppedIn).toBe('connecting');
    dead.hostRuns.markHostRun(d, 'connecting');
    dead.hostRuns.markHostRun(d, 'collecting');
    dead.hostRuns.markHostRun(d, 'evaluating');
    expect(ws.scans.markInterrupted()).toEqual({ scans: 1, hostRuns: 1 });
    expect(ws.hostRuns.require(d)).toMatchObject({ state: 'interrupted', stoppedIn: 'evaluating' });
    expect(ws.hostRuns.statesByScan([scanId]).get(scanId)).toEqual({
      ...zeroHostRunCounts(),
      failed: 2,
      cancelled: 1,
      interrupted: 1,
    });
    dead.close();
  });

  it('a run that ends done has no stopped state; a queued run cancelled stopped in queued', () => {
    const { scanId, runs } = scanWith(2);
    const [a, b] = runs.map((r) => r.id) as [string, string];
    ws.hostRuns.markHostRun(a, 'connecting');
    expect(
      ws.hostRuns.completeHostRun(a, makeSnapshot({ packages: 5 }), makeResults(3), STATS).stoppedIn,
    ).toBeNull();
    ws.scans.finishScan(scanId, 'cancelled');
    expect(ws.hostRuns.require(b)).toMatchObject({ state: 'cancelled', stoppedIn: 'queued' });
  });

  it('lists the failed runs of each scan with their reason, at most so many per scan, in scan order', () => {
    const one = scanWith(3);
    const two = scanWith(1);
    for (const r of [...one.runs, ...two.runs])
      ws.hostRuns.failHostRun(r.id, { code: 'connect_refused', message: `${r.hostName} refused` });
    const f = ws.hostRuns.failuresByScan([one.scanId, two.scanId], 2);
    expect(f.filter((x) => x.scanId === one.scanId).map((x) => x.error.message)).toEqual([
      't0 refused',
      't1 refused',
    ]);
    expect(f.filter((x) => x.scanId === two.scanId)).toMatchObject([
      { targetName: 't0', stoppedIn: 'queued', error: { code: 'connect_refused' } },
    ]);
  });

  it('merges what the target says it is, bounded, and keeps it through the end of the run', () => {
    const { runs } = scanWith(1);
    const id = runs[0]!.id;
    ws.hostRuns.markHostRun(id, 'connecting');
    const banner = `Authorised use only\n\x1b[31m${'x'.repeat(5000)}`;
    ws.hostRuns.recordIdentity(id, { sshServer: 'SSH-2.0-OpenSSH_9.2p1 Debian-2', sshBanner: banner });
    ws.hostRuns.markHostRun(id, 'collecting');
    const done = ws.hostRuns.completeHostRun(id, makeSnapshot({ packages: 5 }), makeResults(2), STATS, {
      identity: { hostname: 'db01.example', kernel: 'Linux 6.1.0 x86_64', osRelease: 'Debian GNU/Linux 12' },
    });
    expect(done.identity).toEqual({
      sshServer: 'SSH-2.0-OpenSSH_9.2p1 Debian-2',
      sshBanner: banner.slice(0, TARGET_IDENTITY_LIMITS.sshBanner),
      sshBannerTruncated: true,
      hostname: 'db01.example',
      kernel: 'Linux 6.1.0 x86_64',
      osRelease: 'Debian GNU/Linux 12',
    });
    // Read back from the file, validated.
    expect(ws.hostRuns.require(id).identity?.sshBanner?.startsWith('Authorised use only\n\x1b[31m')).toBe(
      true,
    );
  });

  it('a run without anything learnt has no identity; an ended run takes no more', () => {
    const { runs } = scanWith(1);
    const id = runs[0]!.id;
    expect(ws.hostRuns.recordIdentity(id, {}).identity).toBeNull();
    ws.hostRuns.failHostRun(id, { code: 'connect_refused', message: 'refused' });
    expect(() => ws.hostRuns.recordIdentity(id, { hostname: 'x' })).toThrow(/already ended/);
    expect(hostIds.length).toBe(2);
  });
});
