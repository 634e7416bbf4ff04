/**
 * The built command line as a user runs it (`node bin/foureyes.js`), with a fresh HOME: the version, the default
 * workspace (created private on first write, never by a command that only reads), a missing workspace named.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../support/build.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
let home: string;

function cli(args: string[], extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extraEnv };
  for (const k of Object.keys(env))
    if ((k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') && !(k in extraEnv)) delete env[k];
  return spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => ensureBuilt(), 300_000);
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('foureyes (built)', () => {
  it('prints the package version', () => {
    home = mkdtempSync(join(tmpdir(), 'fe-home-'));
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = cli([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it('results on a machine without a workspace names the path and creates nothing', () => {
    home = mkdtempSync(join(tmpdir(), 'fe-home-'));
    const r = cli(['results']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `foureyes: no workspace at ${join(home, '.local/share/foureyes/workspace.sqlite')} (nothing has been scanned ` +
        'or imported there yet; give --workspace FILE or set FOUREYES_WORKSPACE)\n',
    );
    expect(readdirSync(home)).toEqual([]);
    const given = cli(['results', '--json'], { FOUREYES_WORKSPACE: join(home, 'elsewhere', 'w.sqlite') });
    expect(given.status).toBe(2);
    expect(given.stderr).toContain(join(home, 'elsewhere', 'w.sqlite'));
    expect(readdirSync(home)).toEqual([]);
  });

  it('an import creates the default workspace 0600 in a 0700 directory (XDG_DATA_HOME honoured); results reads it', () => {
    home = mkdtempSync(join(tmpdir(), 'fe-home-'));
    const script = cli(['collector', '--checks', 'sshd-permit-root-login']);
    expect(script.status).toBe(0);
    const out = spawnSync('sh', ['-s'], { input: script.stdout, encoding: 'utf8', timeout: 60_000 });
    const file = join(home, 'out.txt');
    writeFileSync(file, out.stdout);
    const data = join(home, 'data');
    const imp = cli(['import', file, '--name', 'airgapped', '--json'], { XDG_DATA_HOME: data });
    expect(imp.status, imp.stderr).toBe(0);
    const ws = join(data, 'foureyes', 'workspace.sqlite');
    expect(statSync(join(data, 'foureyes')).mode & 0o777).toBe(0o700);
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(ws).mode & 0o777).toBe(0o600);
    expect(existsSync(join(home, '.local'))).toBe(false);
    const shown = cli(['results', '--json'], { XDG_DATA_HOME: data });
    expect(shown.status, shown.stderr).toBe(0);
    const report = JSON.parse(shown.stdout) as { scanId: string; hosts: { name: string }[] };
    expect(report.scanId).toBe((JSON.parse(imp.stdout) as { scanId: string }).scanId);
    expect(report.hosts.map((h) => h.name)).toEqual(['airgapped']);
    // It ran as this test's user: the import says so (root when the tests run as root, as in CI).
    const uid = process.getuid?.() ?? -1;
    expect((JSON.parse(imp.stdout) as { hosts: { privilege: string }[] }).hosts[0]!.privilege).toBe(uid === 0 ? 'root' : 'none');
  });
});
