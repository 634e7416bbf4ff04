/**
 * Foureyes' own SSH transport against the lab's real hosts: the three privilege paths (NOPASSWD sudo on careless,
 * sudo with a password on partial, sudo with requiretty on hardened), the unprivileged fallbacks, the jump host,
 * and host key refusal before authentication.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTarget } from '../../main/ssh/connect.js';
import { execCommand } from '../../main/ssh/exec.js';
import { SshTransport } from '../../main/transport/ssh.js';
import type { SecretProvider } from '../../main/transport/types.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { SshEndpoint, SshTarget } from '../../shared/model/target.js';
import { ensureLab, labAvailable, labExec, labHost, labUnavailableReason, type LabHost, type LabHostName, type LabManifest } from './lab.js';

class Secrets implements SecretProvider {
  readonly asked: string[] = [];
  constructor(private readonly answers: Partial<Record<'password' | 'passphrase' | 'sudo', string>> = {}) {}
  async get(purpose: 'password' | 'passphrase' | 'sudo'): Promise<string | undefined> {
    this.asked.push(purpose);
    return this.answers[purpose];
  }
}

/** Script with a known shape: who ran it, a long line with control characters (for the pty path), its status. */
const LINE = Array.from({ length: 2000 }, (_, i) => `l${i}\x03\x04\x1a\r`).join('');
const SCRIPT = `echo "uid=$(id -u)"; cat <<'EOF'\n${LINE}\nEOF\necho to-stderr >&2; exit 4\n`;

