/**
 * Builds and packs the app the way a release does, in a temporary copy of the working tree so the checkout (and
 * dist/, renderer/dist/ that others may be serving) stays untouched: `npm run build`, then
 * `electron-builder --linux dir` against a stand-in Electron distribution.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeStandInElectron, type StandIn } from './stand-in-electron.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Working-tree entries not copied: outputs the build recreates, tool state and the dependency tree (linked). */
const NOT_COPIED = new Set([
  '.git',
  'node_modules',
  'dist',
  'out',
  'renderer/dist',
  'test-results',
  'playwright-report',
  '.lab-cache',
]);

export interface Packed {
  /** Temporary folder holding everything below; remove it when done. */
  tmp: string;
  /** The copy of the working tree that was built and packed. */
  project: string;
  standIn: StandIn;
  /** electron-builder's directories.output. */
  outDir: string;
  /** The unpacked Linux app (the `dir` target). */
  appOutDir: string;
  asar: string;
  /** Wall-clock milliseconds of each step. */
  timings: { copy: number; build: number; pack: number };
}

/**
 * Environment for the child processes: the test runner's NODE_ENV=test would make Vite build React's development
 * variant, and FOUREYES_* settings (another renderer dir, another catalogue) must not redirect the build.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'NODE_ENV' || k.startsWith('VITEST') || k.startsWith('FOUREYES_')) continue;
    env[k] = v;
  }
  return env;
}

/**
 * Runs a command to completion within `timeoutMs`; on timeout its whole process group (npx -> npm -> node) is
 * killed. Resolves with the combined output, rejects with its tail on a non-zero exit.
 */
export function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: cleanEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let timedOut = false;
    const keep = (d: Buffer) => {
      out = (out + d.toString()).slice(-200_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(out);
      const why = timedOut ? `timed out after ${timeoutMs} ms` : `exit ${code ?? signal}`;
      reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}): ${why}\n${out.slice(-6000)}`));
    });
  });
}

/** Copies the working tree into `dest` and links the installed dependencies (electron-builder reads them). */
export function stageProject(dest: string): void {
  cpSync(repoRoot, dest, {
    recursive: true,
    filter: (src) => !NOT_COPIED.has(path.relative(repoRoot, src).split(path.sep).join('/')),
  });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
}

/** Build and pack; the caller removes `tmp` (removed here if a step fails). */
export async function buildAndPack(): Promise<Packed> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'foureyes-pack-'));
  try {
    return await buildAndPackIn(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function buildAndPackIn(tmp: string): Promise<Packed> {
  const project = path.join(tmp, 'project');
  const outDir = path.join(tmp, 'out');
  let t = Date.now();
  stageProject(project);
  const copy = Date.now() - t;

  t = Date.now();
  await run('npm', ['run', 'build'], project, 180_000);
  const build = Date.now() - t;

  const standIn = writeStandInElectron(path.join(tmp, 'electron-dist'));
  mkdirSync(outDir);
  t = Date.now();
  await run(
    'npx',
    [
      '--no', // never download a missing package
      '--',
      'electron-builder',
      '--linux',
      'dir',
      `-c.electronDist=${standIn.dir}`,
      // The configuration rebuilds native modules for Electron; that downloads Electron's headers, impossible
      // here, so the packed better-sqlite3 is the one built for this Node. The rebuild itself is not proven here.
      '-c.npmRebuild=false',
      `-c.directories.output=${outDir}`,
    ],
    project,
    150_000,
  );
  const pack = Date.now() - t;
  const appOutDir = path.join(outDir, 'linux-unpacked');
  return {
    tmp,
    project,
    standIn,
    outDir,
    appOutDir,
    asar: path.join(appOutDir, 'resources', 'app.asar'),
    timings: { copy, build, pack },
  };
}
