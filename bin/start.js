#!/usr/bin/env node
// `npm start`: the desktop window when an Electron binary is installed, otherwise browser mode (the API and UI on
// 127.0.0.1 behind a per-launch token; the URL is printed, no browser is opened).
//
//   npm start                    Electron if its binary exists, else browser mode
//   npm start -- --browser       browser mode (also FOUREYES_MODE=browser)
//   npm start -- --electron      Electron or fail
//
// Environment: FOUREYES_WORKSPACE (workspace file), FOUREYES_PORT (browser mode; 0 = a free port).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Path of the Electron binary, or null when it is not installed. Deliberately not `require('electron')`: when the
 * binary is missing, that require starts a download.
 */
export function findElectronBinary(projectRoot = root, env = process.env) {
  let pkgDir;
  try {
    pkgDir = path.dirname(
      createRequire(path.join(projectRoot, 'package.json')).resolve('electron/package.json'),
    );
  } catch {
    return null;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const rel = readFileSync(pathFile, 'utf8').trim();
  if (!rel) return null;
  const bin = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, rel)
    : path.join(pkgDir, 'dist', rel);
  return existsSync(bin) ? bin : null;
}

/** 'electron' | 'browser', or an error message. */
export function chooseMode(argv, env, binary) {
  const wantBrowser = argv.includes('--browser') || env.FOUREYES_MODE === 'browser';
  const wantElectron = argv.includes('--electron') || env.FOUREYES_MODE === 'electron';
  if (wantBrowser && wantElectron) return { error: 'choose one of --browser and --electron' };
  if (wantBrowser) return { mode: 'browser' };
  if (wantElectron && !binary)
    return { error: 'the Electron binary is not installed (node_modules/electron/dist)' };
  return { mode: binary ? 'electron' : 'browser' };
}

function runElectron(binary) {
  const entry = path.join(root, 'dist', 'main', 'shell', 'electron-main.js');
  const preload = path.join(root, 'dist', 'preload', 'preload.cjs');
  if (!existsSync(entry) || !existsSync(preload)) {
    process.stderr.write(
      'foureyes: the Electron build is missing: run `npm run build` first (or `npm start -- --browser`).\n',
    );
    process.exit(1);
  }
  const child = spawn(binary, [root], { stdio: 'inherit', env: process.env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function runBrowser() {
  // The compiled services (built by `npm ci` and by `npm start`'s prestart); nothing is transpiled at run time.
  const entry = path.join(root, 'dist', 'main', 'bridge', 'start.js');
  if (!existsSync(entry)) {
    process.stderr.write(`foureyes: not built (${entry} is missing): run \`npm run build:main\` first\n`);
    process.exit(1);
  }
  await import(pathToFileURL(entry).href);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const binary = findElectronBinary();
  const choice = chooseMode(process.argv.slice(2), process.env, binary);
  if (choice.error) {
    process.stderr.write(`foureyes: ${choice.error}\n`);
    process.exit(2);
  }
  if (choice.mode === 'electron') runElectron(binary);
  else await runBrowser();
}
