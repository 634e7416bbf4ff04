import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../main/store/db.js';
import { makeResults, makeSnapshot, tempDir } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));

interface ChildState {
  scanId: string;
  runIds: [string, string, string];
}

/** Runs the child until it reports its state, then kills it with SIGKILL. */
function runAndKill(path: string): Promise<{ state: ChildState; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let state: ChildState | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0 && !state) {
        state = JSON.parse(out.slice(0, nl)) as ChildState;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (state) resolve({ state, signal });
      else reject(new Error(`child ended without reporting: ${err}`));
    });
  });
}

describe('crash during a scan', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('after SIGKILL, the finished host is complete and the others and the scan are interrupted', async () => {
    const path = join(dir, 'crash.sqlite');
    const { state, signal } = await runAndKill(path);
    expect(signal).toBe('SIGKILL');
    expect(existsSync(`${path}-wal`)).toBe(true); // killed before any checkpoint on close

    const ws = openWorkspace(path);
    try {
      const [done, cut, local] = state.runIds;
      // Before the sweep, the file holds what was committed: the scan still running, two runs collecting...
      const stored = () =>
        ws.db.prepare('SELECT status FROM host_run WHERE scan_id = ? ORDER BY ordinal').pluck().all(state.scanId);
      expect(stored()).toEqual(['done', 'collecting', 'collecting']);
      // ...which a reader sees as interrupted, its owner being gone.
      const seen = ws.scans.getScan(state.scanId)!;
      expect(seen.status).toBe('interrupted');
      expect(seen.hostRuns.map((r) => [r.state, r.stoppedIn])).toEqual([
        ['done', null],
        ['interrupted', 'collecting'],
        ['interrupted', 'collecting'],
      ]);
      expect(stored()).toEqual(['done', 'collecting', 'collecting']);

      expect(ws.scans.markInterrupted()).toEqual({ scans: 1, hostRuns: 2 });
      const scan = ws.scans.getScan(state.scanId)!;
      expect(scan.status).toBe('interrupted');
      expect(scan.hostRuns.map((r) => [r.id, r.state])).toEqual([
        [done, 'done'],
        [cut, 'interrupted'],
        [local, 'interrupted'],
      ]);

      const finished = ws.hostRuns.require(done);
      expect(finished).toMatchObject({ privilege: 'root', error: null });
      expect(finished.finishedAt).not.toBeNull();
      expect(ws.snapshots.loadSnapshotJson(done)).toBe(JSON.stringify(makeSnapshot()));
      expect(ws.snapshots.info(done)?.complete).toBe(true);
      const results = ws.results.forHostRun(done);
      expect(results.map((r) => r.checkId)).toEqual(makeResults(30).map((r) => r.checkId));

      // The uncommitted completion of the second run left nothing behind.
      expect(ws.snapshots.info(cut)).toBeUndefined();
      expect(ws.results.forHostRun(cut)).toEqual([]);
      expect(ws.results.forScan(state.scanId)).toHaveLength(30);
      expect(ws.db.pragma('integrity_check', { simple: true }) as string).toBe('ok');
    } finally {
      ws.close();
    }
  });
});
