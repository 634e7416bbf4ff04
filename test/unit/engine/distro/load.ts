/**
 * Builds a whole-host FactSnapshot from a fixture directory, the way a root scan of that host would bring it back:
 *
 *   <dir>/root/...     the host's files at their own paths (root/etc/login.defs is /etc/login.defs)
 *   <dir>/stat.tsv     path, type, octal mode, user, group of files whose stat is not 0644 (0755 for directories)
 *                      root:root, and of files that exist with no content kept here (shadow, host keys)
 *   <dir>/cmd/<fact>   stdout of each command fact (fact id as the name); a command fact without a file is
 *                      reported as the collector reports a command that is not installed (problem `missing`)
 *   <dir>/paths/<fact> one name a line for each paths fact; none: the walk found nothing
 *
 * Every registry fact is in the snapshot, as in a scan that asked for all of them: a file fact whose file is not in
 * the tree does not exist; a fileset lists what its patterns match in the tree (a `*` matches within one name);
 * a fact whose cap is 0 bytes keeps the stat only, as the collector does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FACTS, type FactId } from '../../../../shared/facts/registry.js';
import { SNAPSHOT_FORMAT, type Fact, type FactSnapshot, type FileFact, type FileStat } from '../../../../shared/facts/snapshot.js';

export const DISTRO_DIR = new URL('.', import.meta.url).pathname;

interface StatLine {
  type: FileStat['type'];
  mode: number;
  user: string;
  group: string;
}

const IDS: Record<string, number> = { root: 0, shadow: 42, adm: 4, systemd_journal: 190, ssh_keys: 996 };

function readStats(dir: string): Map<string, StatLine> {
  const out = new Map<string, StatLine>();
  const f = join(dir, 'stat.tsv');
  if (!existsSync(f)) return out;
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [path, type, mode, user, group] = line.split('\t');
    if (!path || !type || !mode || !user || !group) throw new Error(`${f}: bad line '${line}'`);
    out.set(path, { type: type as FileStat['type'], mode: parseInt(mode, 8), user, group });
  }
  return out;
}

/** Whether host path `p` matches glob `pattern` (`*` within one name; names starting with '.' not matched). */
function globMatch(pattern: string, p: string): boolean {
  const a = pattern.split('/');
  const b = p.split('/');
  if (a.length !== b.length) return false;
  return a.every((seg, i) => {
    const name = b[i] as string;
    if (!seg.includes('*')) return seg === name;
    if (name.startsWith('.')) return false;
    const re = new RegExp(`^${seg.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return re.test(name);
  });
}

/** Every host path the fixture knows: files and directories of the tree, and the paths stat.tsv names. */
function hostPaths(root: string, stats: Map<string, StatLine>): string[] {
  const out = new Set<string>(stats.keys());
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      out.add(p);
      if (e.isDirectory()) walk(p);
    }
  };
  if (existsSync(root)) walk('');
  return [...out].sort();
}

function fileFact(root: string, stats: Map<string, StatLine>, path: string, maxBytes: number): FileFact {
  const local = join(root, path);
  const st = stats.get(path);
  const onDisk = existsSync(local);
  if (!onDisk && !st) return { kind: 'file', path, exists: false };
  const dir = onDisk ? statSync(local).isDirectory() : st?.type === 'dir';
  const content = onDisk && !dir ? readFileSync(local, 'utf8') : undefined;
  const type = st?.type ?? (dir ? 'dir' : 'file');
  const user = st?.user ?? 'root';
  const group = st?.group ?? 'root';
  const f: FileFact = {
    kind: 'file',
    path,
    exists: true,
    stat: {
      type,
      mode: st?.mode ?? (dir ? 0o755 : 0o644),
      uid: IDS[user] ?? 1000,
      gid: IDS[group] ?? 1000,
      user,
      group,
      size: content !== undefined ? Buffer.byteLength(content) : dir ? 4096 : 0,
    },
  };
  if (content !== undefined && maxBytes > 0) f.content = content;
  return f;
}

export interface DistroSnapshotOptions {
  collectedAt?: string;
  /**
   * A scan by a login user without root: host.id says uid 1000, and every root-only fact (privileged in the
   * registry) comes back denied, as the collector reports a read the target refused.
   */
  unprivileged?: boolean;
}

function denied(f: Fact): Fact {
  const detail = 'not readable without root';
  if (f.kind === 'file') return { kind: 'file', path: f.path, exists: f.exists, ...(f.stat ? { stat: f.stat } : {}), problem: 'denied', detail };
  if (f.kind === 'fileset') return { kind: 'fileset', patterns: f.patterns, files: [], problem: 'denied', detail };
  if (f.kind === 'command')
    return f.problem === 'missing' ? f : { kind: 'command', exitCode: 1, stdout: '', stderr: 'Permission denied\n', problem: 'denied', detail };
  return { kind: 'paths', paths: [], problem: 'denied', detail };
}

/** The snapshot of fixture `name` (a directory next to this file). */
export function distroSnapshot(name: string, opts: DistroSnapshotOptions = {}): FactSnapshot {
  const dir = join(DISTRO_DIR, name);
  const root = join(dir, 'root');
  const stats = readStats(dir);
  const all = hostPaths(root, stats);
  const facts: Record<string, Fact> = {};
  for (const [id, def] of Object.entries(FACTS) as [FactId, (typeof FACTS)[FactId]][]) {
    if (def.kind === 'file') {
      facts[id] = fileFact(root, stats, def.path, def.maxBytes);
    } else if (def.kind === 'fileset') {
      const seen = new Set<string>();
      const files: FileFact[] = [];
      for (const pat of def.patterns) {
        for (const p of all) {
          if (seen.has(p) || !globMatch(pat, p)) continue;
          seen.add(p);
          files.push(fileFact(root, stats, p, def.maxBytes));
        }
      }
      facts[id] = { kind: 'fileset', patterns: [...def.patterns], files };
    } else if (def.kind === 'command') {
      const f = join(dir, 'cmd', id);
      facts[id] = existsSync(f)
        ? { kind: 'command', exitCode: 0, stdout: readFileSync(f, 'utf8'), stderr: '' }
        : { kind: 'command', exitCode: null, stdout: '', stderr: '', problem: 'missing', detail: `none of ${def.requires.join(', ')} found` };
    } else {
      const f = join(dir, 'paths', id);
      const paths = existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter((l) => l !== '') : [];
      facts[id] = { kind: 'paths', paths: [...new Set(paths)].sort() };
    }
  }
  if (opts.unprivileged) {
    for (const [id, def] of Object.entries(FACTS) as [FactId, (typeof FACTS)[FactId]][])
      if ('privileged' in def && def.privileged) facts[id] = denied(facts[id] as Fact);
    const hid = facts['host.id'];
    if (hid?.kind === 'command') hid.stdout = hid.stdout.replace(/^0\nroot\n/, '1000\nadmin\n');
  }
  return {
    format: SNAPSHOT_FORMAT,
    collectorVersion: 'fixture',
    collectedAt: opts.collectedAt ?? '2025-06-01T12:00:00.000Z',
    source: 'import',
    privileged: !opts.unprivileged,
    complete: true,
    facts,
    issues: [],
  };
}
