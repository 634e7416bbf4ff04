/**
 * What an SSH server says before authentication: its identification line (`SSH-2.0-OpenSSH_9.2p1 Debian-2`,
 * RFC 4253 4.2) and the banner message it may send during authentication (SSH_MSG_USERAUTH_BANNER, sshd's
 * `Banner`). Both are hostile target text: kept bounded and shown only through an escaping function. A banner is
 * seen even when the login is refused, so a failed host still tells which machine answered.
 */
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { TARGET_IDENTITY_LIMITS } from '../../shared/model/identity.js';

export interface ServerGreeting {
  ident?: string;
  banner?: string;
  bannerTruncated?: boolean;
}

/** Bytes read while looking for the identification line (servers may send other lines first). */
const IDENT_SCAN_MAX = 8192;

/** The first line starting `SSH-` in `head` (latin1, as ssh2 reads it), without its line end; null if none yet. */
export function identLine(head: Buffer): string | null {
  const text = head.toString('latin1');
  let at = 0;
  for (;;) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return null;
    const line = text.slice(at, nl).replace(/\r$/, '');
    if (line.startsWith('SSH-')) return line.slice(0, TARGET_IDENTITY_LIMITS.sshServer);
    at = nl + 1;
  }
}

/** Appends a banner message, keeping at most the limit; what does not fit is flagged, not kept. */
export function addBanner(g: ServerGreeting, message: string): void {
  const max = TARGET_IDENTITY_LIMITS.sshBanner;
  const all = (g.banner ?? '') + message;
  if (all.length > max) g.bannerTruncated = true;
  g.banner = all.slice(0, max);
}

/**
 * Records `client`'s greeting into `into` as it arrives. Call it after `client.connect()`: ssh2 has paused the
 * socket then, and a listener added to a paused stream leaves its flow to ssh2. Returns a function that stops
 * watching the socket (the banner listener goes with the client).
 */
export function watchGreeting(client: Client, sock: Duplex, into: ServerGreeting): () => void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk.subarray(0, Math.max(0, IDENT_SCAN_MAX - head.length))]);
    const line = identLine(head);
    if (line !== null) into.ident = line;
    if (line !== null || head.length >= IDENT_SCAN_MAX) stop();
  };
  const stop = (): void => void sock.off('data', onData);
  sock.on('data', onData);
  client.on('banner', (message: string) => addBanner(into, message));
  return stop;
}
