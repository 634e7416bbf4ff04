/**
 * Evaluation context: the only way templates and evaluators read facts. Accessors enforce the availability
 * rules in one place:
 * - a fact marked privileged in the registry, in a snapshot collected without root -> FactUnavailable('privilege');
 * - a fact absent from the snapshot, of the wrong kind, or with problem `error` / `timeout` -> FactUnavailable('error');
 * - problem `denied` -> FactUnavailable('privilege') (or 'denied' when the scan had root);
 * - problem `missing` (tool not installed) is data: the fact is returned and the caller decides.
 */
import { FACTS, isFactId, type FactId } from '../../shared/facts/registry.js';
import type { CommandFact, Fact, FactSnapshot, FileFact, FileSetFact, PathsFact } from '../../shared/facts/snapshot.js';
import { detectPlatform, platformFromPackageManager, type PlatformInfo } from './parsers/os-release.js';
import { FactUnavailable } from './outcome.js';
import { targetText } from './parsers/text.js';

export interface EvalContext {
  readonly snapshot: FactSnapshot;
  /** Detected platform, or null when os-release is missing or unknown. */
  readonly platform: PlatformInfo | null;
  /** Why the platform is unknown, when it is. */
  readonly platformProblem?: string;
  file(id: FactId): FileFact;
  fileset(id: FactId): FileSetFact;
  command(id: FactId): CommandFact;
  paths(id: FactId): PathsFact;
  /** The fact's unavailability, or null when usable (no throw). */
  unavailable(id: FactId): FactUnavailable | null;
  /** Per-evaluation memo for parsed facts (parse once per check). */
  memo<T>(key: string, make: () => T): T;
}

function kindOk(f: unknown, kind: Fact['kind']): boolean {
  if (typeof f !== 'object' || f === null || (f as { kind?: unknown }).kind !== kind) return false;
  if (kind === 'command') return typeof (f as CommandFact).stdout === 'string';
  if (kind === 'fileset') return Array.isArray((f as FileSetFact).files);
  if (kind === 'paths') {
    const p = (f as PathsFact).paths;
    return Array.isArray(p) && p.every((x) => typeof x === 'string');
  }
  const ff = f as FileFact;
  return ff.content === undefined || typeof ff.content === 'string';
}

/**
 * What every check evaluated against one snapshot shares: the host's platform and the parsed facts (`memo`), so
 * that evaluating the whole catalogue parses each fact once. Parsed values are never changed by their readers.
 */
/** A consultant's answer to an attestation check (who answered, when, and what they saw). */
export interface AttestationAnswer {
  answer: 'yes' | 'no' | 'not_applicable';
  note: string;
  by: string;
  at: string;
}

export interface SnapshotScope {
  readonly snapshot: FactSnapshot;
  /** The engagement's answers to attestation checks, by check id. */
  readonly answers?: ReadonlyMap<string, AttestationAnswer>;
  readonly platform: PlatformInfo | null;
  readonly platformProblem?: string;
  readonly memo: Map<string, unknown>;
}

export function snapshotScope(snapshot: FactSnapshot): SnapshotScope {
  const facts: Record<string, unknown> =
    typeof snapshot?.facts === 'object' && snapshot.facts !== null ? snapshot.facts : {};
  let platform: PlatformInfo | null = null;
  let platformProblem: string | undefined;
  const os = facts['host.os_release'];
  if (kindOk(os, 'file') && (os as FileFact).exists && typeof (os as FileFact).content === 'string') {
    platform = detectPlatform((os as FileFact).content as string);
    if (platform.platform === null) platformProblem = `unrecognised distribution (ID=${platform.id ? targetText(platform.id) : '?'})`;
  } else if (kindOk(os, 'file') && (os as FileFact).exists)
    platformProblem = 'host.os_release has no readable content';
  else if (kindOk(os, 'file')) platformProblem = '/etc/os-release does not exist';
  else platformProblem = 'host.os_release not collected';
  // Without a distribution os-release names, the package manager decides the family (and says so).
  if (platform === null || platform.platform === null) {
    const pm = facts['host.package_manager'];
    const out = kindOk(pm, 'command') ? (pm as { stdout?: unknown }).stdout : undefined;
    const fromPm = typeof out === 'string' ? platformFromPackageManager(out) : null;
    if (fromPm !== null) {
      const manager = fromPm === 'debian' ? 'dpkg' : 'rpm';
      platform = {
        platform: fromPm,
        source: 'package-manager',
        id: platform?.id ?? '',
        idLike: platform?.idLike ?? [],
        versionId: platform?.versionId ?? '',
        prettyName: `${platformProblem ?? 'no os-release'}; ${manager} present`,
      };
      platformProblem = undefined;
    }
  }
  return { snapshot, platform, memo: new Map(), ...(platformProblem !== undefined ? { platformProblem } : {}) };
}

