/**
 * Builds and packs the app the way a release does, in the checkout itself: dist/ is removed and rebuilt
 * (`npm run build`, which also rebuilds renderer/dist), then `electron-builder --linux dir` runs against a
 * stand-in Electron distribution with its output in a temporary folder. Not in a copy: npm, which electron-builder
 * asks for the production dependency tree, misreads a copy whose node_modules is linked from elsewhere (it then
 * reports the development packages as extraneous and electron-builder packs only the top-level dependencies).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeStandInElectron, type StandIn } from './stand-in-electron.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface Packed {
  /** Temporary folder holding everything below; remove it when done. */
  tmp: string;
  /** The project that was built and packed (the checkout). */
  project: string;
  standIn: StandIn;
  /** electron-builder's directories.output. */
  outDir: string;
  /** The unpacked Linux app (the `dir` target). */
  appOutDir: string;
  asar: string;
  /** Wall-clock milliseconds of each step. */
  timings: { build: number; pack: number };
}

/**
 * Environment for the child processes: the test runner's NODE_ENV=test would make Vite build React's development
 * variant, and FOUREYES_* settings (another renderer dir, another catalogue) must not redirect the build.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // npm_* come from an outer `npm test`: npm_config_local_prefix and friends point npm (which electron-builder
    // runs to list the production dependencies) at the checkout instead of the staged copy, and it then lists
    // only the top-level packages.
    if (k === 'NODE_ENV' || k.startsWith('VITEST') || k.startsWith('FOUREYES_') || /^npm_/i.test(k)) continue;
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
  const project = repoRoot;
  const outDir = path.join(tmp, 'out');
  // Only what this build writes may be packed: no file left from an earlier build of other sources.
  rmSync(path.join(project, 'dist'), { recursive: true, force: true });
  let t = Date.now();
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
    timings: { build, pack },
  };
}
