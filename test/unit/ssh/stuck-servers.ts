/**
 * Servers on 127.0.0.1 that get stuck at a chosen stage, for cancellation tests: a TCP server that accepts and
 * never speaks (like a host whose SSH handshake hangs), an in-process ssh2 Server that can hang in authentication,
 * on a forwarding request or on an exec request (or forward and exec for real), and an ssh-agent socket that
 * accepts and never answers. Each counts what it opened and what closed, so a test can prove that nothing was
 * left open.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';

const { Server, utils } = ssh2;

/** Counts of connections (TCP, agent requests) a stuck server saw open and close. */
export interface Counted {
  opened: number;
  closed: number;
  /** Resolves once at least `n` connections were opened. */
  opening(n?: number): Promise<void>;
  /** Resolves once every connection opened so far has closed. */
  allClosed(): Promise<void>;
}

function counter(): Counted & { open(): void; close(): void } {
  const waiters: (() => void)[] = [];
  const c = {
    opened: 0,
    closed: 0,
    open(): void {
      c.opened++;
      for (const w of waiters.splice(0)) w();
    },
    close(): void {
      c.closed++;
      for (const w of waiters.splice(0)) w();
    },
    async opening(n = 1): Promise<void> {
      while (c.opened < n) await new Promise<void>((r) => waiters.push(r));
    },
    async allClosed(): Promise<void> {
      while (c.closed < c.opened) await new Promise<void>((r) => waiters.push(r));
    },
  };
  return c;
}

async function listen(server: NetServer, where: number | string): Promise<void> {
  await new Promise<void>((resolve) => (typeof where === 'string' ? server.listen(where, resolve) : server.listen(where, '127.0.0.1', resolve)));
}

export interface SilentTcp extends Counted {
  port: number;
  /**
   * Proves no earlier connection is still on its way: opens one of our own, waits until the server has taken it
   * (connections are taken in arrival order), closes it again and returns how many connections came before it.
   */
  connectionsBefore(): Promise<number>;
  stop(): Promise<void>;
}

/** Accepts TCP connections and never sends a byte (an SSH client waits for the server's banner forever). */
export async function startSilentTcp(): Promise<SilentTcp> {
  const count = counter();
  const socks = new Set<Socket>();
  // Remote ports in the order the server took the connections.
  const accepted: number[] = [];
  const server = createServer((s) => {
    accepted.push(s.remotePort ?? 0);
    count.open();
    socks.add(s);
    s.on('error', () => undefined);
    // Reads and drops what the client sends (its banner): unread data would hold back the end of the stream.
    s.resume();
    s.once('close', () => {
      socks.delete(s);
      count.close();
    });
  });
  await listen(server, 0);
  const port = (server.address() as AddressInfo).port;
  const connectionsBefore = async (): Promise<number> => {
    const own = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => own.once('connect', resolve).once('error', reject));
    const lp = own.localPort ?? -1;
    while (!accepted.includes(lp)) await count.opening(count.opened + 1);
    own.destroy();
    return accepted.indexOf(lp);
  };
  return Object.assign(count, {
    port,
    connectionsBefore,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of socks) s.destroy();
        server.close(() => resolve());
      }),
  });
}

export interface StuckSshOptions {
  /** `hang`: authentication requests are never answered; `accept`: every request is accepted. */
  auth: 'hang' | 'accept';
  /** Forwarding (direct-tcpip): never answered, or connected for real to the requested address. */
  forward?: 'hang' | 'connect';
  /** Exec on a session: never answered, accepted and left silent, or run in a local `sh -c`. */
  exec?: 'hang' | 'silent' | 'sh';
}

export interface StuckSsh extends Counted {
  port: number;
  fingerprint: string;
  /** Authentication requests seen (method names), forwarding requests (host:port), exec commands. */
  authMethods: string[];
  forwards: string[];
  execs: string[];
  /** Channels (forwarded or session) the server accepted, and how many of them closed. */
  channels: Counted;
  /** Resolves when the server has seen an authentication request, a forwarding request or an exec request. */
  seen(what: 'auth' | 'forward' | 'exec'): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An Ed25519 host key pair that ssh2 can read back: its generator drops leading zero bytes of the public key, so
 * about one pair in 256 does not parse (ssh2 issues 1390, 1513).
 */
export function hostKeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) return pair;
  }
}

