/**
 * A fingerprint of a file tree (a lab host's root seen from the machine), to prove that an assessment wrote
 * nothing: fingerprint before, scan, fingerprint after, and the diff must be empty.
 * Each entry: type, mode, owner, size, mtime and, for files and links, a SHA-256 of the content or target.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export type EntryType = 'file' | 'dir' | 'symlink' | 'fifo' | 'socket' | 'char' | 'block' | 'other';

export interface TreeEntry {
  type: EntryType;
  /** Permission bits and set-id/sticky bits (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Modification time in ms: a `touch` changes nothing else. */
  mtimeMs: number;
  /** SHA-256 (hex) of a file's content or a link's target; '' for other types. */
  sha256: string;
}

/** Path inside the tree (starting with '/') -> entry. */
export type TreeFingerprint = Map<string, TreeEntry>;

/**
 * What a host changes by itself while it runs, or what SSH and sudo change by design on every login; never the
 * assessment's doing: kernel and device file systems, /run, logs (lastlog, wtmp, btmp, auth.log, journald),
 * and sudo's time stamps and lecture marks.
 */
export const DEFAULT_EXCLUDES: readonly string[] = [
  '/proc',
  '/sys',
  '/dev',
  '/run',
  '/var/run',
  '/var/log',
  '/var/lib/sudo',
  '/var/lib/foureyes-lab',
];

function typeOf(st: Awaited<ReturnType<typeof lstat>>): EntryType {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  return 'other';
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

const excluded = (p: string, ex: readonly string[]) => ex.some((e) => p === e || p.startsWith(`${e}/`));

/**
 * Fingerprints every entry under `hostRoot` except the `exclude` paths (tree paths, e.g. '/var/log', and all
 * below them). Stays on the root's file system: other mounts below it are listed as directories, not entered.
 */
export async function treeFingerprint(
  hostRoot: string,
  exclude: readonly string[] = DEFAULT_EXCLUDES,
): Promise<TreeFingerprint> {
  const out: TreeFingerprint = new Map();
  const rootDev = (await lstat(hostRoot)).dev;
  const ex = exclude.map((e) => (e.length > 1 ? e.replace(/\/+$/, '') : e));
  const pending: string[] = ['/'];
  while (pending.length > 0) {
    const batch = pending.splice(0, 64);
    await Promise.all(
      batch.map(async (rel) => {
        const abs = rel === '/' ? hostRoot : join(hostRoot, rel);
        let st;
        try {
          st = await lstat(abs);
        } catch (e) {
          // Gone between readdir and lstat: it is simply absent from this fingerprint.
          if ((e as NodeJS.ErrnoException).code === 'ENOENT' && rel !== '/') return;
          throw e;
        }
        const type = typeOf(st);
        let sha256 = '';
        if (type === 'file') sha256 = await hashFile(abs);
        else if (type === 'symlink')
          sha256 = createHash('sha256')
            .update(await readlink(abs))
            .digest('hex');
        out.set(rel, {
          type,
          mode: st.mode & 0o7777,
          uid: st.uid,
          gid: st.gid,
          size: type === 'dir' ? 0 : st.size,
          mtimeMs: Math.trunc(st.mtimeMs),
          sha256,
        });
        if (type === 'dir' && st.dev === rootDev) {
          for (const name of await readdir(abs)) {
            const child = rel === '/' ? `/${name}` : `${rel}/${name}`;
            if (!excluded(child, ex)) pending.push(child);
          }
        }
      }),
    );
  }
  return out;
}

export interface TreeDiff {
  /** Present in both with a different type, mode, owner, size, mtime or content. */
  changed: string[];
  added: string[];
  removed: string[];
}

const FIELDS = ['type', 'mode', 'uid', 'gid', 'size', 'mtimeMs', 'sha256'] as const;

/** What differs between two fingerprints (each list sorted). */
export function diffTrees(a: TreeFingerprint, b: TreeFingerprint): TreeDiff {
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [p, ea] of a) {
    const eb = b.get(p);
    if (!eb) removed.push(p);
    else if (FIELDS.some((f) => ea[f] !== eb[f])) changed.push(p);
  }
  const added = [...b.keys()].filter((p) => !a.has(p));
  return { changed: changed.sort(), added: added.sort(), removed: removed.sort() };
}

/** One line per difference, for assertion messages: `changed /etc/x (mode 644 -> 666)`. */
export function describeDiff(
  a: TreeFingerprint,
  b: TreeFingerprint,
  d: TreeDiff = diffTrees(a, b),
): string[] {
  const lines = d.changed.map((p) => {
    const ea = a.get(p) as TreeEntry;
    const eb = b.get(p) as TreeEntry;
    const what = FIELDS.filter((f) => ea[f] !== eb[f]).map((f) =>
      f === 'mode' ? `mode ${ea.mode.toString(8)} -> ${eb.mode.toString(8)}` : f,
    );
    return `changed ${p} (${what.join(', ')})`;
  });
  return [...lines, ...d.added.map((p) => `added ${p}`), ...d.removed.map((p) => `removed ${p}`)];
}
