import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM launcher without type declarations
import { chooseMode, findElectronBinary } from '../../../bin/start.js';
import { raw } from '../api/http-client.js';

const root = path.resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'foureyes-start-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'start.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => out.includes('\n') && resolve(out.split('\n')[0]!));
    void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  line.catch(() => undefined); // awaited only by tests that expect a start

  return { child, line, exited, stderr: () => err };
}

describe('bin/start.js', () => {
  it('finds no Electron binary here without triggering a download, and picks browser mode', () => {
    expect(findElectronBinary(root, {})).toBeNull();
    expect(chooseMode([], {}, null)).toEqual({ mode: 'browser' });
    expect(chooseMode([], {}, '/x/electron')).toEqual({ mode: 'electron' });
    expect(chooseMode(['--browser'], {}, '/x/electron')).toEqual({ mode: 'browser' });
    expect(chooseMode([], { FOUREYES_MODE: 'browser' }, '/x/electron')).toEqual({ mode: 'browser' });
    expect(chooseMode(['--electron'], {}, null)).toHaveProperty('error');
  });

  it('finds a binary through electron/path.txt when one is installed', () => {
    const fake = path.join(tmp, 'proj');
    mkdirSync(path.join(fake, 'node_modules', 'electron', 'dist'), { recursive: true });
    writeFileSync(path.join(fake, 'package.json'), '{}');
    writeFileSync(
      path.join(fake, 'node_modules', 'electron', 'package.json'),
      '{"name":"electron","main":"index.js"}',
    );
    writeFileSync(path.join(fake, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(findElectronBinary(fake, {})).toBeNull();
    writeFileSync(path.join(fake, 'node_modules', 'electron', 'dist', 'electron'), '');
    expect(findElectronBinary(fake, {})).toBe(
      path.join(fake, 'node_modules', 'electron', 'dist', 'electron'),
    );
  });

  it('starts browser mode on a free port, prints the URL with the token, and serves it', async () => {
    const s = start(['--browser'], { FOUREYES_WORKSPACE: path.join(tmp, 'ws.sqlite'), FOUREYES_PORT: '0' });
    const line = await s.line;
    const m =
      /^Foureyes is running in browser mode: http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43})$/.exec(
        line,
      );
    expect(m, line).not.toBeNull();
    const port = Number(m![1]);
    expect((await raw(port, { path: '/' })).status).toBe(401);
    const r = await raw(port, {
      method: 'POST',
      path: '/api/app.info',
      headers: {
        authorization: `Bearer ${m![2]}`,
        origin: `http://127.0.0.1:${port}`,
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(JSON.parse(r.body)).toMatchObject({
      ok: true,
      value: {
        name: 'Foureyes',
        mode: 'browser',
        workspacePath: path.join(tmp, 'ws.sqlite'),
        secretStorage: { persistent: false },
      },
    });
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('refuses a bad FOUREYES_PORT with a message naming it', async () => {
    const s = start(['--browser'], { FOUREYES_PORT: 'eighty' });
    expect(await s.exited).toBe(1);
    expect(s.stderr()).toContain('FOUREYES_PORT');
  });
});
