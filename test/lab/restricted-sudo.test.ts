/**
 * Restricted sudo on the lab's `restricted` host: the auditor may run a list of read-only commands through sudo
 * (Cmnd_Alias AUDIT_READ), not a shell. One exec channel, root-only facts read through the allowed commands only,
 * every verdict equal to truth/*.yaml, none manual, the sudo commands used listed (and found in the host's sudo log,
 * which is the only file the run adds to: the customer's own record, excluded from the read-only proof by name);
 * the root-only secrets read through those commands arrive redacted (the canaries of hardened_secrets).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { factsNeeded, loadCatalogue } from '../../main/catalogue/load.js';
import type { ScanReport } from '../../main/cli/report.js';
import { collectFacts } from '../../main/collector/collect.js';
import { evaluateAll } from '../../main/engine/evaluate.js';
import { SshTransport } from '../../main/transport/ssh.js';
import type { SecretProvider } from '../../main/transport/types.js';
import { FACTS, type FactDef } from '../../shared/facts/registry.js';
import { REDACTED } from '../../shared/facts/secrets.js';
import type { CommandFact, FileSetFact } from '../../shared/facts/snapshot.js';
import type { SshTarget } from '../../shared/model/target.js';
import { canariesIn } from '../support/canaries.js';
import { ensureLab, labAvailable, labHost, labUnavailableReason, type LabManifest } from './lab.js';
import { DEFAULT_EXCLUDES, describeDiff, diffTrees, treeFingerprint } from './tree-hash.js';
import { loadTruth } from './truth.js';

const NO_SECRETS: SecretProvider = { get: () => Promise.resolve(undefined) };
/** The host's sudo log (Defaults logfile): sudo appends a record of every command it runs. */
const SUDO_LOG = '/var/log/sudo.log';
/** Changed by every SSH login by design (sshd, PAM, rsyslog), never by the collector. */
const LOGIN_LOGS = ['/var/log/auth.log', '/var/log/syslog', '/var/log/lastlog', '/var/log/wtmp', '/var/log/btmp'];

