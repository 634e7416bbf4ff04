/**
 * An SSH server in this process (ssh2's Server) on 127.0.0.1 for service tests: its own generated host key, a
 * record of every connection, finished key exchange and authentication request, optional password auth for one
 * user, and optional exec (the command runs in a real local `sh -c`, so a collector can run through it).
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { execWithSh, hostKeyPair } from '../ssh/stuck-servers.js';

const { Server, utils } = ssh2;

export interface TestSshServer {
  host: '127.0.0.1';
  port: number;
  /** Type and fingerprint of the server's host key (as OpenSSH prints them). */
  keyType: string;
  fingerprint: string;
  /** `keytype base64`, as in a known_hosts line. */
  publicLine: string;
  /** Counters: TCP connections, finished key exchanges. */
  connections: number;
  handshakes: number;
  /** Every authentication request, with the password offered (tests check what reached the server). */
  authAttempts: { method: string; username: string; password?: string }[];
  /** Commands exec'd after authentication. */
  execs: string[];
  stop(): Promise<void>;
}

export interface TestSshServerOptions {
  /** Accept password auth for this user and password (nothing else is ever accepted). */
  password?: { user: string; password: string };
  /** Run exec requests in a local `sh -c`. */
  exec?: boolean;
  hostKeyType?: 'ed25519' | 'ecdsa';
  /** Exec requests wait for this before they run (a host held mid-scan until the test lets it go). */
  gate?: Promise<void>;
}

function fingerprintOf(publicLine: string): { keyType: string; fingerprint: string } {
  const [keyType = '', b64 = ''] = publicLine.trim().split(/\s+/);
  const digest = createHash('sha256').update(Buffer.from(b64, 'base64')).digest('base64').replace(/=+$/, '');
  return { keyType, fingerprint: `SHA256:${digest}` };
}

export async function startTestSshServer(opts: TestSshServerOptions = {}): Promise<TestSshServer> {
  const pair =
    opts.hostKeyType === 'ecdsa'
      ? utils.generateKeyPairSync('ecdsa', { bits: 256 })
      : hostKeyPair(); // ed25519 that ssh2 can read back (its generator fails ~1 in 256)
  const publicLine = pair.public.trim().split(/\s+/).slice(0, 2).join(' ');
  const { keyType, fingerprint } = fingerprintOf(publicLine);
  const state = {
    connections: 0,
    handshakes: 0,
    authAttempts: [] as TestSshServer['authAttempts'],
    execs: [] as string[],
  };
  const clients = new Set<ssh2.Connection>();
  const server = new Server({ hostKeys: [pair.private] }, (client) => {
    state.connections++;
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('handshake', () => state.handshakes++);
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      state.authAttempts.push({
        method: ctx.method,
        username: ctx.username,
        ...(ctx.method === 'password' ? { password: ctx.password } : {}),
      });
      const p = opts.password;
      if (p && ctx.method === 'password' && ctx.username === p.user && ctx.password === p.password)
        return ctx.accept();
      ctx.reject(p ? ['password'] : []);
    });
    client.on('session', (accept) => {
      const session = accept();
      session.on('exec', (acceptExec, reject, info) => {
        state.execs.push(info.command);
        if (!opts.exec) return reject();
        const stream = acceptExec();
        if (opts.gate) void opts.gate.then(() => execWithSh(stream, info.command));
        else execWithSh(stream, info.command);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    keyType,
    fingerprint,
    publicLine,
    get connections() {
      return state.connections;
    },
    get handshakes() {
      return state.handshakes;
    },
    authAttempts: state.authAttempts,
    execs: state.execs,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}
