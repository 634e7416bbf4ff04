import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTarget } from '../../../main/ssh/connect.js';
import { execCommand } from '../../../main/ssh/exec.js';
import type { SshSession } from '../../../main/ssh/session.js';
import { rejection } from './cancel-helpers.js';
import { AUTH_LOG_RE, RecordingSecrets, pinned, sleep, targetFor } from './helpers.js';
import { closedPort, makeClientKeys, startAgent, startSshd, tempDir, type AgentFixture, type ClientKeys, type SshdFixture } from './sshd-fixture.js';

let keys: ClientKeys;
let sshd: SshdFixture;
let agent: AgentFixture;
let dir: string;

beforeAll(async () => {
  keys = makeClientKeys();
  sshd = await startSshd({ authorizedKeys: [keys.plain, keys.encrypted, keys.rsaPem] });
  agent = await startAgent([keys.plain]);
  dir = tempDir('connect');
});
afterAll(async () => {
  await sshd?.stop();
  await agent?.stop();
  rmSync(keys.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

async function uid(s: SshSession): Promise<string> {
  const r = await execCommand(s, 'id -u', { deadlineMs: 5000, maxStdout: 100, maxStderr: 100 });
  return r.stdout.toString().trim();
}

function knownHosts(name: string, lines: string[]): string {
  const f = join(dir, name);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

/** The sshd log written since `from`, once sshd has logged the connection's end. */
async function logSince(from: number): Promise<string> {
  for (let i = 0; i < 40; i++) {
    const text = sshd.log().slice(from);
    if (/Connection closed|Disconnected|disconnect/i.test(text)) return text;
    await sleep(50);
  }
  return sshd.log().slice(from);
}

describe('host key policy against a real sshd', () => {
  it('refuses a first contact without acceptance, naming host:port, key type and fingerprint; asks no secret', async () => {
    const secrets = new RecordingSecrets({ passphrase: keys.passphrase });
    const from = sshd.log().length;
    const e = await rejection(connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.encrypted }), secrets));
    expect(e.code).toBe('host_key_unknown');
    expect(e.message).toContain(`127.0.0.1:${sshd.port}`);
    expect(e.message).toContain(`ssh-ed25519 ${sshd.hostKeys['ssh-ed25519']!.fingerprint}`);
    expect(e.message).toMatch(/pin it|accept-new/);
    expect(secrets.asked).toEqual([]);
    const log = await logSince(from);
    expect(log).toContain('Connection from 127.0.0.1');
    expect(log).not.toMatch(AUTH_LOG_RE);
  });

  it('accepts a pinned fingerprint', async () => {
    const s = await connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.plain }, pinned(sshd)), new RecordingSecrets());
    expect(s.hostKeys).toEqual([expect.objectContaining({ acceptedBy: 'pinned', fingerprint: sshd.hostKeys['ssh-ed25519']!.fingerprint })]);
    expect(await uid(s)).toBe('0');
    await s.close();
    expect(s.closed).toBe(true);
  });

  it('accepts keys from known_hosts: [host]:port plain, hashed, and an RSA-only entry (RSA negotiated)', async () => {
    const ed = sshd.hostKeys['ssh-ed25519']!;
    const rsa = sshd.hostKeys['ssh-rsa']!;
    const plain = knownHosts('kh-plain', [`[127.0.0.1]:${sshd.port} ${ed.line}`]);
    const hashed = knownHosts('kh-hashed', [`[127.0.0.1]:${sshd.port} ${ed.line}`]);
    execFileSync('ssh-keygen', ['-H', '-f', hashed], { stdio: 'ignore' });
    expect(readFileSync(hashed, 'utf8')).not.toContain('127.0.0.1');
    const rsaOnly = knownHosts('kh-rsa', [`[127.0.0.1]:${sshd.port} ${rsa.line}`]);
    for (const [f, type] of [
      [plain, 'ssh-ed25519'],
      [hashed, 'ssh-ed25519'],
      [rsaOnly, 'ssh-rsa'],
    ] as const) {
      const s = await connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.plain }, { knownHostsFiles: [f] }), new RecordingSecrets());
      expect(s.hostKeys[0]).toMatchObject({ acceptedBy: 'known_hosts', keyType: type });
      await s.close();
    }
  });

  it('accept-new records the key (file 0600) and returns the acceptance; next time it is a known host', async () => {
    const record = join(dir, 'acc', 'known_hosts');
    const now = new Date('2030-01-02T03:04:05Z');
    const s = await connectTarget(
      targetFor(sshd, { type: 'key', keyPath: keys.plain }, { knownHostsFiles: [record], acceptNew: true }),
      new RecordingSecrets(),
      { knownHostsRecordFile: record, now: () => now },
    );
    const fp = sshd.hostKeys['ssh-ed25519']!.fingerprint;
    expect(s.acceptedNewKeys).toEqual([{ host: '127.0.0.1', port: sshd.port, keyType: 'ssh-ed25519', fingerprint: fp, time: now.toISOString(), recordedIn: record }]);
    await s.close();
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(readFileSync(record, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${sshd.hostKeys['ssh-ed25519']!.line}\n`);
    const again = await connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.plain }, { knownHostsFiles: [record] }), new RecordingSecrets());
    expect(again.acceptedNewKeys).toEqual([]);
    expect(again.hostKeys[0]?.acceptedBy).toBe('known_hosts');
    await again.close();
  });

  it.each([
    ['known_hosts entry', 'known'],
    ['pinned fingerprint', 'pin'],
  ])('refuses a changed key (%s) before any authentication, even with acceptNew', async (_label, kind) => {
    const other = join(dir, `other-${kind}`);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other], { stdio: 'ignore' });
    const otherLine = readFileSync(`${other}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const f = knownHosts(`kh-changed-${kind}`, [`[127.0.0.1]:${sshd.port} ${otherLine}`]);
    const otherFp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${other}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
    const policy = kind === 'known' ? { knownHostsFiles: [f], acceptNew: true } : { pinnedFingerprint: otherFp, acceptNew: true };
    for (const auth of [{ type: 'key', keyPath: keys.encrypted }, { type: 'password' }] as const) {
      const secrets = new RecordingSecrets({ passphrase: keys.passphrase, password: 'secret' });
      const from = sshd.log().length;
      const e = await rejection(connectTarget(targetFor(sshd, auth, policy), secrets, { knownHostsRecordFile: f }));
      expect(e.code).toBe('host_key_changed');
      expect(e.message).toContain(`expected ${kind === 'known' ? 'ssh-ed25519 ' : ''}${otherFp}`);
      expect(e.message).toContain(`presented ssh-ed25519 ${sshd.hostKeys['ssh-ed25519']!.fingerprint}`);
      expect(e.message).toContain('before authentication');
      expect(secrets.asked).toEqual([]);
      const log = await logSince(from);
      expect(log).toContain('Connection from 127.0.0.1');
      expect(log).not.toMatch(AUTH_LOG_RE);
    }
    // accept-new did not overwrite or add anything
    expect(readFileSync(f, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ${otherLine}\n`);
  });

  it('refuses a revoked key', async () => {
    const f = knownHosts('kh-revoked', [`@revoked * ${sshd.hostKeys['ssh-ed25519']!.line}`]);
    const e = await rejection(connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.plain }, { knownHostsFiles: [f], acceptNew: true }), new RecordingSecrets()));
    expect(e.code).toBe('host_key_revoked');
    expect(e.message).toContain(`${f}:1`);
  });
});

describe('authentication', () => {
  it('uses a passphrase-protected key, asking for the passphrase once (after the host key check)', async () => {
    const secrets = new RecordingSecrets({ passphrase: keys.passphrase });
    const s = await connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.encrypted }, pinned(sshd)), secrets);
    expect(secrets.asked).toEqual([{ purpose: 'passphrase', host: 'lo' }]);
    expect(await uid(s)).toBe('0');
    await s.close();
  });

  it('a wrong passphrase is a clear error naming the key file', async () => {
    const e = await rejection(connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.encrypted }, pinned(sshd)), new RecordingSecrets({ passphrase: 'wrong' })));
    expect(e.code).toBe('auth_failed');
    expect(e.message).toContain(keys.encrypted);
    expect(e.message).toMatch(/wrong passphrase/);
    expect(e.message).toContain(`root@127.0.0.1:${sshd.port}`);
  });

  it('no passphrase available is a clear error', async () => {
    const e = await rejection(connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.encrypted }, pinned(sshd)), new RecordingSecrets()));
    expect(e.code).toBe('auth_failed');
    expect(e.message).toContain(`${keys.encrypted} is encrypted and no passphrase is available`);
  });

  it('an unreadable or non-key file fails before any connection, naming the file', async () => {
    const missing = join(dir, 'no-such-key');
    const e1 = await rejection(connectTarget(targetFor(sshd, { type: 'key', keyPath: missing }, pinned(sshd)), new RecordingSecrets()));
    expect(e1).toMatchObject({ code: 'bad_input' });
    expect(e1.message).toContain(`cannot read private key file ${missing} (ENOENT)`);
    const e2 = await rejection(connectTarget(targetFor(sshd, { type: 'key', keyPath: `${keys.plain}.pub` }, pinned(sshd)), new RecordingSecrets()));
    expect(e2).toMatchObject({ code: 'bad_input' });
    expect(e2.message).toContain(`${keys.plain}.pub holds a public key`);
    const junk = join(dir, 'junk-key');
    writeFileSync(junk, 'not a key');
    const e3 = await rejection(connectTarget(targetFor(sshd, { type: 'key', keyPath: junk }, pinned(sshd)), new RecordingSecrets()));
    expect(e3.message).toContain(`${junk} is not a private key`);
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked');
      copyFileSync(keys.plain, locked);
      chmodSync(locked, 0);
      expect((await rejection(connectTarget(targetFor(sshd, { type: 'key', keyPath: locked }, pinned(sshd)), new RecordingSecrets()))).message).toContain('EACCES');
    }
  });

  it('uses an RSA key in PEM format', async () => {
    const s = await connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.rsaPem }, pinned(sshd)), new RecordingSecrets());
    expect(await uid(s)).toBe('0');
    await s.close();
  });

  it('uses ssh-agent from a given socket and from SSH_AUTH_SOCK, never forwarding it', async () => {
    const s = await connectTarget(targetFor(sshd, { type: 'agent', socket: agent.socket }, pinned(sshd)), new RecordingSecrets());
    const env = await execCommand(s, 'echo "[$SSH_AUTH_SOCK]"', { deadlineMs: 5000, maxStdout: 200, maxStderr: 200 });
    expect(env.stdout.toString().trim()).toBe('[]');
    await s.close();
    const saved = process.env.SSH_AUTH_SOCK;
    process.env.SSH_AUTH_SOCK = agent.socket;
    try {
      const s2 = await connectTarget(targetFor(sshd, { type: 'agent' }, pinned(sshd)), new RecordingSecrets());
      expect(await uid(s2)).toBe('0');
      await s2.close();
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
    }
  });

  it('a key the server does not trust is auth_failed naming user@host:port', async () => {
    const e = await rejection(connectTarget(targetFor(sshd, { type: 'key', keyPath: keys.stranger }, pinned(sshd)), new RecordingSecrets()));
    expect(e.code).toBe('auth_failed');
    expect(e.message).toContain(`root@127.0.0.1:${sshd.port}`);
  });

  it('password auth refused by a key-only server is auth_failed; the password was asked only after the host key check', async () => {
    const secrets = new RecordingSecrets({ password: 'not-the-password' });
    const e = await rejection(connectTarget(targetFor(sshd, { type: 'password' }, pinned(sshd)), secrets));
    expect(e.code).toBe('auth_failed');
    expect(secrets.asked).toEqual([{ purpose: 'password', host: 'lo' }]);
  });
});

describe('network errors', () => {
  it('connection refused on a closed port', async () => {
    const port = await closedPort();
    const t = { ...targetFor(sshd, { type: 'key', keyPath: keys.plain }, pinned(sshd)), port };
    const e = await rejection(connectTarget(t, new RecordingSecrets()));
    expect(e.code).toBe('connect_refused');
    expect(e.message).toBe(`root@127.0.0.1:${port}: connection refused`);
  });

  it('a server that never speaks SSH is a connect timeout', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const t0 = Date.now();
      const e = await rejection(connectTarget({ ...targetFor(sshd, { type: 'key', keyPath: keys.plain }, pinned(sshd)), port }, new RecordingSecrets(), { readyTimeoutMs: 500 }));
      expect(e.code).toBe('connect_timeout');
      expect(e.message).toContain(`root@127.0.0.1:${port}`);
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });

  it('abort cancels a connection attempt', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 200);
      const e = await rejection(connectTarget({ ...targetFor(sshd, { type: 'key', keyPath: keys.plain }, pinned(sshd)), port }, new RecordingSecrets(), { signal: ac.signal }));
      expect(e.code).toBe('cancelled');
    } finally {
      silent.close();
    }
  });
});
