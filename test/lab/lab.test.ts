/**
 * Smoke test of the test lab: every host is a separate machine as far as SSH can tell (its own host key,
 * hostname, sockets, processes, mounts and configuration), and the privilege paths behave as the manifest says.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureLab,
  labAvailable,
  labExec,
  labHost,
  labUnavailableReason,
  type LabHost,
  type LabManifest,
} from './lab.js';
import { sshRun } from './ssh-cli.js';
import { diffTrees, describeDiff, treeFingerprint } from './tree-hash.js';

const DIRECT = ['bastion', 'careless', 'partial', 'hardened', 'hostile', 'restricted', 'restrictpw', 'remedy'] as const;
const ALL = [...DIRECT, 'inner'] as const;

describe.skipIf(!labAvailable())(
  `test lab${labAvailable() ? '' : ` (skipped: ${labUnavailableReason()})`}`,
  () => {
    let m: LabManifest;
    let scratch: string;

    beforeAll(async () => {
      m = await ensureLab();
      scratch = mkdtempSync(join(tmpdir(), 'fe-lab-test-'));
    });
    afterAll(() => {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    it('lists every host with distinct host keys', () => {
      expect(m.hosts.map((h) => h.name).sort()).toEqual([...ALL].sort());
      const fps = m.hosts.flatMap((h) => h.hostKeys.map((k) => k.fingerprint));
      expect(new Set(fps).size).toBe(fps.length);
      for (const h of m.hosts) expect(h.hostKeys.map((k) => k.type)).toContain('ssh-ed25519');
    });

    it.each(ALL)('%s answers SSH with its own host key, and only with it', async (name) => {
      const host = labHost(m, name);
      const lines = (address: string, of: LabHost | undefined) =>
        (of?.hostKeys ?? []).map((k) => `${address} ${k.publicKey}\n`).join('');
      // A jump host stays trusted in both files, so that only the key of the host under test differs.
      const jump = m.hosts.find((h) => h.name === host.jumpHost);
      const jumpLines = jump ? lines(jump.address, jump) : '';
      const own = join(scratch, `${name}.own`);
      writeFileSync(own, lines(host.address, host) + jumpLines);
      // Another host's keys filed under this host's address: the client must refuse.
      const other = join(scratch, `${name}.other`);
      const foreign = m.hosts.find((h) => h.name !== name && h.name !== host.jumpHost);
      writeFileSync(other, lines(host.address, foreign) + jumpLines);

      const ok = await sshRun(m, host, 'echo ok', { knownHosts: own });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toBe('ok\n');
      const bad = await sshRun(m, host, 'echo ok', { knownHosts: other });
      expect(bad.code).toBe(255);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/host key|Host key verification failed/i);
    });

    it('gives each host its own hostname, sockets, processes and sshd_config', async () => {
      const seen = new Map<string, { hostname: string; sockets: string; conn: string; config: string }>();
      for (const name of ALL) {
        const host = labHost(m, name);
        const r = await sshRun(
          m,
          host,
          'hostname; echo ===; ss -Htuln | sort; echo ===; ss -Htn state established "( sport = :22 )"; echo ===; ' +
            'ps -o comm= -p 1',
        );
        expect(r.code, r.stderr).toBe(0);
        const [hostname, sockets, conn, init] = r.stdout.split('===\n').map((s) => s.trim());
        // sshd_config is root-only on some hosts: read it from inside the host, not over SSH.
        const config = (await labExec(name, ['sha256sum', '/etc/ssh/sshd_config'])).stdout.toString();
        expect(init).toBe('fe-init');
        // The established connection's local end is this host's own address.
        expect(conn).toContain(`${host.address}:22`);
        seen.set(name, {
          hostname: hostname ?? '',
          sockets: sockets ?? '',
          conn: conn ?? '',
          config: config ?? '',
        });
      }
      expect(seen.get('careless')?.hostname).toBe('careless');
      expect(seen.get('hostile')?.hostname).toContain('<script>alert(1)</script>\u001b[31m');
      expect(new Set([...seen.values()].map((s) => s.hostname)).size).toBe(ALL.length);
      // careless has rsyslog open on udp/514, hardened chronyd on loopback udp/323, partial sshd only.
      const sockets = ['careless', 'partial', 'hardened'].map((n) => seen.get(n)?.sockets);
      expect(new Set(sockets).size).toBe(3);
      expect(seen.get('careless')?.sockets).toMatch(/udp\s+UNCONN.*0\.0\.0\.0:514/);
      expect(seen.get('partial')?.sockets).not.toMatch(/:514|:323/);
      expect(seen.get('hardened')?.sockets).toMatch(/127\.0\.0\.1:323/);
      const configs = ['careless', 'partial', 'hardened'].map((n) => seen.get(n)?.config);
      expect(new Set(configs).size).toBe(3);
    });

    it('applies each host configuration (sshd -T, mounts, sysctls) in its own namespaces', async () => {
      const sshdT = async (name: 'careless' | 'partial' | 'hardened') =>
        (
          await labExec(name, ['sshd', '-T', '-C', 'user=root,host=localhost,addr=127.0.0.1'])
        ).stdout.toString();
      expect(await sshdT('careless')).toMatch(/^permitrootlogin yes$/m);
      expect(await sshdT('partial')).toMatch(/^permitrootlogin without-password$/m);
      expect(await sshdT('partial')).toMatch(/^x11forwarding no$/m);
      expect(await sshdT('hardened')).toMatch(/^permitrootlogin no$/m);
      const mounts = async (name: 'careless' | 'hardened') =>
        (await labExec(name, ['cat', '/proc/self/mounts'])).stdout.toString();
      expect(await mounts('careless')).not.toMatch(/ \/tmp /);
      expect(await mounts('hardened')).toMatch(/^tmpfs \/tmp tmpfs \S*nosuid,nodev,noexec/m);
      const fwd = async (name: 'careless' | 'hardened') =>
        (await labExec(name, ['cat', '/proc/sys/net/ipv4/ip_forward'])).stdout.toString().trim();
      expect(await fwd('careless')).toBe('1');
      expect(await fwd('hardened')).toBe('0');
    });

    it('serves hostile bytes from the hostile host, byte for byte', async () => {
      const root = labHost(m, 'hostile').root;
      const osRelease = readFileSync(join(root, 'etc/os-release'));
      for (const needle of [
        '<script>alert(1)</script>',
        '\u001b[31m',
        '\u001b]0;pwned-title\u0007',
        '\u0000',
      ])
        expect(osRelease.includes(Buffer.from(needle, 'latin1')), needle).toBe(true);
      expect(osRelease.includes(Buffer.from([0xff, 0xfe]))).toBe(true);
      expect(osRelease.toString('latin1')).toMatch(/^ID=debian$/m);
      expect(readFileSync(join(root, 'etc/motd'), 'latin1')).toMatch(/^[0-9a-f]{32} done$/m);
      expect(readFileSync(join(root, 'etc/passwd'), 'latin1')).toMatch(
        /^mallory:x:1003:1003:<b>Mallory<\/b> <script>/m,
      );
      const sudoers = await labExec('hostile', ['cat', '/etc/sudoers.d/zz-hostile']);
      expect(sudoers.stdout.includes(Buffer.from([0]))).toBe(true);
      const visudo = await labExec('hostile', ['visudo', '-c']);
      expect(visudo.code, visudo.stderr).toBe(0);
    });

    it('lets root log in with the lab key on careless only', async () => {
      const careless = await sshRun(m, labHost(m, 'careless'), 'id -u', { user: 'root' });
      expect(careless.stdout).toBe('0\n');
      for (const name of ['partial', 'hardened'] as const) {
        const r = await sshRun(m, labHost(m, name), 'id -u', { user: 'root' });
        expect(r.code).toBe(255);
      }
    });

    it('makes the auditor root the way the manifest says', async () => {
      const careless = await sshRun(m, labHost(m, 'careless'), 'sudo -n id -u');
      expect(careless.stdout).toBe('0\n');

      const partial = labHost(m, 'partial');
      expect(partial.sudo).toBe('password');
      const noPw = await sshRun(m, partial, 'sudo -n id -u');
      expect(noPw.code).not.toBe(0);
      expect(noPw.stderr).toMatch(/password is required/);
      const pw = readFileSync(partial.sudoPasswordFile ?? '', 'utf8').trim();
      const withPw = await sshRun(m, partial, "sudo -S -p '' sh -s", { input: `${pw}\nid -u\n` });
      expect(withPw.stdout).toBe('0\n');

      const hardened = labHost(m, 'hardened');
      expect(hardened.requiretty).toBe(true);
      const noTty = await sshRun(m, hardened, "sudo -n sh -c 'id -u'");
      expect(noTty.code).not.toBe(0);
      expect(noTty.stderr).toMatch(/must have a tty/);
      const tty = await sshRun(m, hardened, "sudo -n sh -c 'id -u'", { tty: true });
      expect(tty.stdout.replace(/\r/g, '')).toContain('0\n');
    });

    it('reaches inner only through the bastion', async () => {
      const inner = labHost(m, 'inner');
      expect(inner.jumpHost).toBe('bastion');
      const direct = await sshRun(m, { ...inner, jumpHost: null }, 'true', { timeoutMs: 10_000 });
      expect(direct.code).toBe(255);
      expect(direct.stderr).toMatch(/No route to host|unreachable/i);
      const via = await sshRun(m, inner, 'hostname');
      expect(via.stdout).toBe('inner\n');
    });

    it('opens the passphrase-protected key with the passphrase file only', () => {
      const pass = readFileSync(m.keys.passphraseFile, 'utf8').trim();
      const pub = readFileSync(m.keys.public, 'utf8').split(' ').slice(0, 2).join(' ');
      const derived = execFileSync('ssh-keygen', ['-y', '-P', pass, '-f', m.keys.passphraseProtected], {
        encoding: 'utf8',
      });
      expect(derived.split(' ').slice(0, 2).join(' ').trim()).toBe(pub);
      expect(() =>
        execFileSync('ssh-keygen', ['-y', '-P', '', '-f', m.keys.passphraseProtected], { stdio: 'pipe' }),
      ).toThrow();
    });

    it('finds no change in a host root after a reading SSH session', async () => {
      const host = labHost(m, 'careless');
      const before = await treeFingerprint(host.root);
      const r = await sshRun(
        m,
        host,
        'cat /etc/passwd /etc/ssh/sshd_config >/dev/null; sudo -n cat /etc/shadow >/dev/null',
      );
      expect(r.code, r.stderr).toBe(0);
      const after = await treeFingerprint(host.root);
      expect(describeDiff(before, after)).toEqual([]);
      // ...and the fingerprint does see a write made inside the host.
      await labExec('careless', ['touch', '/tmp/fe-lab-probe']);
      const touched = await treeFingerprint(host.root);
      await labExec('careless', ['rm', '-f', '/tmp/fe-lab-probe']);
      expect(diffTrees(after, touched).added).toEqual(['/tmp/fe-lab-probe']);
    });
  },
);
