/**
 * Acceptance of issue 8 item 8: the customer's secrets are not collected. The lab hosts carry canary secrets
 * (careless_secrets and hardened_secrets in test/lab/sh/hosts/): an LDAP bind password in sssd.conf, nslcd.conf and
 * /etc/ldap.conf, /etc/ldap.secret, SMB credential files named by fstab credentials=, a CIFS password in fstab,
 * private SSH keys and keytabs. A real `foureyes assess` (root through sudo, and restricted sudo) and `foureyes
 * import` of collector output run by hand; then every file produced is searched for every canary: the workspace,
 * its -wal and -shm (also while the commands run: SQLite removes them on close), the JSON and human outputs, the
 * collector output files, and every value of every table, snapshots inflated. None may be found, and the checks
 * that need to know a value is set give the lab truth's verdicts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../main/cli/report.js';
import { REDACTED } from '../../shared/facts/secrets.js';
import { ensureBuilt } from '../support/build.js';
import { canariesIn } from '../support/canaries.js';
import { ensureLab, labAvailable, labHost, labUnavailableReason, type LabManifest } from './lab.js';
import { sshRun } from './ssh-cli.js';
import { loadTruth } from './truth.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
/** Where each host keeps its canaries (the positive control: they are there to be found). */
const PLANTED: Record<string, string[]> = {
  careless: ['/etc/ldap.conf', '/etc/ldap.secret', '/etc/samba/cifs-credentials', '/etc/fstab', '/etc/krb5.keytab', '/etc/pam.d/old-vpn.key'],
  hardened: ['/etc/sssd/sssd.conf', '/etc/nslcd.conf', '/etc/ldap.secret', '/etc/samba/credentials/backup', '/etc/krb5.keytab', '/etc/ssh/ssh_host_legacy_key', '/etc/krb5.conf.d/old-admin.key'],
};
PLANTED.restricted = PLANTED.hardened ?? [];

/** Canaries found in the workspace's -wal and -shm while a command runs (polled: SQLite removes them at close). */
class SideFiles {
  found: string[] = [];
  reads = 0;
  constructor(private readonly ws: string) {}
  look(): void {
    for (const f of [`${this.ws}-wal`, `${this.ws}-shm`]) {
      try {
        const b = readFileSync(f);
        this.reads++;
        this.found.push(...canariesIn(b).map((c) => `${f}: ${c}`));
      } catch {
        // not there at this moment
      }
    }
  }
}

function cli(args: string[], side: SideFiles, out: string): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const poll = setInterval(() => side.look(), 20);
    const t = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      clearInterval(poll);
      side.look();
      const stdout = Buffer.concat(chunks);
      writeFileSync(out, stdout);
      writeFileSync(`${out}.stderr`, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every value of every table, as bytes; deflated blobs (snapshots) inflated. */
function tableValues(ws: string): { where: string; bytes: Buffer }[] {
  const db = new Database(ws, { readonly: true, fileMustExist: true });
  try {
    const out: { where: string; bytes: Buffer }[] = [];
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const t of tables) {
      for (const row of db.prepare(`SELECT * FROM "${t.replace(/"/g, '""')}"`).all() as Record<string, unknown>[]) {
        for (const [col, v] of Object.entries(row)) {
          const where = `${t}.${col}`;
          if (typeof v === 'string') out.push({ where, bytes: Buffer.from(v) });
          else if (Buffer.isBuffer(v)) {
            out.push({ where, bytes: v });
            if (v[0] === 0x78) out.push({ where: `${where} (inflated)`, bytes: inflateSync(v) });
          }
        }
      }
    }
    return out;
  } finally {
    db.close();
  }
}

function verdictsOf(report: ScanReport, name: string): Map<string, string> {
  const h = report.hosts.find((x) => x.name === name);
  expect(h?.status, `${name}: ${JSON.stringify(h?.error)}`).toBe('done');
  return new Map((h?.results ?? []).map((r) => [r.checkId, r.verdict]));
}

function mismatches(got: Map<string, string>, label: string): string[] {
  const want = loadTruth().get(label) ?? new Map<string, string>();
  expect(want.size).toBeGreaterThan(0);
  return [...want].filter(([id, v]) => got.get(id) !== v).map(([id, v]) => `${label} ${id}: expected ${v}, got ${got.get(id) ?? 'none'}`);
}

