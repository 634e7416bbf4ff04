/**
 * Hostile SSH servers on 127.0.0.1 (ssh2's Server, in this process) for the fault matrix. Every server accepts any
 * password and runs exec requests in a real local `sh -c`, so the collector really runs; what it does to the
 * connection or to the output is the fault:
 *
 * - `good`: nothing (a healthy host).
 * - `banner-flood`: authentication banners (SSH_MSG_USERAUTH_BANNER), each as large as a packet may be, sent
 *   without end; authentication is never answered.
 * - `silent`: the exec channel opens, then nothing ever comes.
 * - `drip`: the collector's first `burst` bytes at once, then one byte every `everyMs`.
 * - `flood-stdout` / `flood-stderr`: the collector's output, then `bytes` of junk on that stream.
 * - `split`: the collector's stdout cut into pieces of 1 to 7 bytes, each its own packet; stderr carries UTF-8
 *   characters cut between their bytes.
 * - `controls`: NUL, ESC, C1, DEL and bidi controls in the identification line, the banner, stderr and the exit
 *   signal's error text (the command is "killed" after the collector's output).
 * - `cut`: the TCP connection is closed after `after` bytes of the collector's stdout, inside a frame, with no
 *   channel close and no SSH disconnect. A FIN rather than a reset, so the bytes before the cut always arrive (a reset
 *   lets the client's kernel drop what it had not yet read, which made the test depend on scheduling).
 * - `max-sessions-1`: the first session channel of a connection is the only one; every later one is refused.
 *   `fakeBin` (a directory put first on the command's PATH) lets a test plant `id` and `sudo` stand-ins.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { createRequire } from 'node:module';
import ssh2 from 'ssh2';
import { hostKeyPair } from '../ssh/stuck-servers.js';

const { Server } = ssh2;
const require = createRequire(import.meta.url);
// ssh2 has no public call for a second banner: its own packet writer sends one.
const { sendPacket } = require('ssh2/lib/protocol/utils.js') as { sendPacket(proto: unknown, packet: Buffer): void };

export type Hostile =
  | { kind: 'good' }
  | { kind: 'banner-flood' }
  | { kind: 'silent' }
  | { kind: 'drip'; burst: number; everyMs: number }
  | { kind: 'flood-stdout' | 'flood-stderr'; bytes: number }
  | { kind: 'split' }
  | { kind: 'controls' }
  | { kind: 'cut'; after: number }
  | { kind: 'max-sessions-1'; fakeBin?: string };

/** Target text with every kind of control a terminal or a parser could trip on. */
export const CONTROL_TEXT = 'evil\x00\x1b[2J\x1b]0;owned\x07\x9b31m\x7f\u202e';
/** The identification line is read as latin1 but hashed as UTF-8 by ssh2's client (a handshake then fails):
 * only ASCII controls there. */
export const IDENT_CONTROLS = 'evil\x00\x1b[2J\x07\x7f';
export const SPLIT_UTF8 = 'naïve – 日本 😀';

export interface HostileSsh {
  host: '127.0.0.1';
  port: number;
  fingerprint: string;
  /** Junk bytes the server managed to send (floods, banners). */
  sent: { junk: number; banners: number };
  /** Session channels refused (max-sessions-1). */
  refused: number;
  execs: string[];
  stop(): Promise<void>;
}

interface ProtoInternals {
  _protocol: { _packetRW: { write: { allocStart: number; alloc(n: number): Buffer; finalize(p: Buffer): Buffer } } };
  _sock: Socket;
}

const BANNER_CHUNK = 'A'.repeat(30_000);

/** One USERAUTH_BANNER packet through ssh2's own writer (encrypted like every packet after the key exchange). */
function sendBanner(conn: ssh2.Connection, text: string): void {
  const proto = (conn as unknown as ProtoInternals)._protocol;
  const len = Buffer.byteLength(text);
  const p = proto._packetRW.write.allocStart;
  const packet = proto._packetRW.write.alloc(1 + 4 + len + 4);
  packet[p] = 53; // SSH_MSG_USERAUTH_BANNER
  packet.writeUInt32BE(len, p + 1);
  packet.write(text, p + 5, 'utf8');
  packet.writeUInt32BE(0, p + 5 + len);
  sendPacket(proto, proto._packetRW.write.finalize(packet));
}

/** Writes `data` in `pieces`, waiting for the channel's window (write() returning false) between writes. */
async function writeAll(stream: NodeJS.WritableStream, pieces: Iterable<Buffer>, alive: () => boolean): Promise<void> {
  for (const b of pieces) {
    if (!alive()) return;
    if (!stream.write(b)) await new Promise<void>((r) => stream.once('drain', r));
  }
}