describe.skipIf(!labAvailable())(`restricted sudo on the lab${labAvailable() ? '' : ` (skipped: ${labUnavailableReason()})`}`, () => {
  let m: LabManifest;
  const catalogue = loadCatalogue();
  // Manual only where a person must answer: an attestation, or unit state where PID 1 is not systemd (the lab's
  // fe-init). Nothing is manual for want of root.
  const undecided = (r: { checkId: string; verdict: string; reason: string }): boolean =>
    r.verdict === 'manual' &&
    catalogue.byId.get(r.checkId)?.rule.type !== 'attestation' &&
    !r.reason.startsWith("systemd is not this host's service manager");

  beforeAll(async () => {
    m = await ensureLab();
  });

  function target(privilege: SshTarget['privilege']): SshTarget {
    const h = labHost(m, 'restricted');
    return {
      name: h.name,
      address: h.address,
      port: h.port,
      user: h.user,
      auth: { type: 'key', keyPath: h.keyPath },
      hostKey: { knownHostsFiles: [m.knownHosts], acceptNew: false },
      jumps: [],
      privilege,
    };
  }

  async function collect(privilege: SshTarget['privilege'], ids: readonly string[] = factsNeeded(catalogue.checks), registry = FACTS as Record<string, FactDef>) {
    const t = new SshTransport(target(privilege), NO_SECRETS);
    try {
      const r = await collectFacts(t, ids, { registry });
      return { ...r, stats: t.stats() };
    } finally {
      await t.close();
    }
  }

  it('one exec channel; every verdict equals truth, none manual; the sudo commands are listed and logged; nothing else written', async () => {
    const h = labHost(m, 'restricted');
    const excludes = [...DEFAULT_EXCLUDES.filter((e) => e !== '/var/log'), SUDO_LOG, ...LOGIN_LOGS];
    const logBefore = readLog(h.root);
    const before = await treeFingerprint(h.root, excludes);
    const { snapshot, run, stats } = await collect('auto');
    const after = await treeFingerprint(h.root, excludes);

    expect(stats).toEqual({ connections: 1, execChannels: 1 });
    expect(run.privilege).toBe('none');
    expect(snapshot.privileged).toBe(false);
    expect(snapshot.complete, JSON.stringify(snapshot.issues)).toBe(true);

    // The rules as sudo listed them: the 19 commands of AUDIT_READ, all NOPASSWD, as root.
    const sudo = snapshot.sudo;
    expect(sudo?.user).toBe('auditor');
    expect(sudo?.listing.rules.map((r) => r.command)).toContain('/usr/sbin/sshd -T');
    expect(sudo?.listing.rules.filter((r) => !r.negated)).toHaveLength(19);
    expect(sudo?.unread).toEqual([]);
    // Argument patterns respected: `sshd -T -C …` is not in the rules, `sshd -T` is.
    expect(sudo?.commands).toEqual(expect.arrayContaining(['/usr/sbin/sshd -T', '/usr/sbin/nft list ruleset', '/usr/bin/cat /etc/shadow', '/usr/bin/cat /etc/sssd/sssd.conf']));
    expect(sudo?.commands.some((c) => c.includes('-C user='))).toBe(false);
    expect((snapshot.facts['sshd.effective'] as CommandFact).sudo).toEqual(['/usr/sbin/sshd -T']);

    const truth = loadTruth().get('restricted');
    expect(truth?.size).toBe(catalogue.checks.length);
    const results = evaluateAll(snapshot, catalogue.checks);
    const bad = results.filter((r) => truth?.get(r.checkId) !== r.verdict).map((r) => `${r.checkId}: expected ${truth?.get(r.checkId)}, got ${r.verdict} (${r.reason})`);
    expect(bad, bad.join('\n')).toEqual([]);
    expect(results.filter((r) => undecided(r)).map((r) => r.checkId)).toEqual([]);

    // The only file the run wrote to is the customer's sudo log: one record per command, none refused.
    // (The log's directory changes too when this run made the log.)
    const d = diffTrees(before, after);
    const unexpected = { ...d, changed: d.changed.filter((p) => !(p === '/var/log' && logBefore === undefined)) };
    expect(describeDiff(before, after, unexpected)).toEqual([]);
    const added = (readLog(h.root) ?? '').slice(logBefore?.length ?? 0);
    for (const c of sudo?.commands ?? []) expect(added).toContain(`COMMAND=${c.split(' ')[0]}`);
    expect(added).not.toMatch(/command not allowed|incorrect password|a password is required/);
  });

  it('root-only secrets read through the allowed commands arrive redacted: no canary crosses the wire, no hash of them', async () => {
    const h = labHost(m, 'restricted');
    // The canaries are on the host (hardened_secrets), in files only root may read.
    for (const p of ['/etc/sssd/sssd.conf', '/etc/nslcd.conf', '/etc/ldap.secret', '/etc/samba/credentials/backup', '/etc/krb5.conf.d/old-admin.key', '/etc/krb5.keytab'])
      expect(canariesIn(readFileSync(join(h.root, p))), p).not.toEqual([]);
    const logBefore = readLog(h.root) ?? '';
    const { snapshot: s, run } = await collect('auto');
    expect(s.complete, JSON.stringify(s.issues)).toBe(true);
    expect(canariesIn(run.stdout)).toEqual([]);
    const files = (id: string) => (s.facts[id] as FileSetFact).files;
    const one = (id: string, path: string) => {
      const f = files(id).find((x) => x.path === path);
      if (!f) throw new Error(`${id}: no ${path} in ${files(id).map((x) => x.path).join(', ')}`);
      return f;
    };

    // Read through `sudo cat`, the secret values replaced on the host; no hash of such a file.
    const sssd = one('auth.sssd', '/etc/sssd/sssd.conf');
    expect(sssd).toMatchObject({ secret: 'values', sudo: ['/usr/bin/cat /etc/sssd/sssd.conf'] });
    expect(sssd.content).toContain(`ldap_default_authtok_type = password\nldap_default_authtok = ${REDACTED}\n`);
    const nslcd = one('auth.ldap', '/etc/nslcd.conf');
    expect(nslcd).toMatchObject({ secret: 'values', sudo: ['/usr/bin/cat /etc/nslcd.conf'] });
    expect(nslcd.content).toContain(`\nbindpw ${REDACTED}\n`);
    // The credentials directory (0700, a match of /etc/samba/*cred*: stat only) listed through `sudo find`; the
    // file in it, which fstab names too, listed once.
    expect(files('auth.smb_credentials').map((f) => f.path)).toEqual(['/etc/samba/credentials', '/etc/samba/credentials/backup']);
    expect(s.sudo?.commands).toContain('/usr/bin/find /etc/samba/credentials -mindepth 1 -maxdepth 1 -name *');
    expect(one('auth.smb_credentials', '/etc/samba/credentials/backup')).toMatchObject({ secret: 'values', content: `username=backup\npassword=${REDACTED}\n` });
    for (const f of [sssd, nslcd, ...files('auth.smb_credentials')]) expect(f.sha256, f.path).toBeUndefined();
    // Private key material read through sudo is looked at and kept back.
    const key = one('auth.krb5', '/etc/krb5.conf.d/old-admin.key');
    expect(key).toMatchObject({ secret: 'key', sudo: ['/usr/bin/cat /etc/krb5.conf.d/old-admin.key'] });
    expect(key.content).toBeUndefined();
    // A whole-secret file and a keytab: stat only, never read (not through sudo either).
    const secret = one('auth.secret_files', '/etc/ldap.secret');
    expect(secret).toMatchObject({ secret: 'file', stat: { mode: 0o600, user: 'root', size: 1 } });
    const keytab = one('auth.keytabs', '/etc/krb5.keytab');
    for (const f of [secret, keytab]) {
      expect(f.content, f.path).toBeUndefined();
      expect(f.sha256, f.path).toBeUndefined();
      expect(f.sudo, f.path).toBeUndefined();
    }
    const added = (readLog(h.root) ?? '').slice(logBefore.length);
    expect(added).toContain('/etc/sssd/sssd.conf');
    expect(added).not.toMatch(/\/etc\/ldap\.secret|\/etc\/krb5\.keytab|ssh_host_legacy_key/);
    // What the checks need still holds: a password is set, in files only root may read.
    const r = evaluateAll(s, catalogue.checks).filter((x) => x.checkId.startsWith('central-auth-'));
    expect(Object.fromEntries(r.map((x) => [x.checkId, x.verdict]))).toMatchObject({
      'central-auth-passwords-not-world-readable': 'pass',
      'central-auth-secret-files-perms': 'pass',
    });
  });

  it('a fact no allowed command can read stays unread with the reason; `sshd` alone is not `sshd -T`', async () => {
    const registry: Record<string, FactDef> = {
      ...(FACTS as Record<string, FactDef>),
      'test.sshd_bare': { kind: 'command', script: 'sshd -V', requires: ['sshd'], maxBytes: 1024, privileged: true, sudo: { argv: [['sshd', '-V'], ['sshd']] }, description: 'sshd alone' },
      'test.id': { kind: 'command', script: 'id', requires: ['id'], maxBytes: 1024, privileged: true, sudo: { argv: [['id']] }, description: 'id' },
    };
    const { snapshot } = await collect('auto', ['test.sshd_bare', 'test.id'], registry);
    for (const id of ['test.sshd_bare', 'test.id']) {
      const f = snapshot.facts[id] as CommandFact;
      expect(f, id).toMatchObject({ problem: 'denied', detail: 'not in the sudo rules granted to auditor', stdout: '' });
      expect(f.sudo).toBeUndefined();
    }
    expect(snapshot.sudo?.unread).toEqual(['test.sshd_bare', 'test.id']);
    expect(snapshot.sudo?.commands).toEqual([]);
  });

  it('the CLI (JSON and text) names the privilege and lists the sudo commands, saying the sudo log shows them', async () => {
    const h = labHost(m, 'restricted');
    const dir = mkdtempSync(join(tmpdir(), 'fe-restricted-'));
    try {
      const base = ['assess', `${h.user}@${h.address}`, '-i', h.keyPath, '--known-hosts', m.knownHosts, '--workspace', join(dir, 'ws.sqlite')];
      const json = await cli([...base, '--json']);
      expect(json.code, json.stderr).toBe(0);
      const host = (JSON.parse(json.stdout) as ScanReport).hosts[0];
      expect(host).toMatchObject({ status: 'done', privilege: 'restricted sudo (19 commands)' });
      expect(host?.sudo?.user).toBe('auditor');
      expect(host?.sudo?.commands).toContain('/usr/sbin/sshd -T');
      // Attestations stay manual until the consultant answers them; nothing else does.
      expect(host?.results.filter((r) => undecided(r))).toEqual([]);
      const text = await cli(base);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain('(privilege restricted sudo (19 commands))');
      expect(text.stdout).toMatch(/restricted sudo: \d+ command\(s\) run through the sudo rules of auditor \(19 allowed\); the host's sudo log shows each:\n {4}sudo \/usr\/bin\//);
      expect(text.stdout).toContain('    sudo /usr/sbin/sshd -T\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("privilege 'none' never uses sudo: root-only checks stay manual, needing root", async () => {
    const { snapshot, stats } = await collect('none');
    expect(stats.execChannels).toBe(1);
    expect(snapshot.sudo).toBeUndefined();
    const r = evaluateAll(snapshot, catalogue.checks).find((x) => x.checkId === 'firewall-default-deny');
    expect(r).toMatchObject({ verdict: 'manual', reason: 'needs root; host assessed unprivileged' });
  });
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [join(process.cwd(), 'bin', 'foureyes.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const t = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

function readLog(root: string): string | undefined {
  try {
    return readFileSync(join(root, SUDO_LOG), 'utf8');
  } catch {
    return undefined;
  }
}