describe.skipIf(!labAvailable())(`no customer secret in anything Foureyes produces${labAvailable() ? '' : ` (skipped: ${labUnavailableReason()})`}`, () => {
  let m: LabManifest;
  let dir: string;
  let ws: string;
  let side: SideFiles;
  const name = (n: string) => {
    const h = labHost(m, n as 'careless');
    return `${h.user}@${h.address}`;
  };

  beforeAll(async () => {
    ensureBuilt();
    m = await ensureLab();
    dir = mkdtempSync(join(tmpdir(), 'fe-secrets-'));
    ws = join(dir, 'ws.sqlite');
    side = new SideFiles(ws);
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the canaries are on the hosts, where the collector reads', () => {
    for (const [host, paths] of Object.entries(PLANTED)) {
      const h = labHost(m, host as 'careless');
      for (const p of paths) expect(canariesIn(readFileSync(join(h.root, p))), `${host}:${p}`).not.toEqual([]);
    }
  });

  it('assess (root through sudo; restricted sudo) and import of collector output: verdicts as the lab truth', async () => {
    const base = ['-i', m.keys.private, '--known-hosts', m.knownHosts, '--workspace', ws];
    const root = await cli(['assess', name('careless'), name('hardened'), '--sudo', ...base, '--json'], side, join(dir, 'assess-root.json'));
    expect(root.code, root.stderr).toBe(0);
    const live = JSON.parse(root.stdout.toString()) as ScanReport;
    const restricted = await cli(['assess', name('restricted'), ...base, '--json'], side, join(dir, 'assess-restricted.json'));
    expect(restricted.code, restricted.stderr).toBe(0);
    const human = await cli(['assess', name('restricted'), name('careless'), '--sudo', ...base], side, join(dir, 'assess.txt'));
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout.toString()).toContain('central-auth-passwords-not-world-readable');

    // The collector run by hand: as root on careless, as the auditor with restricted sudo on restricted.
    const script = join(dir, 'collector.sh');
    expect((await cli(['collector', '-o', script], side, join(dir, 'collector.stdout'))).code).toBe(0);
    const byHand: [string, string, string][] = [
      ['careless', 'sudo -n sh -s', 'careless-import'],
      ['restricted', 'sh -s', 'restricted-import'],
    ];
    const imported: ScanReport[] = [];
    for (const [host, command, as] of byHand) {
      const run = await sshRun(m, labHost(m, host as 'careless'), command, { input: readFileSync(script), timeoutMs: 240_000 });
      expect(run.code, run.stderr).toBe(0);
      const file = join(dir, `${host}.out`);
      writeFileSync(file, run.stdout);
      const json = await cli(['import', file, '--name', as, '--workspace', ws, '--json'], side, join(dir, `import-${host}.json`));
      expect(json.code, json.stderr).toBe(0);
      imported.push(JSON.parse(json.stdout.toString()) as ScanReport);
    }
    const text = await cli(['import', join(dir, 'careless.out'), '--name', 'careless-again', '--workspace', ws], side, join(dir, 'import.txt'));
    expect(text.code, text.stderr).toBe(0);
    for (const [args, out] of [
      [['--json'], 'results.json'],
      [[], 'results.txt'],
    ] as const) {
      const r = await cli(['results', ...args, '--workspace', ws], side, join(dir, out));
      expect(r.code, r.stderr).toBe(0);
    }

    const bad = [
      ...mismatches(verdictsOf(live, name('careless')), 'careless'),
      ...mismatches(verdictsOf(live, name('hardened')), 'hardened'),
      ...mismatches(verdictsOf(JSON.parse(restricted.stdout.toString()) as ScanReport, name('restricted')), 'restricted'),
      ...mismatches(verdictsOf(imported[0] as ScanReport, 'careless-import'), 'careless'),
      ...mismatches(verdictsOf(imported[1] as ScanReport, 'restricted-import'), 'restricted'),
    ];
    expect(bad, bad.join('\n')).toEqual([]);
  }, 1_200_000);

  it('no canary in any file produced, in the -wal and -shm while they existed, or in any value of any table', () => {
    const files = readdirSync(dir).sort();
    // What there is to search: the workspace, both collector outputs, JSON and human outputs.
    expect(files).toEqual(expect.arrayContaining(['ws.sqlite', 'careless.out', 'restricted.out', 'assess-root.json', 'assess.txt', 'import.txt', 'results.json', 'results.txt']));
    const found = files.flatMap((f) => canariesIn(readFileSync(join(dir, f))).map((c) => `${f}: ${c}`));
    expect(found).toEqual([]);
    expect(side.reads, 'the -wal was never seen while the commands ran').toBeGreaterThan(0);
    expect(side.found).toEqual([]);
    for (const f of ['ws.sqlite-wal', 'ws.sqlite-shm']) if (existsSync(join(dir, f))) expect(files).toContain(f);

    const values = tableValues(ws);
    expect(values.filter((v) => canariesIn(v.bytes).length > 0).map((v) => `${v.where}: ${canariesIn(v.bytes).join(' ')}`)).toEqual([]);
    // The control: the snapshots hold the files, their secret values as the marker.
    const snapshots = values.filter((v) => v.where === 'snapshot.compressed (inflated)').map((v) => v.bytes.toString());
    expect(snapshots).toHaveLength(8);
    const json = JSON.stringify(REDACTED).slice(1, -1);
    for (const s of snapshots) expect(s).toContain(`bindpw ${json}`);
    expect(snapshots.filter((s) => s.includes(`ldap_default_authtok = ${json}`))).toHaveLength(4);
  });
});