export async function startStuckSsh(opts: StuckSshOptions): Promise<StuckSsh> {
  const pair = hostKeyPair();
  const b64 = pair.public.trim().split(/\s+/)[1] ?? '';
  const fingerprint = `SHA256:${createHash('sha256').update(Buffer.from(b64, 'base64')).digest('base64').replace(/=+$/, '')}`;
  const count = counter();
  const channels = counter();
  const authMethods: string[] = [];
  const forwards: string[] = [];
  const execs: string[] = [];
  const seenWaiters: (() => void)[] = [];
  const note = (): void => {
    for (const w of seenWaiters.splice(0)) w();
  };
  const conns = new Set<ssh2.Connection>();
  const outbound = new Set<Socket>();
  const track = (ch: { once(e: 'close', f: () => void): unknown }): void => {
    channels.open();
    ch.once('close', () => channels.close());
  };
  const server = new Server({ hostKeys: [pair.private] }, (client) => {
    count.open();
    conns.add(client);
    client.on('error', () => undefined);
    client.once('close', () => {
      conns.delete(client);
      count.close();
    });
    client.on('authentication', (ctx) => {
      authMethods.push(ctx.method);
      note();
      if (opts.auth === 'accept') ctx.accept();
    });
    client.on('tcpip', (accept, _reject, info) => {
      forwards.push(`${info.destIP}:${info.destPort}`);
      note();
      if (opts.forward !== 'connect') return;
      const out = connect({ host: info.destIP, port: info.destPort });
      outbound.add(out);
      out.on('error', () => undefined);
      out.once('connect', () => {
        const ch = accept();
        track(ch);
        ch.on('error', () => undefined);
        out.pipe(ch).pipe(out);
        ch.once('close', () => out.destroy());
      });
      out.once('close', () => outbound.delete(out));
    });
    client.on('session', (accept) => {
      const session = accept();
      session.on('exec', (acceptExec, _reject, info) => {
        execs.push(info.command);
        note();
        if (opts.exec === 'hang' || opts.exec === undefined) return;
        const stream = acceptExec();
        track(stream);
        stream.on('error', () => undefined);
        // Silent: reads what it is sent (else the channel's end, and so its close, waits behind unread data).
        if (opts.exec === 'silent') return void stream.resume();
        execWithSh(stream, info.command);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const lists = { auth: authMethods, forward: forwards, exec: execs };
  return Object.assign(count, {
    port,
    fingerprint,
    authMethods,
    forwards,
    execs,
    channels,
    seen: async (what: 'auth' | 'forward' | 'exec') => {
      while (lists[what].length === 0) await new Promise<void>((r) => seenWaiters.push(r));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const c of conns) c.end();
        for (const s of outbound) s.destroy();
        server.close(() => resolve());
      }),
  });
}

export interface StuckAgent extends Counted {
  socket: string;
  stop(): Promise<void>;
}

/** A unix socket where an ssh-agent would be: accepts requests and never answers them. */
export async function startStuckAgent(): Promise<StuckAgent> {
  const dir = mkdtempSync(join(tmpdir(), 'fe-stuck-agent-'));
  const socket = join(dir, 'agent.sock');
  const count = counter();
  const socks = new Set<Socket>();
  const server = createServer((s) => {
    count.open();
    socks.add(s);
    s.on('error', () => undefined);
    s.resume();
    s.once('close', () => {
      socks.delete(s);
      count.close();
    });
  });
  await listen(server, socket);
  return Object.assign(count, {
    socket,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of socks) s.destroy();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  });
}

/** `closed` counts clients that ended or closed their side. */
export interface FreezingProxy extends Counted {
  port: number;
  /** From now on nothing passes either way, and the client side is never closed by us (a peer that went dead). */
  freeze(): void;
  stop(): Promise<void>;
}

/** A TCP proxy to `upstreamPort` on 127.0.0.1 that can freeze: the client's goodbye then never gets an answer. */
export async function startFreezingProxy(upstreamPort: number): Promise<FreezingProxy> {
  const count = counter();
  const pairs = new Set<[Socket, Socket]>();
  let frozen = false;
  const server = createServer({ allowHalfOpen: true }, (down) => {
    count.open();
    const up = connect({ host: '127.0.0.1', port: upstreamPort, allowHalfOpen: true });
    const pair: [Socket, Socket] = [down, up];
    pairs.add(pair);
    for (const s of pair) s.on('error', () => undefined);
    down.on('data', (d: Buffer) => void (frozen || up.write(d)));
    up.on('data', (d: Buffer) => void (frozen || down.write(d)));
    down.on('end', () => void (frozen || up.end()));
    up.on('end', () => void (frozen || down.end()));
    up.on('close', () => void (frozen || down.destroy()));
    // The client is gone once its side ended (FIN) or the socket closed: a frozen peer never closes its own side.
    let gone = false;
    const onGone = (): void => {
      if (gone) return;
      gone = true;
      count.close();
    };
    down.once('end', onGone).once('close', onGone);
    down.once('close', () => {
      up.destroy();
      pairs.delete(pair);
    });
  });
  await listen(server, 0);
  return Object.assign(count, {
    port: (server.address() as AddressInfo).port,
    freeze: () => {
      frozen = true;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const p of pairs) for (const s of p) s.destroy();
        server.close(() => resolve());
      }),
  });
}

/**
 * Runs `command` with the local sh as the process of an exec channel: the channel's data is its stdin, its stdout
 * and stderr go to the channel, its exit status ends it (the channel then closes whether or not the client ended its
 * stdin); the process is killed when the channel closes first.
 */
export function execWithSh(stream: ssh2.ServerChannel, command: string): void {
  const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
  stream.pipe(child.stdin);
  child.stdout.pipe(stream, { end: false });
  child.stderr.pipe(stream.stderr, { end: false });
  child.stdin.on('error', () => undefined);
  child.on('close', (code) => {
    // As sshd does, what the client sends after the process is gone is read and dropped: ssh2 emits a server
    // channel's 'close' only once its readable side has ended, which a paused, unpiped stream never does.
    stream.unpipe(child.stdin);
    stream.resume();
    stream.exit(code ?? 1);
    stream.end();
  });
  stream.once('close', () => child.kill('SIGKILL'));
}
