/**
 * Scan ownership between processes sharing one workspace file. A process that starts a scan registers itself as
 * the scan's owner (`scan_owner`, schema 0005): a random id of its own, its pid and the pid's start time, and
 * where it runs. While it has scans running it refreshes a heartbeat (one short UPDATE, never inside a long
 * transaction). Another process may end such a scan as `interrupted` only when the owner is provably gone:
 *
 * - same machine, same boot and PID namespace: decided by the pid alone. On Linux the process start time in
 *   `/proc/<pid>/stat` must match (no such pid, or another start time: a reused pid, gone); a live owner is never
 *   interrupted, however old its heartbeat (a stopped or suspended process is still alive). Without /proc (macOS,
 *   Windows) a missing pid is gone, and an existing one is gone only with a heartbeat older than the bound
 *   (the pid may have been reused).
 * - same machine, another boot: gone when its last heartbeat predates this boot (the machine restarted since).
 * - another machine or PID namespace (a workspace on a shared drive, a container): only the heartbeat can tell;
 *   gone when it is older than {@link STALE_AFTER_MS}.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** How often an owner with running scans refreshes its heartbeat. */
export const HEARTBEAT_MS = 15_000;
/**
 * A heartbeat older than this means the owner is gone when its pid cannot be checked (another machine or PID
 * namespace, or no /proc). Generous: 40 missed beats, room for clock skew between machines and a busy disk.
 */
export const STALE_AFTER_MS = 10 * 60_000;

/** Who this process is, as stored in `scan_owner`. */
export interface OwnerIdentity {
  id: string;
  machine: string;
  hostname: string;
  bootId: string | null;
  pidNs: string | null;
  pid: number;
  /** Start time of the pid in clock ticks since boot (`/proc/<pid>/stat` field 22); null without /proc. */
  pidStart: number | null;
}

export interface OwnerRow {
  id: string;
  machine: string;
  hostname: string;
  boot_id: string | null;
  pid_ns: string | null;
  pid: number;
  pid_start: number | null;
  started_at: string;
  heartbeat_at: string;
}

function readTrimmed(path: string): string | null {
  try {
    const s = readFileSync(path, 'utf8').trim();
    return s.length > 0 ? s : null;
  } catch {
    return null;
  }
}

/**
 * Start time of `pid` (or `self`) in clock ticks since boot, or null when there is no such process or no /proc.
 * The command name (field 2) may hold spaces and parentheses: fields are counted after its last `)`.
 */
export function processStart(pid: number | 'self'): number | null {
  const stat = readTrimmed(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); field 22 is rest[19].
  const start = Number(rest[19]);
  return Number.isSafeInteger(start) ? start : null;
}

function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (any user's); no /proc needed. */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When this machine booted (`btime` of /proc/stat), or null without /proc. */
function bootTimeMs(): number | null {
  const m = /^btime (\d+)$/m.exec(readTrimmed('/proc/stat') ?? '');
  return m ? Number(m[1]) * 1000 : null;
}

let self: OwnerIdentity | undefined;

/** This process as an owner, computed once: every connection of one process is the same owner. */
export function processOwner(): OwnerIdentity {
  self ??= {
    id: randomUUID(),
    machine: readTrimmed('/etc/machine-id') ?? readTrimmed('/var/lib/dbus/machine-id') ?? hostname(),
    hostname: hostname(),
    bootId: readTrimmed('/proc/sys/kernel/random/boot_id'),
    pidNs: pidNamespace(),
    pid: process.pid,
    pidStart: processStart('self'),
  };
  return self;
}

export type Liveness = { alive: true } | { alive: false; why: string };

/** Whether the owner `o` is still there, seen from `me` at `nowMs`. */
export function ownerLiveness(o: OwnerRow, me: OwnerIdentity, nowMs: number): Liveness {
  if (o.id === me.id) return { alive: true };
  const beat = Date.parse(o.heartbeat_at);
  const stale = !(nowMs - beat <= STALE_AFTER_MS);
  const staleWhy = `no heartbeat from process ${o.pid} on ${o.hostname} since ${o.heartbeat_at}`;
  if (o.machine === me.machine) {
    // Another boot of this machine: gone if its last heartbeat predates this boot (a clone sharing the machine id
    // on another kernel keeps beating after it, and is judged by its heartbeat below).
    const booted = bootTimeMs();
    if (o.boot_id !== null && me.bootId !== null && o.boot_id !== me.bootId && booted !== null && beat < booted)
      return { alive: false, why: `${o.hostname} has restarted since process ${o.pid} last ran the scan` };
    if (o.boot_id === me.bootId && o.pid_ns === me.pidNs) {
      if (o.pid_start !== null && me.pidStart !== null) {
        const start = processStart(o.pid);
        if (start === null) return { alive: false, why: `process ${o.pid} has ended` };
        if (start !== o.pid_start) return { alive: false, why: `process ${o.pid} has ended (its pid is reused)` };
        return { alive: true };
      }
      if (!pidExists(o.pid)) return { alive: false, why: `process ${o.pid} has ended` };
      return stale ? { alive: false, why: staleWhy } : { alive: true };
    }
  }
  return stale ? { alive: false, why: staleWhy } : { alive: true };
}
