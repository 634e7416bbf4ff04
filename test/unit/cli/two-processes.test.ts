/**
 * Two real processes on one workspace file: the built CLI (`node bin/foureyes.js assess --local <ssh host>`) and
 * the workstation's services started in this process. The SSH host is an in-process server on 127.0.0.1 that
 * holds its exec until the test lets it go, so the CLI is provably mid-scan when the workstation starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../../main/api/services.js';
import { ensureBuilt } from '../../support/build.js';
import { startDispatch } from '../services/dispatch.js';
import { startTestSshServer, type TestSshServer } from '../services/ssh2-server.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');

let dir: string;
let server: TestSshServer | undefined;
let services: Services | undefined;
let child: ChildProcess | undefined;

function env(): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, HOME: dir };
  for (const k of Object.keys(e)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete e[k];
  return e;
}

/** Starts `foureyes` with `args`; resolves with its exit and output. */
function run(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const c = spawn(process.execPath, [BIN, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    c.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child: c, done };
}

async function until(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** What the file holds (a read-only connection of this process; it never writes). */
function stored(path: string): { scans: { id: string; status: string }[]; runs: { target_name: string; status: string }[] } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      scans: db.prepare('SELECT id, status FROM scan ORDER BY started_at').all() as { id: string; status: string }[],
      runs: db.prepare('SELECT target_name, status FROM host_run ORDER BY scan_id, ordinal').all() as {
        target_name: string;
        status: string;
      }[],
    };
  } finally {
    db.close();
  }
}

function cliScanning(path: string): boolean {
  try {
    return stored(path).runs.some((r) => r.target_name === 'localhost' && r.status === 'done');
  } catch {
    return false;
  }
}

async function gatedServer(): Promise<{ release: () => void }> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  server = await startTestSshServer({ password: { user: 'auditor', password: 'pw' }, exec: true, gate });
  return { release };
}

function assessArgs(ws: string): string[] {
  const pw = join(dir, 'pw');
  writeFileSync(pw, 'pw\n', { mode: 0o600 });
  const s = server!;
  return ['assess', '--local', `auditor@127.0.0.1:${s.port}`, '--pin', s.fingerprint, '--password-file', pw,
    '--checks', 'sshd-permit-root-login', '--workspace', ws, '--json'];
}

const noSecrets = { cipher: null, decision: { persistent: false, detail: 'test' } } as const;

beforeAll(() => ensureBuilt(), 300_000);
afterEach(async () => {
  child?.kill('SIGKILL');
  await services?.close();
  await server?.stop();
  services = undefined;
  server = undefined;
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('two processes on one workspace', () => {
  it("the workstation starting during a CLI scan leaves it alone: the CLI scans every host and reports done", async () => {
    dir = mkdtempSync(join(tmpdir(), 'fe-two-'));
    const ws = join(dir, 'ws.sqlite');
    const { release } = await gatedServer();
    const cli = run(assessArgs(ws));
    child = cli.child;
    // The CLI is mid-scan: this machine done, the SSH host held in its first exec.
    await until('the CLI to be mid-scan', () => cliScanning(ws) && server!.execs.length > 0);
    ({ services } = await startDispatch({ workspacePath: ws, emit: () => undefined, mode: 'browser', secrets: noSecrets }));
    expect(stored(ws).scans.map((s) => s.status)).toEqual(['running']);
    release();
    const r = await cli.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { status: string; hosts: { name: string; status: string }[] };
    expect(report.status).toBe('done');
    expect(report.hosts.map((h) => [h.name, h.status])).toEqual([
      ['localhost', 'done'],
      [`auditor@127.0.0.1:${server!.port}`, 'done'],
    ]);
    expect(stored(ws).scans.map((s) => s.status)).toEqual(['done']);
  }, 120_000);

  it('a CLI killed with SIGKILL mid-scan: results shows its scan interrupted without writing; the next writer stores it so', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fe-two-'));
    const ws = join(dir, 'ws.sqlite');
    await gatedServer(); // never released
    const cli = run(assessArgs(ws));
    child = cli.child;
    await until('the CLI to be mid-scan', () => cliScanning(ws) && server!.execs.length > 0);
    cli.child.kill('SIGKILL');
    expect((await cli.done).signal).toBe('SIGKILL');
    const sshName = `auditor@127.0.0.1:${server!.port}`;
    expect(stored(ws).runs.map((h) => h.status)).toEqual(['done', 'collecting']);

    const res = await run(['results', '--workspace', ws, '--json']).done;
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout) as { status: string; outcome: string; hosts: { name: string; status: string; stoppedIn: string | null }[] };
    expect(report.status).toBe('interrupted');
    expect(report.hosts.map((h) => [h.name, h.status, h.stoppedIn])).toEqual([
      ['localhost', 'done', null],
      [sshName, 'interrupted', 'collecting'],
    ]);
    const text = await run(['results', '--workspace', ws]).done;
    expect(text.stdout).toContain('interrupted');
    expect(text.stdout).not.toMatch(/\brunning\b/);
    // results only read: the file still says running.
    expect(stored(ws).scans.map((s) => s.status)).toEqual(['running']);

    // The workstation opening the workspace ends it as interrupted; the finished host keeps its results.
    ({ services } = await startDispatch({ workspacePath: ws, emit: () => undefined, mode: 'browser', secrets: noSecrets }));
    expect(stored(ws)).toEqual({
      scans: [{ id: expect.any(String) as string, status: 'interrupted' }],
      runs: [
        { target_name: 'localhost', status: 'done' },
        { target_name: sshName, status: 'interrupted' },
      ],
    });
  }, 120_000);

  it('assess with one host twice is refused before anything is stored', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fe-two-'));
    const ws = join(dir, 'ws.sqlite');
    const pw = join(dir, 'pw');
    writeFileSync(pw, 'pw\n', { mode: 0o600 });
    const r = await run(['assess', 'auditor@127.0.0.1:2', 'auditor@127.0.0.1:2', '--password-file', pw, '--workspace', ws]).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('foureyes: host auditor@127.0.0.1:2 is listed twice; nothing was scanned\n');
    expect(stored(ws)).toEqual({ scans: [], runs: [] });
  }, 60_000);
});
