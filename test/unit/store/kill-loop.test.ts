/**
 * The fault matrix's kill -9 loop over two processes sharing one workspace: a survivor runs scans the whole time
 * while, ten times, a victim starts scans and is killed with SIGKILL at a random moment; after each kill this
 * (third) process opens the workspace as a writer does. Every time: the file is intact, finished hosts are
 * complete, no scan is left running once its owner is gone, and the live survivor's scan is never ended by anyone
 * else. Bounded: ten rounds, each kill within 400 ms of the victim's first scan.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../main/store/db.js';
import { tempDir } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/scan-loop-child.ts', import.meta.url));
const ROUNDS = 10;
const RESULTS_PER_HOST = 20;

interface Child {
  proc: ChildProcess;
  owner: Promise<string>;
  /** Resolves once the child has started its first scan. */
  scanning: Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function start(path: string, engagementId: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, path, engagementId], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stderr = '';
  let gotOwner!: (id: string) => void;
  let gotScan!: () => void;
  const owner = new Promise<string>((r) => (gotOwner = r));
  const scanning = new Promise<void>((r) => (gotScan = r));
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
      const msg = JSON.parse(out.slice(0, nl)) as { owner?: string; scan?: string };
      out = out.slice(nl + 1);
      if (msg.owner) gotOwner(msg.owner);
      if (msg.scan) gotScan();
    }
  });
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const failFast = (what: string) => (r: { stderr: string }) => {
    throw new Error(`${what}: child ended first: ${r.stderr}`);
  };
  return {
    proc,
    owner: Promise.race([owner, exit.then(failFast('owner'))]),
    scanning: Promise.race([scanning, exit.then(failFast('scan'))]),
    exit,
  };
}

describe('kill -9 loop, two processes on one workspace', () => {
  let dir: string;
  let cleanup: () => void;
  const children: Child[] = [];
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => {
    for (const c of children.splice(0)) c.proc.kill('SIGKILL');
    cleanup();
  });

  it(`${ROUNDS} rounds: integrity ok, finished hosts complete, no run left running once its owner is gone`, async () => {
    const path = join(dir, 'loop.sqlite');
    const seed = openWorkspace(path);
    const engagementId = seed.engagements.create({ name: 'loop' }).id;
    seed.close();

    const survivor = start(path, engagementId);
    children.push(survivor);
    const survivorId = await survivor.owner;
    await survivor.scanning;
    const victimOwners: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const victim = start(path, engagementId);
      children.push(victim);
      victimOwners.push(await victim.owner);
      await victim.scanning;
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400)));
      victim.proc.kill('SIGKILL');
      expect((await victim.exit).signal).toBe('SIGKILL');

      const ws = openWorkspace(path);
      try {
        ws.scans.markInterrupted();
        const db = ws.db;
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('foreign_key_check')).toEqual([]);
        // Only the live survivor may have a scan running; none of its scans was ended by another process.
        const running = db.prepare("SELECT owner_id FROM scan WHERE status = 'running'").pluck().all();
        expect(running.every((o) => o === survivorId), `round ${round}: running ${JSON.stringify(running)}`).toBe(true);
        expect(
          db.prepare("SELECT count(*) FROM scan WHERE owner_id = ? AND status <> 'running' AND status <> 'done'").pluck().get(survivorId),
        ).toBe(0);
        // No run active in an ended scan; no owner row of a killed victim left.
        expect(
          db
            .prepare(
              `SELECT count(*) FROM host_run r JOIN scan s ON s.id = r.scan_id
               WHERE s.status <> 'running' AND r.status IN ('queued', 'connecting', 'collecting', 'evaluating')`,
            )
            .pluck()
            .get(),
        ).toBe(0);
        expect(db.prepare('SELECT count(*) FROM scan_owner WHERE id IN (SELECT value FROM json_each(?))').pluck().get(JSON.stringify(victimOwners))).toBe(0);
        // Every finished host is whole: a complete snapshot and all its results.
        const broken = db
          .prepare(
            `SELECT r.id FROM host_run r LEFT JOIN snapshot p ON p.host_run_id = r.id
             WHERE r.status = 'done' AND (p.complete IS NOT 1 OR r.finished_at IS NULL
               OR (SELECT count(*) FROM result WHERE host_run_id = r.id) <> ?)`,
          )
          .all(RESULTS_PER_HOST);
        expect(broken).toEqual([]);
        expect(db.prepare("SELECT count(*) FROM host_run WHERE status = 'failed' AND error_code IS NULL").pluck().get()).toBe(0);
      } finally {
        ws.close();
      }
    }

    survivor.proc.kill('SIGTERM');
    const end = await survivor.exit;
    expect(end.stderr).toBe('');
    expect(end.code).toBe(0);
    const ws = openWorkspace(path);
    try {
      const mine = ws.db.prepare('SELECT status, count(*) AS n FROM scan WHERE owner_id = ? GROUP BY status').all(survivorId);
      expect(mine).toEqual([{ status: 'done', n: expect.any(Number) as number }]);
      expect(ws.db.prepare("SELECT count(*) FROM scan WHERE status = 'running'").pluck().get()).toBe(0);
      expect(ws.db.prepare("SELECT count(*) FROM scan WHERE status = 'interrupted'").pluck().get()).toBeGreaterThan(0);
    } finally {
      ws.close();
    }
  }, 180_000);
});
