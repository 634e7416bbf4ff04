/**
 * Restricted sudo with a password on the lab's `restrictpw` host: the same read-only command list as `restricted`,
 * but `PASSWD:`. The first channel only learns that sudo wants a password before it lists the rules (`sudo -n -l`,
 * which the sudo log records as "a password is required ; COMMAND=list"); the second, on a pty, authenticates once
 * (`sudo -S -v` after the nonce prompt) and runs the script unprivileged, whose `sudo -n` reads share that
 * terminal's timestamp. Two exec channels, the password asked for and sent once, no failed authentication in the
 * host's logs, every verdict equal to truth/*.yaml, none manual, nothing written but the customer's own logs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanReport } from '../../main/cli/report.js';
import { ensureBuilt } from '../support/build.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { factsNeeded, loadCatalogue } from '../../main/catalogue/load.js';
import { collectFacts } from '../../main/collector/collect.js';
import { evaluateAll } from '../../main/engine/evaluate.js';
import { SshTransport } from '../../main/transport/ssh.js';
import type { CommandFact } from '../../shared/facts/snapshot.js';
import type { SshTarget } from '../../shared/model/target.js';
import { RecordingSecrets } from '../unit/ssh/helpers.js';
import { ensureLab, labAvailable, labHost, labUnavailableReason, type LabManifest } from './lab.js';
import { DEFAULT_EXCLUDES, describeDiff, diffTrees, treeFingerprint } from './tree-hash.js';
import { loadTruth } from './truth.js';

const SUDO_LOG = '/var/log/sudo.log';
const AUTH_LOG = '/var/log/auth.log';
/** Changed by every SSH login by design (sshd, PAM, rsyslog), never by the collector. */
const LOGIN_LOGS = ['/var/log/syslog', '/var/log/lastlog', '/var/log/wtmp', '/var/log/btmp'];
/** What a failed or refused sudo leaves in the host's logs. */
const FAILURES = /incorrect password|authentication failure|command not allowed|conversation failed|Sorry, try again|3 incorrect/i;

