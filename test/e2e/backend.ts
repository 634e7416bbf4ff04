/**
 * The real backend for end-to-end tests: `node bin/start.js --browser` with a fresh workspace file in a temporary
 * directory and a free port. Resolves once it printed its URL (with the launch token).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Backend {
  /** Start-up URL with the token. */
  url: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  token: string;
  workspacePath: string;
  dir: string;
  /** Everything the process wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * `env` is added to the process environment; FOUREYES_WORKSPACE in it opens that workspace file instead of a fresh
 * one (the file is left in place by stop(), which removes only the backend's own temporary directory).
 */
export async function startBackend(env: Record<string, string> = {}): Promise<Backend> {
  const dir = mkdtempSync(path.join(tmpdir(), 'foureyes-e2e-'));
  const workspacePath = env.FOUREYES_WORKSPACE ?? path.join(dir, 'workspace.sqlite');
  const child: ChildProcess = spawn(process.execPath, ['bin/start.js', '--browser'], {
    env: { ...process.env, FOUREYES_WORKSPACE: workspacePath, FOUREYES_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`backend did not start in 60 s: ${err}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with ${code} before printing its URL: ${err}`));
    });
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get('token')!,
    workspacePath,
    dir,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