/** The context one check is evaluated in; `scope` is shared by the checks evaluated against the same snapshot. */
export function createContext(snapshot: FactSnapshot, scope: SnapshotScope = snapshotScope(snapshot)): EvalContext {
  const facts: Record<string, unknown> =
    typeof snapshot?.facts === 'object' && snapshot.facts !== null ? snapshot.facts : {};
  const { memo, platform, platformProblem } = scope;
  /** The command lines sudo ran to read a fact (paths facts come from the unprivileged walk: never). */
  const sudoOf = (f: Fact | undefined): string[] | undefined => (f && f.kind !== 'paths' ? f.sudo : undefined);

  const unavailable = (id: FactId): FactUnavailable | null => {
    if (!isFactId(id)) return new FactUnavailable(id, 'error', 'unknown fact id');
    const def = FACTS[id];
    const privileged = 'privileged' in def && def.privileged === true;
    // Restricted sudo: root-only files were read through sudo where the rules allow (what stays denied is marked);
    // a root-only command counts only when sudo ran it in its place.
    // A command whose tool is not on the host (`missing`, found without root) is the same fact a root scan gets.
    const viaSudo =
      snapshot.sudo !== undefined &&
      (def.kind !== 'command' ||
        sudoOf(facts[id] as Fact | undefined) !== undefined ||
        (facts[id] as Fact | undefined)?.problem === 'missing');
    if (privileged && snapshot.privileged !== true && !viaSudo) return new FactUnavailable(id, 'privilege', 'needs root');
    if (!Object.prototype.hasOwnProperty.call(facts, id))
      return new FactUnavailable(
        id,
        'error',
        snapshot.complete === false
          ? 'not in the snapshot (collection was incomplete)'
          : 'not in the snapshot (not collected)',
      );
    const f = facts[id];
    if (!kindOk(f, def.kind))
      return new FactUnavailable(id, 'error', `malformed fact (expected kind ${def.kind})`);
    const problem = (f as Fact).problem;
    const detail = (f as Fact).detail;
    const why = (p: string) =>
      typeof detail === 'string' && detail !== '' ? `${p}: ${targetText(detail.slice(0, 200))}` : p;
    // Run by root through sudo, a denial is the command's own, as in a root scan.
    if (problem === 'denied')
      return snapshot.privileged === true || sudoOf(f as Fact) !== undefined
        ? new FactUnavailable(id, 'denied', why('permission denied'))
        : new FactUnavailable(id, 'privilege', why('permission denied'));
    if (problem === 'error') return new FactUnavailable(id, 'error', why('collection error'));
    if (problem === 'timeout') return new FactUnavailable(id, 'error', why('collection timed out'));
    return null;
  };

  const get = (id: FactId): Fact => {
    const u = unavailable(id);
    if (u) throw u;
    return facts[id] as Fact;
  };

  const ctx: EvalContext = {
    snapshot,
    platform,
    file: (id) => get(id) as FileFact,
    fileset: (id) => get(id) as FileSetFact,
    command: (id) => get(id) as CommandFact,
    paths: (id) => get(id) as PathsFact,
    unavailable,
    memo: <T>(key: string, make: () => T): T => {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as T;
    },
  };
  if (platformProblem !== undefined) (ctx as { platformProblem?: string }).platformProblem = platformProblem;
  return ctx;
}

export interface TextSource {
  factId: string;
  /** File path, absent for command output. */
  path?: string;
  content: string;
  truncated: boolean;
}

/**
 * The text of a fact: a file's content (none when it does not exist), every readable file of a fileset, a
 * command's stdout, or a paths fact's names (one per line). A file whose content was denied makes the whole read unavailable (privilege).
 */
export function textSources(ctx: EvalContext, id: FactId, pathFilter?: (p: string) => boolean): TextSource[] {
  const kind = FACTS[id].kind;
  if (kind === 'command') {
    const c = ctx.command(id);
    return [{ factId: id, content: c.stdout, truncated: c.stdoutTruncated === true }];
  }
  if (kind === 'paths') {
    // One name per line: a name's text form holds no newline.
    const p = ctx.paths(id);
    return [{ factId: id, content: p.paths.join('\n'), truncated: p.truncated === true }];
  }
  // The files of a file or fileset fact, read once per snapshot; a file that could not be read is an error only
  // for the checks whose filter takes it.
  const entries = ctx.memo(`sources\0${id}`, () => fileEntries(ctx, id, kind));
  const out: TextSource[] = [];
  for (const e of entries) {
    if (pathFilter && !pathFilter(e.path)) continue;
    if (e.unavailable) throw e.unavailable;
    if (e.source) out.push(e.source);
  }
  return out;
}

interface FileEntry {
  path: string;
  source?: TextSource;
  unavailable?: FactUnavailable;
}

function fileEntries(ctx: EvalContext, id: FactId, kind: 'file' | 'fileset'): FileEntry[] {
  const files = kind === 'file' ? [ctx.file(id)] : ctx.fileset(id).files.filter((f) => kindOk(f, 'file'));
  const out: FileEntry[] = [];
  for (const f of files) {
    if (typeof f.path !== 'string' || !f.exists) continue;
    if (f.problem === 'denied')
      out.push({
        path: f.path,
        unavailable: ctx.snapshot.privileged
          ? new FactUnavailable(id, 'denied', `permission denied on ${f.path}`)
          : new FactUnavailable(id, 'privilege', `permission denied on ${f.path}`),
      });
    else if (f.problem === 'error' || f.problem === 'timeout')
      out.push({ path: f.path, unavailable: new FactUnavailable(id, 'error', `${f.problem} reading ${f.path}`) });
    else if (!(f.stat && f.stat.type === 'dir'))
      out.push({
        path: f.path,
        source: {
          factId: id,
          path: f.path,
          content: typeof f.content === 'string' ? f.content : '',
          truncated: f.contentTruncated === true,
        },
      });
  }
  return out;
}
