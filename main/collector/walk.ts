/**
 * The scan's one file-system walk (see the walk in protocol.ts): the `find` words that serve every requested
 * paths fact at once, and the records its output is split back into.
 *
 * One `find` walks the root (the common `under` of the facts, else `/`), pruning WALK_PRUNE and the mounts that
 * are not local (found on the target). Every entry that matches any fact's selection goes, in batches, to one
 * sh that sorts the batch per fact with one `find <batch> -prune <selection>` each, whose `printf` writes a record
 * `<id><path>NUL` per name. The two levels keep every `-exec {} +` at the top of its expression: busybox find
 * never runs a `{} +` batch nested in parentheses. The names only ever travel as arguments, never as text.
 */
import type { PathsFactDef } from '../../shared/facts/registry.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { pathsFacts, WALK_ID, WALK_PRUNE, walkDef, type FactRegistry } from './protocol.js';
import { shQuote } from './sh-quote.js';

const UNDER_RE = /^\/[A-Za-z0-9_./-]*$/;

function norm(dir: string): string {
  return dir.length > 1 ? dir.replace(/\/+$/, '') : dir;
}

/** Where the walk starts: the deepest directory that holds every fact's `under` (`/` for a fact without one). */
export function walkRoot(defs: readonly PathsFactDef[]): string {
  let common: string[] | undefined;
  for (const d of defs) {
    const parts = d.under === undefined ? [] : norm(d.under).split('/').filter((p) => p !== '');
    if (!common) common = parts;
    else {
      let i = 0;
      while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
      common = common.slice(0, i);
    }
  }
  return `/${(common ?? []).join('/')}`;
}

/** The find words that select a fact's names when walking from `root`. */
function selection(def: PathsFactDef, root: string): string {
  if (def.under === undefined || norm(def.under) === root) return def.test;
  const u = norm(def.under);
  return `\\( -path ${u} -o -path ${shQuote(`${u}/*`)} \\) ${def.test}`;
}

/** The `_fact walk ...` line for the paths facts among `ids` (none when there are none). */
export function walkCall(ids: readonly string[], registry: FactRegistry): string[] {
  const facts = pathsFacts(ids, registry);
  const walk = walkDef(ids, registry);
  if (!walk) return [];
  for (const [id, d] of facts) {
    if (d.under !== undefined && !UNDER_RE.test(d.under)) {
      throw new FoureyesError('internal', `paths fact ${id}: "under" must be an absolute plain path`);
    }
  }
  const root = walkRoot(facts.map(([, d]) => d));
  const inside = root === '/' ? '/' : `${root}/`;
  const prunes = WALK_PRUNE.filter((p) => p.startsWith(inside))
    .map((p) => ` -o -path ${p}`)
    .join('');
  const union = facts.map(([, d]) => `\\( ${selection(d, root)} \\)`).join(' -o ');
  // `{\}`: the outer find must not see a `{}` inside the sh script it passes on.
  const split = facts
    .map(([id, d]) => `find "$@" -prune ${selection(d, root)} -exec sh -c ${shQuote(`printf '${id}%s\\0' "$@"`)} sh {\\} +`)
    .join('; ');
  const tail = `\\( ${union} \\) -exec sh -c ${shQuote(split)} sh {} +`;
  return [`_fact walk ${WALK_ID} ${walk.maxBytes} ${shQuote(root)} ${shQuote(prunes)} ${shQuote(tail)}`];
}

/**
 * Longest name kept: Linux PATH_MAX. find prints deeper paths whole, but no system call takes them; such a name is
 * dropped and its fact marked truncated.
 */
export const MAX_NAME_BYTES = 4096;

/** The walk's stdout split per fact: each name once (bytes), and what went wrong on the way. */
export interface WalkRecords {
  names: Map<string, Buffer[]>;
  /** Names dropped for a fact (item cap, byte cap, over-long name). */
  dropped: Set<string>;
  /** A record that is not `<walked id>/...NUL`: the output is not what our printf writes. */
  malformed: boolean;
  /** The last record has no NUL (the output was cut). */
  cut: boolean;
}

/** Splits the walk's stdout into names per fact, deduplicated, bounded by each fact's caps. Total: any bytes. */
export function splitRecords(out: Buffer, facts: readonly [string, PathsFactDef][]): WalkRecords {
  const defs = new Map(facts);
  const r: WalkRecords = { names: new Map(facts.map(([id]) => [id, []])), dropped: new Set(), malformed: false, cut: false };
  const seen = new Map<string, Set<string>>(facts.map(([id]) => [id, new Set()]));
  const bytes = new Map<string, number>(facts.map(([id]) => [id, 0]));
  let pos = 0;
  while (pos < out.length) {
    const nul = out.indexOf(0, pos);
    if (nul < 0) {
      r.cut = true;
      break;
    }
    const at = out.subarray(pos, Math.min(nul, pos + 65)).indexOf(0x2f);
    const slash = pos + at;
    const id = at > 0 ? out.toString('latin1', pos, slash) : '';
    const def = defs.get(id);
    if (!def) {
      r.malformed = true;
      pos = nul + 1;
      continue;
    }
    const name = out.subarray(slash, nul);
    const key = name.toString('latin1');
    const ids = seen.get(id) as Set<string>;
    const used = (bytes.get(id) as number) + (nul + 1 - pos);
    pos = nul + 1;
    if (ids.has(key)) continue;
    if (name.length > MAX_NAME_BYTES || ids.size >= def.maxItems || used > def.maxBytes) {
      r.dropped.add(id);
      continue;
    }
    ids.add(key);
    bytes.set(id, used);
    (r.names.get(id) as Buffer[]).push(Buffer.from(name));
  }
  for (const list of r.names.values()) list.sort(Buffer.compare);
  return r;
}