function* junk(total: number): Generator<Buffer> {
  const chunk = Buffer.alloc(64 * 1024, 'Z');
  for (let left = total; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}

function* pieces(b: Buffer, sizes: readonly number[]): Generator<Buffer> {
  let i = 0;
  for (let at = 0; at < b.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield b.subarray(at, at + n);
    at += n;
  }
}

/** Starts the server on `port` (default: any free one; a given port lets a test restart a host with a new key). */
export async function startHostileSsh(h: Hostile, port = 0): Promise<HostileSsh> {
  const pair = hostKeyPair();
  const b64 = pair.public.trim().split(/\s+/)[1] ?? '';
  const fingerprint = `SHA256:${createHash('sha256').update(Buffer.from(b64, 'base64')).digest('base64').replace(/=+$/, '')}`;
  const sent = { junk: 0, banners: 0 };
  const execs: string[] = [];
  let refused = 0;
  const conns = new Set<ssh2.Connection>();
  const timers = new Set<NodeJS.Timeout>();
  const config: ssh2.ServerConfig = {
    hostKeys: [pair.private],
    ...(h.kind === 'controls' ? { ident: `Hostile_${IDENT_CONTROLS}`, banner: `Welcome ${CONTROL_TEXT}\n` } : {}),
  };
  const server = new Server(config, (client) => {
    conns.add(client);
    let alive = true;
    client.on('error', () => undefined);
    client.once('close', () => {
      alive = false;
      conns.delete(client);
    });
    client.on('authentication', (ctx) => {
      if (h.kind !== 'banner-flood') return ctx.method === 'password' ? ctx.accept() : ctx.reject(['password']);
      const sock = (client as unknown as ProtoInternals)._sock;
      const t = setInterval(() => {
        if (!alive) return clearInterval(t);
        // As fast as the client reads them, without end.
        while (alive && sock.writableLength < 256 * 1024) {
          sendBanner(client, BANNER_CHUNK);
          sent.banners++;
        }
      }, 1);
      timers.add(t);
    });
    let sessions = 0;
    client.on('session', (accept, reject) => {
      if (h.kind === 'max-sessions-1' && ++sessions > 1) {
        refused++;
        return reject();
      }
      const session = accept();
      session.on('exec', (acceptExec, _reject, info) => {
        execs.push(info.command);
        const stream = acceptExec();
        stream.on('error', () => undefined);
        if (h.kind === 'silent') return void stream.resume();
        run(stream, info.command, h, client, sent, timers, () => alive);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    fingerprint,
    sent,
    get refused() {
      return refused;
    },
    execs,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const c of conns) (c as unknown as ProtoInternals)._sock.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Runs `command` in a local sh and relays its output to the channel, as the fault wants it. */
function run(
  stream: ssh2.ServerChannel,
  command: string,
  h: Hostile,
  client: ssh2.Connection,
  sent: HostileSsh['sent'],
  timers: Set<NodeJS.Timeout>,
  alive: () => boolean,
): void {
  const env = h.kind === 'max-sessions-1' && h.fakeBin ? { ...process.env, PATH: `${h.fakeBin}:${process.env.PATH ?? ''}` } : process.env;
  const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], env });
  stream.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  stream.once('close', () => child.kill('SIGKILL'));
  const out: Buffer[] = [];
  let relayed = 0;
  child.stdout.on('data', (c: Buffer) => {
    if (h.kind === 'drip' || h.kind === 'split') return void out.push(c);
    if (h.kind === 'cut') {
      const room = h.after - relayed;
      if (room <= 0) return;
      stream.write(c.subarray(0, room));
      relayed += Math.min(room, c.length);
      // Dropped mid-frame: the TCP connection is closed once what was written has gone out.
      if (relayed >= h.after) setImmediate(() => (client as unknown as ProtoInternals)._sock.end());
      return;
    }
    stream.write(c);
  });
  child.stderr.on('data', (c: Buffer) => void stream.stderr.write(c));
  child.on('close', (code) => {
    void (async () => {
      const all = Buffer.concat(out);
      if (h.kind === 'drip') {
        await writeAll(stream, [all.subarray(0, h.burst)], alive);
        let at = h.burst;
        const t = setInterval(() => {
          if (!alive() || at >= all.length) return clearInterval(t);
          stream.write(all.subarray(at, ++at));
        }, h.everyMs);
        timers.add(t);
        return;
      }
      if (h.kind === 'split') {
        await writeAll(stream, pieces(all, [1, 2, 3, 5, 7, 4, 6]), alive);
        await writeAll(stream.stderr, pieces(Buffer.from(SPLIT_UTF8), [1]), alive);
      }
      if (h.kind === 'flood-stdout' || h.kind === 'flood-stderr') {
        const to = h.kind === 'flood-stdout' ? stream : stream.stderr;
        const counted = (function* () {
          for (const b of junk(h.bytes)) {
            sent.junk += b.length;
            yield b;
          }
        })();
        await writeAll(to, counted, alive);
      }
      if (h.kind === 'cut' || !alive()) return;
      if (h.kind === 'controls') {
        stream.stderr.write(`stderr ${CONTROL_TEXT}\n`);
        stream.exit('KILL', false, `exit text ${CONTROL_TEXT}`);
      } else stream.exit(code ?? 1);
      stream.end();
    })();
  });
}
