/**
 * The CLI end to end against the lab: live assess (with a down host and a host whose key does not match),
 * verdicts against truth/*.yaml, the read-only proof, and collector-by-hand + import giving the same verdicts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../main/cli/report.js';
import { ensureBuilt } from '../support/build.js';
import { ensureLab, labHost, type LabManifest } from './lab.js';
import { sshRun } from './ssh-cli.js';
import { diffTrees, treeFingerprint } from './tree-hash.js';
import { loadTruth } from './truth.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
beforeAll(() => ensureBuilt(), 300_000);

function cli(args: string[], timeoutMs = 170_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

function mismatches(report: ScanReport, host: string, label: string, truth: Map<string, Map<string, string>>): string[] {
  const h = report.hosts.find((x) => x.name === host);
  if (!h) return [`${label}: missing from report`];
  const want = truth.get(label) ?? new Map<string, string>();
  const got = new Map(h.results.map((r) => [r.checkId, r.verdict]));
  const out: string[] = [];
  for (const [id, v] of want) if (got.get(id) !== v) out.push(`${label} ${id}: expected ${v}, got ${got.get(id) ?? 'none'}`);
  return out;
}

describe('foureyes CLI against the lab', () => {
  let m: LabManifest;
  let dir: string;
  let ws: string;
  let kh: string;
  const truth = loadTruth();
  let live: ScanReport | undefined;

  beforeAll(async () => {
    m = await ensureLab();
    dir = mkdtempSync(join(tmpdir(), 'fe-assess-'));
    ws = join(dir, 'ws.sqlite');
    // The lab known_hosts, except that hostile's address carries bastion's key.
    const lines = readFileSync(m.knownHosts, 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('10.77.0.14 '));
    const bastion = labHost(m, 'bastion');
    for (const k of bastion.hostKeys) lines.push(`10.77.0.14 ${k.publicKey}`);
    kh = join(dir, 'known_hosts');
    writeFileSync(kh, `${lines.join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('assesses the lab: down and wrong-key hosts fail with reasons, every verdict matches truth, nothing written', async () => {
    const careless = labHost(m, 'careless');
    const partial = labHost(m, 'partial');
    const before = await treeFingerprint(careless.root);
    const hosts = ['careless', 'partial', 'hardened', 'hostile'].map((n) => {
      const h = labHost(m, n as 'careless');
      return `${h.user}@${h.address}`;
    });
    const r = await cli([
      'assess',
      ...hosts,
      'auditor@10.77.0.99',
      '-i',
      m.keys.private,
      '--known-hosts',
      kh,
      '--sudo',
      // partial's password for partial only (one file for all hosts is refused: it would reach every sudo that asks).
      '--sudo-password-for',
      `${partial.user}@${partial.address}=${partial.sudoPasswordFile ?? ''}`,
      '--workspace',
      ws,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as ScanReport;
    live = report;
    const byName = new Map(report.hosts.map((h) => [h.name, h]));
    const down = byName.get('auditor@10.77.0.99');
    expect(down?.status).toBe('failed');
    expect(down?.error?.message).toBeTruthy();
    const wrong = byName.get('auditor@10.77.0.14');
    expect(wrong?.status).toBe('failed');
    expect(wrong?.error?.code).toMatch(/host_key/);
    const bad: string[] = [];
    for (const n of ['careless', 'partial', 'hardened']) {
      const h = labHost(m, n as 'careless');
      const name = `${h.user}@${h.address}`;
      expect(byName.get(name)?.status, `${n}: ${JSON.stringify(byName.get(name)?.error)}`).toBe('done');
      bad.push(...mismatches(report, name, n, truth));
    }
    expect(bad, bad.join('\n')).toEqual([]);
    const after = await treeFingerprint(careless.root);
    const d = diffTrees(before, after);
    expect(d).toEqual(diffTrees(before, before));
  });

  it('--accept-new takes a key never seen, records it in the known_hosts file given, and the next run matches it', async () => {
    const careless = labHost(m, 'careless');
    const file = join(dir, 'known_hosts.accept-new');
    writeFileSync(file, '# empty\n');
    const args = ['assess', `${careless.user}@${careless.address}`, '-i', m.keys.private, '--known-hosts', file];
    const refused = await cli([...args, '--workspace', ws, '--json', '--checks', 'sshd-permit-root-login']);
    expect(JSON.parse(refused.stdout).hosts[0].status).toBe('failed');
    expect(readFileSync(file, 'utf8')).toBe('# empty\n');

    const first = await cli([...args, '--accept-new', '--workspace', ws, '--json', '--checks', 'sshd-permit-root-login']);
    expect(JSON.parse(first.stdout).hosts[0].status, first.stderr).toBe('done');
    const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    expect(lines).toHaveLength(1);
    const [host, type, blob] = lines[0]!.split(' ');
    expect(host).toBe(careless.address);
    expect(careless.hostKeys.map((k) => k.publicKey)).toContain(`${type} ${blob}`);

    // Without --accept-new now: the recorded key is known.
    const again = await cli([...args, '--workspace', ws, '--json', '--checks', 'sshd-permit-root-login']);
    expect(JSON.parse(again.stdout).hosts[0].status, again.stderr).toBe('done');
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('collector run by hand and imported gives the same verdicts as the live scan', async () => {
    const careless = labHost(m, 'careless');
    const script = await cli(['collector']);
    expect(script.code).toBe(0);
    const run = await sshRun(m, careless, 'sudo -n sh -s', { input: script.stdout, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const out = join(dir, 'careless.out');
    writeFileSync(out, run.stdout);
    const imp = await cli(['import', out, '--name', 'careless-import', '--workspace', ws, '--json']);
    expect(imp.code, imp.stderr).toBe(0);
    const report = JSON.parse(imp.stdout) as ScanReport;
    const bad = mismatches(report, 'careless-import', 'careless', truth);
    const liveHost = live?.hosts.find((h) => h.name === `${careless.user}@${careless.address}`);
    const imported = report.hosts.find((h) => h.name === 'careless-import');
    const verdicts = (h: typeof imported) => Object.fromEntries((h?.results ?? []).map((x) => [x.checkId, x.verdict]));
    if (liveHost) expect(verdicts(imported)).toEqual(verdicts(liveHost));
    expect(bad, bad.join('\n')).toEqual([]);
  });
});
