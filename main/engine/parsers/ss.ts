/** `ss -H -tulpn` output (header line tolerated): listening sockets with their processes. */
import { splitLines } from './text.js';

export interface SocketProcess {
  name: string;
  pid: number | null;
}

export interface ListeningSocket {
  /** `tcp` or `udp` (other netids kept as given). */
  proto: string;
  state: string;
  /** Local address without brackets or interface suffix (`0.0.0.0`, `::`, `127.0.0.1`, `*`). */
  address: string;
  /** Interface from `addr%iface`, if any. */
  iface?: string;
  port: number | null;
  processes: SocketProcess[];
  line: number;
  text: string;
}

export function parseSs(stdout: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const { n, text } of splitLines(stdout)) {
    const f = text.trim().split(/\s+/);
    if (f.length < 5 || f[0] === 'Netid' || f[0] === 'State') continue;
    const proto = (f[0] as string).toLowerCase();
    const local = f[4] as string;
    const colon = local.lastIndexOf(':');
    if (colon <= 0) continue;
    let addr = local.slice(0, colon);
    const portText = local.slice(colon + 1);
    let iface: string | undefined;
    const pct = addr.indexOf('%');
    if (pct !== -1) {
      iface = addr.slice(pct + 1).replace(/\]$/, '');
      addr = addr.slice(0, pct);
    }
    addr = addr.replace(/^\[/, '').replace(/\]$/, '');
    const rest = f.slice(6).join(' ');
    const processes: SocketProcess[] = [];
    for (const m of rest.matchAll(/\("([^"]{0,64})",pid=(\d{1,9})/g)) {
      if (processes.length >= 32) break;
      processes.push({ name: m[1] as string, pid: Number(m[2]) });
    }
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : null;
    const sock: ListeningSocket = {
      proto,
      state: f[1] as string,
      address: addr,
      port,
      processes,
      line: n,
      text,
    };
    if (iface !== undefined) sock.iface = iface;
    out.push(sock);
  }
  return out;
}

/** Loopback-only: 127.0.0.0/8, ::1, an IPv4-mapped loopback, or bound to the `lo` interface. */
export function isLoopback(sock: Pick<ListeningSocket, 'address' | 'iface'>): boolean {
  if (sock.iface === 'lo') return true;
  const a = sock.address.toLowerCase();
  return a.startsWith('127.') || a === '::1' || a.startsWith('::ffff:127.') || a === 'localhost';
}