describe.skipIf(!labAvailable())(`restricted sudo with a password on the lab${labAvailable() ? '' : ` (skipped: ${labUnavailableReason()})`}`, () => {
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
    ensureBuilt();
  }, 300_000);

  function target(privilege: SshTarget['privilege']): SshTarget {
    const h = labHost(m, 'restrictpw');
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
  const password = () => readFileSync(labHost(m, 'restrictpw').sudoPasswordFile ?? '', 'utf8').replace(/\n$/, '');
  const readLog = (path: string): string => {
    try {
      return readFileSync(join(labHost(m, 'restrictpw').root, path), 'utf8');
    } catch {
      return '';
    }
  };

  it('two channels (the second a pty); the password asked once; verdicts equal truth, none manual; logs clean; read-only', async () => {
    const h = labHost(m, 'restrictpw');
    expect(h.sudo).toBe('restricted-password');
    const excludes = [...DEFAULT_EXCLUDES.filter((e) => e !== '/var/log'), SUDO_LOG, AUTH_LOG, ...LOGIN_LOGS];
    const sudoBefore = readLog(SUDO_LOG);
    const authBefore = readLog(AUTH_LOG);
    const before = await treeFingerprint(h.root, excludes);
    const secrets = new RecordingSecrets({ sudo: password() });
    const t = new SshTransport(target('sudo'), secrets);
    let r: Awaited<ReturnType<typeof collectFacts>>;
    try {
      r = await collectFacts(t, factsNeeded(catalogue.checks));
    } finally {
      await t.close();
    }
    const after = await treeFingerprint(h.root, excludes);
    const { snapshot, run } = r;

    expect(t.stats()).toEqual({ connections: 1, execChannels: 2 });
    expect(secrets.asked).toEqual([{ purpose: 'sudo', host: 'restrictpw' }]);
    expect(run.privilege).toBe('none');
    expect(run.privilegeNote).toBeUndefined();
    expect(snapshot.complete, JSON.stringify(snapshot.issues)).toBe(true);
    expect(snapshot.sudo?.user).toBe('auditor');
    const rules = snapshot.sudo?.listing.rules ?? [];
    expect(rules.filter((x) => !x.negated)).toHaveLength(19);
    expect(rules.every((x) => !x.nopasswd)).toBe(true);
    expect(snapshot.sudo?.unread).toEqual([]);
    expect((snapshot.facts['sshd.effective'] as CommandFact).sudo).toEqual(['/usr/sbin/sshd -T']);

    const truth = loadTruth().get('restrictpw');
    expect(truth?.size).toBe(catalogue.checks.length);
    const results = evaluateAll(snapshot, catalogue.checks);
    const bad = results.filter((x) => truth?.get(x.checkId) !== x.verdict).map((x) => `${x.checkId}: expected ${truth?.get(x.checkId)}, got ${x.verdict} (${x.reason})`);
    expect(bad, bad.join('\n')).toEqual([]);
    expect(results.filter((x) => undecided(x)).map((x) => x.checkId)).toEqual([]);

    // One authentication: no failure, no refused command; the only "password is required" is the first channel's
    // `sudo -n -l` (sudo records that it would not list the rules without one: nothing was typed to it).
    const sudoAdded = readLog(SUDO_LOG).slice(sudoBefore.length);
    const authAdded = readLog(AUTH_LOG).slice(authBefore.length);
    expect(sudoAdded).not.toMatch(FAILURES);
    expect(authAdded).not.toMatch(FAILURES);
    expect(sudoAdded.match(/a password is required/g)?.length).toBe(1);
    expect(sudoAdded).toMatch(/a password is required ;[^\n]*\n?[^\n]*COMMAND=list/);
    for (const c of snapshot.sudo?.commands ?? []) expect(sudoAdded).toContain(`COMMAND=${c.split(' ')[0]}`);
    // The reads ran on the run's terminal (the tty ticket is what they share).
    expect(sudoAdded).toMatch(/TTY=pts\//);

    const d = diffTrees(before, after);
    const unexpected = { ...d, changed: d.changed.filter((p) => p !== '/var/log') };
    expect(describeDiff(before, after, unexpected)).toEqual([]);
  });

  it('a wrong password: tried once, never again; the run is unprivileged with the reason, root-only checks manual', async () => {
    const authBefore = readLog(AUTH_LOG);
    const secrets = new RecordingSecrets({ sudo: 'not-the-password' });
    const t = new SshTransport(target('sudo'), secrets);
    try {
      const { snapshot, run } = await collectFacts(t, factsNeeded(catalogue.checks));
      expect(run.privilege).toBe('none');
      expect(run.privilegeNote).toMatch(/did not accept the password/);
      expect(snapshot.sudo).toBeUndefined();
      expect(t.stats().execChannels).toBe(2);
    } finally {
      await t.close();
    }
    expect(secrets.asked).toHaveLength(1);
    // pam_unix records the one wrong password, once.
    expect(readLog(AUTH_LOG).slice(authBefore.length).match(/pam_unix\(sudo:auth\): authentication failure/g)?.length).toBe(1);
  });

  it('the CLI over two sudo-password hosts: each password only to its own host (no failed sudo in either auth log); a host without one warns and exits 2', async () => {
    const p = labHost(m, 'partial');
    const r = labHost(m, 'restrictpw');
    const spec = (h: typeof p) => `${h.user}@${h.address}`;
    const logOf = (h: typeof p) => {
      try {
        return readFileSync(join(h.root, AUTH_LOG), 'utf8');
      } catch {
        return '';
      }
    };
    const dir = mkdtempSync(join(tmpdir(), 'fe-sudopw-'));
    try {
      const base = ['assess', spec(p), spec(r), '-i', p.keyPath, '--known-hosts', m.knownHosts, '--workspace', join(dir, 'ws.sqlite'), '--sudo', '--checks', 'sudo-use-pty,accounts-empty-passwords'];
      // One file for two hosts: refused before anything connects.
      const refused = await cli([...base, '--sudo-password-file', p.sudoPasswordFile ?? '']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/one host's sudo password and 2 hosts would get it/);
      expect(refused.stdout).toBe('');

      const before = [logOf(p), logOf(r)];
      const ok = await cli([...base, '--json', '--sudo-password-for', `${spec(p)}=${p.sudoPasswordFile ?? ''}`, '--sudo-password-for', `${spec(r)}=${r.sudoPasswordFile ?? ''}`]);
      expect(ok.code, ok.stderr).toBe(0);
      const hosts = (JSON.parse(ok.stdout) as ScanReport).hosts;
      expect(hosts.map((h) => [h.name, h.privilege, h.sudoNotObtained])).toEqual([
        [spec(p), 'sudo', null],
        [spec(r), 'restricted sudo (19 commands)', null],
      ]);
      expect(logOf(p).slice(before[0]?.length)).not.toMatch(FAILURES);
      expect(logOf(r).slice(before[1]?.length)).not.toMatch(FAILURES);

      // restrictpw given no password (no terminal to ask on): the warning in text and JSON, exit 2.
      const text = await cli([...base, '--sudo-password-for', `${spec(p)}=${p.sudoPasswordFile ?? ''}`]);
      expect(text.code).toBe(2);
      expect(text.stdout).toMatch(new RegExp(`${r.address.replace(/\./g, '\\.')}: score .*\\(privilege none\\)\\n  WARNING: sudo requested but not obtained: sudo asks for a password and none is available`));
      const json = await cli([...base, '--json', '--sudo-password-for', `${spec(p)}=${p.sudoPasswordFile ?? ''}`]);
      expect(json.code).toBe(2);
      const rh = (JSON.parse(json.stdout) as ScanReport).hosts.find((h) => h.name === spec(r));
      expect(rh?.sudoNotObtained).toMatch(/none is available/);
      expect(logOf(r).slice(before[1]?.length)).not.toMatch(FAILURES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [join(process.cwd(), 'bin', 'foureyes.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const t = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}