describe.skipIf(!labAvailable())(`SSH privilege paths on the lab${labAvailable() ? '' : ` (skipped: ${labUnavailableReason()})`}`, () => {
  let m: LabManifest;
  const open: SshTransport[] = [];

  beforeAll(async () => {
    m = await ensureLab();
  });
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()));
  });

  function endpoint(h: LabHost, knownHosts = m.knownHosts): SshEndpoint {
    return { name: h.name, address: h.address, port: h.port, user: h.user, auth: { type: 'key', keyPath: h.keyPath }, hostKey: { knownHostsFiles: [knownHosts], acceptNew: false } };
  }
  function target(name: LabHostName, privilege: SshTarget['privilege']): SshTarget {
    const h = labHost(m, name);
    const jumps = h.jumpHost ? [endpoint(labHost(m, h.jumpHost as LabHostName))] : [];
    return { ...endpoint(h), jumps, privilege };
  }
  function transport(name: LabHostName, privilege: SshTarget['privilege'], secrets: SecretProvider = new Secrets()): SshTransport {
    const t = new SshTransport(target(name, privilege), secrets);
    open.push(t);
    return t;
  }
  const run = (t: SshTransport) => t.runScript(SCRIPT, { deadlineMs: 60_000, maxBytes: 4 * 1024 * 1024 });
  const sudoPassword = () => readFileSync(labHost(m, 'partial').sudoPasswordFile!, 'utf8').trim();
  const uid = (out: Buffer) => /^uid=(\d+)\n/.exec(out.toString('latin1'))?.[1];

  it('careless (NOPASSWD): root through sudo in one channel, clean streams', async () => {
    const t = transport('careless', 'auto');
    const r = await run(t);
    expect(r).toMatchObject({ privilege: 'sudo', exitCode: 4 });
    expect(uid(r.stdout)).toBe('0');
    expect(r.stdout.toString('latin1')).toBe(`uid=0\n${LINE}\n`);
    expect(r.stderr.toString()).toBe('to-stderr\n');
    expect(t.stats()).toEqual({ connections: 1, execChannels: 1 });
  });

  it("careless with privilege 'none': unprivileged, one channel", async () => {
    const t = transport('careless', 'none');
    const r = await run(t);
    expect(r.privilege).toBe('none');
    expect(uid(r.stdout)).not.toBe('0');
    expect(t.stats().execChannels).toBe(1);
  });

  // sudo on partial will not list the rules without the password: the first channel asks only that (`sudo -n -l`),
  // the second (a pty) authenticates once with `sudo -S -v` and starts the root shell with `sudo -n`.
  it('partial (sudo with a password): the password is written once, after the prompt; two channels, the second a pty', async () => {
    const secrets = new Secrets({ sudo: sudoPassword() });
    const t = transport('partial', 'sudo', secrets);
    const r = await run(t);
    expect(r).toMatchObject({ privilege: 'sudo', exitCode: 4 });
    expect(uid(r.stdout)).toBe('0');
    expect(r.stderr.toString()).toBe('to-stderr\n');
    expect(secrets.asked).toEqual(['sudo']);
    expect(t.stats().execChannels).toBe(2);
  });

  it('partial with a wrong password: one attempt, then unprivileged in the pty channel (two in all)', async () => {
    const t = transport('partial', 'sudo', new Secrets({ sudo: 'not-the-password' }));
    const r = await run(t);
    expect(r.privilege).toBe('none');
    expect(r.privilegeNote).toMatch(/sudo did not accept the password/);
    expect(r.privilegeNote).not.toContain('not-the-password');
    expect(uid(r.stdout)).not.toBe('0');
    expect(t.stats().execChannels).toBe(2);
  });

  it("partial with privilege 'auto' or no password available: unprivileged, never asked (auto) or nothing written", async () => {
    const auto = new Secrets({ sudo: sudoPassword() });
    const r1 = await run(transport('partial', 'auto', auto));
    expect(r1.privilege).toBe('none');
    expect(r1.privilegeNote).toMatch(/privilege 'auto'/);
    expect(auto.asked).toEqual([]);
    const none = new Secrets();
    const r2 = await run(transport('partial', 'sudo', none));
    expect(r2.privilege).toBe('none');
    expect(r2.privilegeNote).toMatch(/none is available/);
    expect(none.asked).toEqual(['sudo']);
  });

  it('hardened (requiretty): the pty retry gets root in the second channel; output passes the terminal unchanged, stderr kept apart', async () => {
    const t = transport('hardened', 'auto');
    const r = await run(t);
    expect(r).toMatchObject({ privilege: 'sudo', exitCode: 4 });
    expect(r.stdout.toString('latin1')).toBe(`uid=0\n${LINE}\n`);
    // The terminal merges the streams: the script's stderr is held back on the host and arrives on its own.
    expect(r.stderr.toString()).toBe('to-stderr\n');
    expect(r.stderrTruncated).toBe(false);
    expect(t.stats().execChannels).toBe(2);
  });

  it('inner, through the bastion: each hop verified, root through sudo', async () => {
    const t = transport('inner', 'auto');
    const s = await t.connect();
    expect(s.hostKeys.map((h) => [h.name, h.acceptedBy])).toEqual([
      ['bastion', 'known_hosts'],
      ['inner', 'known_hosts'],
    ]);
    const r = await run(t);
    expect(r.privilege).toBe('sudo');
    expect(uid(r.stdout)).toBe('0');
  });

  it('a command past its deadline is killed on the target (non-root login: OpenSSH honours the signal)', async () => {
    const s = await transport('careless', 'none').connect();
    await expect(execCommand(s, 'sleep 7.77', { deadlineMs: 1000, maxStdout: 10, maxStderr: 10 })).rejects.toMatchObject({ code: 'timeout' });
    let left = '';
    for (let i = 0; i < 20 && left !== '0'; i++) {
      left = (await labExec('careless', ['sh', '-c', 'ps -eo args | grep -c "^sleep 7.7[7]" || true'])).stdout.toString().trim();
      if (left !== '0') await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toBe('0');
  });

  it("a host presenting another host's key is refused before authentication, no secret asked", async () => {
    const careless = labHost(m, 'careless');
    const partial = labHost(m, 'partial');
    // known_hosts that files partial's keys under careless's address.
    const dir = mkdtempSync(join(tmpdir(), 'fe-lab-kh-'));
    const kh = join(dir, 'known_hosts');
    writeFileSync(kh, partial.hostKeys.map((k) => `${careless.address} ${k.publicKey}\n`).join(''));
    try {
      const secrets = new Secrets({ passphrase: readFileSync(careless.passphraseFile, 'utf8').trim() });
      const ep = { ...endpoint(careless, kh), auth: { type: 'key' as const, keyPath: careless.passphraseKeyPath } };
      const e = await connectTarget({ ...ep, jumps: [], privilege: 'auto' }, secrets).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(FoureyesError);
      expect((e as FoureyesError).code).toBe('host_key_changed');
      expect(secrets.asked).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
