import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectFacts } from '../../../main/collector/collect.js';
import { LocalTransport } from '../../../main/transport/local.js';
import type { FactSnapshot } from '../../../shared/facts/snapshot.js';
import type { Workspace } from '../../../main/store/db.js';
import { STATS, makeSnapshot, seededWorkspace, tempDir } from './helpers.js';

describe('snapshots', () => {
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

  function store(snapshot: FactSnapshot): string {
    const s = ws.scans.createScan({ engagementId, catalogueVersion: '1', checkIds: [] });
    const r = ws.hostRuns.createHostRun(s.id, { hostId: hostIds[0], source: snapshot.source });
    ws.hostRuns.completeHostRun(r.id, snapshot, [], STATS);
    return r.id;
  }

  it('round-trips byte-equal JSON, including non-ASCII and control characters from the target', () => {
    const snap = makeSnapshot();
    snap.facts['motd'] = {
      kind: 'file',
      path: '/etc/motd',
      exists: true,
      content: 'Wïllkommen \u0000\u001b[31m red \ud83d\ude00 \uFFFD\n\r\t"quoted" \\ back',
    };
    const id = store(snap);
    const json = ws.snapshots.loadSnapshotJson(id);
    expect(json).toBe(JSON.stringify(snap));
    expect(ws.snapshots.loadSnapshot(id)).toEqual(snap);
    const info = ws.snapshots.info(id)!;
    expect(info.sizeRaw).toBe(Buffer.byteLength(json, 'utf8'));
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('compresses a realistic snapshot well below its raw size', () => {
    const id = store(makeSnapshot({ packages: 3000 }));
    const info = ws.snapshots.info(id)!;
    expect(info.sizeCompressed).toBeLessThan(info.sizeRaw / 4);
    console.log(`synthetic snapshot: ${info.sizeRaw} bytes raw, ${info.sizeCompressed} compressed`);
  });

  it('compresses a snapshot collected from this machine and returns it unchanged', async () => {
    const facts = [
      'accounts.passwd',
      'accounts.group',
      'pkg.list',
      'fs.mounts',
      'sysctl.net',
      'sysctl.kernel',
    ];
    const { snapshot } = await collectFacts(new LocalTransport(), facts, { deadlineMs: 60_000 });
    const id = store(snapshot);
    const info = ws.snapshots.info(id)!;
    expect(info.sizeCompressed).toBeLessThan(info.sizeRaw);
    expect(ws.snapshots.loadSnapshotJson(id)).toBe(JSON.stringify(snapshot));
    console.log(`local snapshot: ${info.sizeRaw} bytes raw, ${info.sizeCompressed} compressed`);
  });

  it('detects a snapshot altered in the file (valid deflate, wrong digest)', () => {
    const snap = makeSnapshot();
    const id = store(snap);
    const forged = JSON.stringify({ ...snap, privileged: false });
    const blob = deflateSync(Buffer.from(forged));
    ws.db
      .prepare('UPDATE snapshot SET compressed = ?, size_compressed = ?, size_raw = ? WHERE host_run_id = ?')
      .run(blob, blob.length, Buffer.byteLength(forged), id);
    expect(() => ws.snapshots.loadSnapshot(id)).toThrow(/fails its SHA-256 check/);
  });

  it('detects a damaged blob and a wrong stored size without inflating past it', () => {
    const id = store(makeSnapshot());
    const info = ws.snapshots.info(id)!;
    ws.db.prepare('UPDATE snapshot SET size_raw = ? WHERE host_run_id = ?').run(info.sizeRaw - 10, id);
    expect(() => ws.snapshots.loadSnapshotJson(id)).toThrow(/cannot be decompressed/);
    ws.db.prepare('UPDATE snapshot SET size_raw = ? WHERE host_run_id = ?').run(info.sizeRaw + 10, id);
    expect(() => ws.snapshots.loadSnapshotJson(id)).toThrow(/has \d+ bytes, expected/);
    const junk = Buffer.from('not deflate at all');
    ws.db
      .prepare('UPDATE snapshot SET compressed = ?, size_compressed = ?, size_raw = ? WHERE host_run_id = ?')
      .run(junk, junk.length, info.sizeRaw, id);
    expect(() => ws.snapshots.loadSnapshotJson(id)).toThrow(/cannot be decompressed/);
  });

  it('a run without a snapshot is a store error', () => {
    const s = ws.scans.createScan({ engagementId, catalogueVersion: '1', checkIds: [] });
    const r = ws.hostRuns.createHostRun(s.id, { hostId: hostIds[0], source: 'ssh' });
    expect(() => ws.snapshots.loadSnapshot(r.id)).toThrow(`host run ${r.id} has no snapshot`);
  });
});
