import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HostKeyProbeSchema } from '../../../shared/api/schemas/workspace.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { hostKeyService } from '../../../main/services/host-keys.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { makeClientKeys, startSshd, type ClientKeys, type SshdFixture } from '../ssh/sshd-fixture.js';
import { AUTH_LOG_RE } from '../ssh/helpers.js';
import { startTestSshServer, type TestSshServer } from './ssh2-server.js';

let dir: string;
let ws: Workspace;
let knownHosts: string;
let engagementId: string;
let server: TestSshServer;

beforeAll(async () => {
  server = await startTestSshServer();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-probe-'));
  ws = openWorkspace(path.join(dir, 'ws.sqlite'));
  knownHosts = path.join(dir, 'known_hosts');
  engagementId = ws.engagements.create({ name: 'Probe' }).id;
});
afterEach(() => {
  ws.close();
  rmSync(dir, { recursive: true, force: true });
});

const OTHER_FP = 'SHA256:' + 'Q'.repeat(43);

function addTarget(extra: { jumpHostId?: string; name?: string; port?: number } = {}) {
  return ws.hosts.add(engagementId, {
    name: extra.name ?? 'target',
    address: '127.0.0.1',
    port: extra.port ?? server.port,
    user: 'auditor',
    auth: { type: 'password' },
    ...(extra.jumpHostId ? { jumpHostId: extra.jumpHostId } : {}),
  });
}

async function rejection(fn: () => unknown): Promise<FoureyesError> {
  try {
    await Promise.resolve().then(fn);
  } catch (e) {
    if (e instanceof FoureyesError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('hostKey.probe against an in-process SSH server', () => {
  it('unknown, then accept, then match; the accepted record carries the real key type; never authenticates', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts] });
    const h = addTarget();
    const conns = server.connections;
    const handshakes = server.handshakes;

    const first = HostKeyProbeSchema.parse(await svc.probe({ hostId: h.id }));
    expect(first).toEqual({
      hostId: h.id,
      algorithm: server.keyType,
      fingerprint: server.fingerprint,
      status: 'unknown',
      expected: [],
    });

    await svc.accept({ hostId: h.id, fingerprint: first.fingerprint });
    expect(ws.hosts.require(h.id).pinnedFingerprint).toBe(server.fingerprint);
    expect(ws.hostKeys.list(h.id).map((k) => [k.keyType, k.fingerprint, k.how])).toEqual([
      [server.keyType, server.fingerprint, 'pinned'],
    ]);

    const second = await svc.probe({ hostId: h.id });
    expect(second).toMatchObject({
      status: 'match',
      fingerprint: server.fingerprint,
      expected: [server.fingerprint],
    });

    // Two probes: two connections, each with a finished key exchange (the server proved its key), no auth request.
    expect(server.connections - conns).toBe(2);
    expect(server.handshakes - handshakes).toBe(2);
    expect(server.authAttempts).toEqual([]);
  });

  it('a pinned fingerprint that differs is a mismatch showing both fingerprints', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts] });
    const h = addTarget();
    ws.hosts.pin(h.id, OTHER_FP);
    // known_hosts agrees with the server, but the pin decides (as it does for scans).
    writeFileSync(knownHosts, `[127.0.0.1]:${server.port} ${server.publicLine}\n`);
    const r = await svc.probe({ hostId: h.id });
    expect(r.status).toBe('mismatch');
    expect(r.fingerprint).toBe(server.fingerprint);
    expect(r.expected).toEqual([OTHER_FP, server.fingerprint]);
    expect(server.authAttempts).toEqual([]);
  });

  it('accepting a fingerprint the last probe did not see records it as pinned, not as a key type', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts] });
    const h = addTarget();
    await svc.probe({ hostId: h.id });
    await svc.accept({ hostId: h.id, fingerprint: OTHER_FP });
    expect(ws.hostKeys.list(h.id).map((k) => k.keyType)).toEqual(['pinned']);
  });

  it('answers from known_hosts: match, another key (mismatch), revoked', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts] });
    const h = addTarget();
    const name = `[127.0.0.1]:${server.port}`;
    const other = await startTestSshServer();
    try {
      writeFileSync(knownHosts, `${name} ${server.publicLine}\n`);
      expect(await svc.probe({ hostId: h.id })).toMatchObject({
        status: 'match',
        expected: [server.fingerprint],
      });

      writeFileSync(knownHosts, `${name} ${other.publicLine}\n`);
      expect(await svc.probe({ hostId: h.id })).toMatchObject({
        status: 'mismatch',
        expected: [other.fingerprint],
      });

      writeFileSync(knownHosts, `@revoked ${name} ${server.publicLine}\n`);
      expect(await svc.probe({ hostId: h.id })).toMatchObject({ status: 'revoked', expected: [] });
    } finally {
      await other.stop();
    }
  });

  it('refuses the local machine: it has no host key', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts] });
    const local = ws.hosts.add(engagementId, {
      name: 'localhost',
      address: '127.0.0.1',
      user: 'root',
      tags: ['local'],
    });
    const e = await rejection(() => svc.probe({ hostId: local.id }));
    expect(e.code).toBe('bad_input');
    expect(e.message).toContain('the local machine is scanned without SSH; it has no host key');
  });

  it('a server that never speaks times out with a message naming host and address', async () => {
    const sockets: Socket[] = [];
    const silent: NetServer = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts], probeTimeoutMs: 400 });
      const h = addTarget({ name: 'mute', port });
      const t0 = Date.now();
      const e = await rejection(() => svc.probe({ hostId: h.id }));
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(e.code).toBe('connect_timeout');
      expect(e.message).toBe(`host key probe of mute (127.0.0.1:${port}): no SSH key exchange within 0.4 s`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('a closed port is connect_refused naming the host', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts] });
    const gone = createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const port = (gone.address() as { port: number }).port;
    await new Promise((r) => gone.close(r));
    const h = addTarget({ name: 'closed', port });
    const e = await rejection(() => svc.probe({ hostId: h.id }));
    expect(e.code).toBe('connect_refused');
    expect(e.message).toContain(`closed (127.0.0.1:${port})`);
  });
});

