/**
 * The command line's V8 code cache (dist/cli/index.cjs.cache, bin/cli-bundle.js): the build writes one that V8
 * takes; a missing, stale (made from other bytes of the bundle), damaged or refused cache is not used and the
 * command works all the same. A damaged cache handed to V8 would stop the process with a fatal V8 error (its
 * release build does not check the data), so the loader checks the cache's own hash first.
 *
 * Each case runs the real bin/foureyes.js in a copy of the built layout (bin/, dist/cli/, dist/catalogue.json, the
 * catalogue's YAML and node_modules linked), so the shared build is never touched.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../support/build.js';

const repo = process.cwd();
let root: string;
let cacheFile: string;
let bundleFile: string;

function cli(args: string[], node: string[] = []) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: root, FOUREYES_CODE_CACHE: 'report' };
  for (const k of Object.keys(env)) if ((k.startsWith('FOUREYES_') && k !== 'FOUREYES_CODE_CACHE') || k === 'XDG_DATA_HOME') delete env[k];
  return spawnSync(process.execPath, [...node, join(root, 'bin', 'foureyes.js'), ...args], { env, encoding: 'utf8', timeout: 120_000 });
}

/** `--version` and an assess of this machine (one check), as a user runs them; returns what became of the cache. */
function works(node: string[] = []): string {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
  const v = cli(['--version'], node);
  expect(v.status, v.stderr).toBe(0);
  expect(v.stdout).toBe(`${pkg.version}\n`);
  const state = /^foureyes: code cache (\w+)$/m.exec(v.stderr)?.[1];
  const a = cli(['assess', '--local', '--checks', 'sshd-permit-root-login', '--workspace', join(root, 'ws.sqlite'), '--json'], node);
  expect(a.status, a.stderr).toBe(0);
  const report = JSON.parse(a.stdout) as { hosts: { name: string; status: string; results: { checkId: string }[] }[] };
  expect(report.hosts.map((h) => [h.name, h.status])).toEqual([['localhost', 'done']]);
  expect(report.hosts[0]!.results.map((r) => r.checkId)).toEqual(['sshd-permit-root-login']);
  expect(a.stderr).toContain(`foureyes: code cache ${state}\n`);
  return state ?? '(not reported)';
}

beforeAll(() => ensureBuilt(), 300_000);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fe-code-cache-'));
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
  mkdirSync(join(root, 'main', 'catalogue'), { recursive: true });
  for (const f of ['bin/foureyes.js', 'bin/cli-bundle.js', 'package.json', 'dist/catalogue.json', 'dist/cli/index.cjs', 'dist/cli/index.cjs.cache'])
    copyFileSync(join(repo, f), join(root, f));
  symlinkSync(join(repo, 'main', 'catalogue', 'checks'), join(root, 'main', 'catalogue', 'checks'));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  bundleFile = join(root, 'dist', 'cli', 'index.cjs');
  cacheFile = `${bundleFile}.cache`;
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the code cache of the command line', () => {
  it('the one the build wrote is used', () => {
    expect(works()).toBe('used');
  });

  it('missing: the bundle is compiled from source', () => {
    rmSync(cacheFile);
    expect(works()).toBe('missing');
  });

  it('damaged (bytes changed inside, a truncated file, another file): not handed to V8', () => {
    const good = readFileSync(cacheFile);
    const flipped = Buffer.from(good);
    for (let i = 0; i < 64; i++) flipped[Math.floor(good.length / 2) + i]! ^= 0x5a;
    writeFileSync(cacheFile, flipped);
    expect(works()).toBe('corrupt');
    writeFileSync(cacheFile, good.subarray(0, 40));
    expect(works()).toBe('corrupt');
    writeFileSync(cacheFile, 'not a cache\n');
    expect(works()).toBe('corrupt');
  });

  it('stale: a bundle changed after the cache was made (same length) runs as changed', () => {
    const text = readFileSync(bundleFile, 'latin1');
    const help = '"assess hosts (user@host[:port] or ssh_config alias)"';
    expect(text.split(help)).toHaveLength(2);
    writeFileSync(bundleFile, text.replace(help, help.replace('assess hosts', 'assess HOSTS')), 'latin1');
    expect(works()).toBe('stale');
    expect(cli(['--help']).stdout).toContain('assess HOSTS (user@host[:port]');
  });

  it('refused by V8 (other V8 flags than the build had): the bundle is compiled from source', () => {
    expect(works(['--no-lazy-feedback-allocation'])).toBe('rejected');
  });

  it('FOUREYES_CODE_CACHE=off compiles without it', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'foureyes.js'), '--version'], {
      env: { ...process.env, FOUREYES_CODE_CACHE: 'off' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    writeFileSync(cacheFile, 'not a cache\n');
    const state = cli(['--version'], []);
    expect(state.stderr).toBe('foureyes: code cache corrupt\n');
  });
});