describe('hostKey.probe against OpenSSH, directly and through a jump host', () => {
  let keys: ClientKeys;
  let sshd: SshdFixture;

  beforeAll(async () => {
    keys = makeClientKeys();
    sshd = await startSshd({ authorizedKeys: [keys.plain] });
  });
  afterAll(async () => {
    await sshd?.stop();
    if (keys) rmSync(keys.dir, { recursive: true, force: true });
  });

  function addBastion() {
    return ws.hosts.add(engagementId, {
      name: 'bastion',
      address: '127.0.0.1',
      port: sshd.port,
      user: 'root',
      auth: { type: 'key', keyPath: keys.plain },
    });
  }

  it('sees the key ssh-keygen prints for sshd, and sshd logs no authentication request', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts] });
    const b = addBastion();
    const from = sshd.log().length;
    const r = await svc.probe({ hostId: b.id });
    expect(r.algorithm).toBe('ssh-ed25519');
    expect(r.fingerprint).toBe(sshd.hostKeys['ssh-ed25519']!.fingerprint);
    expect(r.status).toBe('unknown');
    // Give sshd a moment to log the disconnect, then check it saw no userauth request.
    await new Promise((res) => setTimeout(res, 200));
    const log = sshd.log().slice(from);
    expect(log).toMatch(/Connection from 127\.0\.0\.1/);
    expect(log).not.toMatch(AUTH_LOG_RE);
  });

  it('prefers the key type known_hosts has for the host (RSA known: RSA probed)', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts] });
    const b = addBastion();
    writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostKeys['ssh-rsa']!.line}\n`);
    const r = await svc.probe({ hostId: b.id });
    expect(r).toMatchObject({
      algorithm: 'ssh-rsa',
      fingerprint: sshd.hostKeys['ssh-rsa']!.fingerprint,
      status: 'match',
    });
  });

  it('through a jump host: refused until the jump host key is accepted, then probes the target over it', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts] });
    const b = addBastion();
    const t = addTarget({ jumpHostId: b.id });
    const conns = server.connections;

    const e = await rejection(() => svc.probe({ hostId: t.id }));
    expect(e.code).toBe('host_key_unknown');
    expect(e.message).toContain('accept the host key of jump host bastion first');
    expect(e.message).toContain(sshd.hostKeys['ssh-ed25519']!.fingerprint);
    expect(server.connections).toBe(conns);

    const jb = await svc.probe({ hostId: b.id });
    await svc.accept({ hostId: b.id, fingerprint: jb.fingerprint });
    const from = sshd.log().length;
    const r = await svc.probe({ hostId: t.id });
    expect(r).toMatchObject({
      status: 'unknown',
      fingerprint: server.fingerprint,
      algorithm: server.keyType,
    });
    expect(server.connections).toBe(conns + 1);
    expect(server.authAttempts).toEqual([]);
    // The bastion authenticated us (key) and forwarded to the target's port.
    expect(sshd.log().slice(from)).toMatch(new RegExp(`Accepted publickey for root`));
    expect(sshd.log().slice(from)).toMatch(new RegExp(`port ${server.port}`));
  });

  it('through a jump host, a target that never speaks times out within the deadline', async () => {
    const sockets: Socket[] = [];
    const silent: NetServer = createServer((x) => sockets.push(x));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts], probeTimeoutMs: 1500 });
      const b = addBastion();
      ws.hosts.pin(b.id, sshd.hostKeys['ssh-ed25519']!.fingerprint);
      const t = addTarget({ jumpHostId: b.id, name: 'mute', port });
      const t0 = Date.now();
      const e = await rejection(() => svc.probe({ hostId: t.id }));
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(e.code).toBe('connect_timeout');
      expect(e.message).toBe(`host key probe of mute (127.0.0.1:${port}): no SSH key exchange within 1.5 s`);
      expect(sockets.length).toBe(1);
    } finally {
      for (const x of sockets) x.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('a changed jump host key stops at the jump host, naming it', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [knownHosts] });
    const b = addBastion();
    ws.hosts.pin(b.id, OTHER_FP);
    const t = addTarget({ jumpHostId: b.id });
    const e = await rejection(() => svc.probe({ hostId: t.id }));
    expect(e.code).toBe('host_key_changed');
    expect(e.message).toMatch(/^cannot probe target \(127\.0\.0\.1:\d+\) through jump host bastion: /);
  });
});
