/**
 * Profiles: which checks a scan runs, and how they are tailored. A profile file maps benchmark sections to check
 * ids (benchmark numbering lives only in these files: the catalogue's versioned references are derived from them),
 * may extend another profile, disable checks with a reason and set the parameters of checks (a template's
 * parameters, or an evaluator's). The built-in profiles are `profiles/` beside the built-in checks; a user's are
 * any YAML file of the same form (given by path, or kept in `<data dir>/foureyes/profiles/`).
 *
 * Resolving a profile follows its `extends` chain (a child's entries, disables and settings win over its parent's)
 * and gives the checks in catalogue order and a digest over everything that decides them, which a scan stores.
 * Every error names the file, the line and the field.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { PLATFORMS, type Check } from '../../shared/checks/schema.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { buildCatalogue, type Catalogue } from './catalogue.js';
import { canonicalJson, checkDigest } from './digest.js';
import { TEMPLATES } from './templates/index.js';
import { validateCheck } from './validate.js';
import { parseYamlWithLines } from './yaml-lines.js';

const MAX_PROFILE_BYTES = 1024 * 1024;
const SLUG = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const slug = (what: string) =>
  z.string().max(100).regex(SLUG, `${what} expected (kebab-case, e.g. cis-debian12-l1-server)`);
const checkId = z.string().max(100).regex(SLUG, 'check id expected (kebab-case slug)');
const text = (max: number) => z.string().trim().min(1).max(max);

const Entry = z.strictObject({
  /** Benchmark section (`5.1.20`): only in a profile that names its benchmark. */
  section: z
    .string()
    .regex(/^\d+(\.\d+)*$/, "section number expected, e.g. '5.1.20'")
    .optional(),
  check: checkId,
});

export const ProfileFileSchema = z.strictObject({
  id: slug('profile id'),
  title: text(200),
  description: text(2000).optional(),
  /** Benchmark key (`cis-debian12`): the catalogue's references use it with `version`. */
  benchmark: slug('benchmark key').optional(),
  version: z
    .string()
    .regex(/^v\d+(\.\d+){0,3}$/, 'benchmark version expected, e.g. v1.1.0')
    .optional(),
  level: z.union([z.literal(1), z.literal(2)]).optional(),
  platforms: z.array(z.enum(PLATFORMS)).max(PLATFORMS.length).optional(),
  extends: slug('profile id').optional(),
  /** The checks, by section; `all`: every check of the catalogue. An empty `checks:` lists none. */
  checks: z
    .union([z.literal('all'), z.array(Entry).max(5000), z.null()])
    .default([])
    .transform((v) => v ?? []),
  /** Checks not run, each with the reason the report gives. */
  disable: z
    .array(z.strictObject({ check: checkId, reason: text(500) }))
    .max(5000)
    .nullable()
    .default([])
    .transform((v) => v ?? []),
  /** Parameters by check id: `{ password-policy-minlen: { value: 12 } }`. */
  set: z
    .record(checkId, z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/, 'parameter name expected'), z.unknown()))
    .nullable()
    .default({})
    .transform((v) => v ?? {}),
});
export type ProfileFile = z.infer<typeof ProfileFileSchema>;

/** A parsed profile with where it came from and the line of each of its nodes (for errors found later). */
export interface LoadedProfile {
  file: string;
  profile: ProfileFile;
  builtin: boolean;
  lineOf(path: readonly (string | number)[]): number | null;
}

function bad(file: string, line: number | null, field: string, message: string): FoureyesError {
  const where = line !== null ? `${file}:${line}` : file;
  return new FoureyesError('bad_input', `${where}: ${field ? `field ${field}: ` : ''}${message}`, {
    file,
    ...(line !== null ? { line } : {}),
    ...(field ? { field } : {}),
  });
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${String(p)}`;
  return out;
}

type Issue = z.core.$ZodIssue;
/** The issue to report: inside a union, the branch that got furthest (its path joined to the union's). */
function deepestIssue(issues: readonly Issue[]): Issue | undefined {
  const first = issues[0];
  const nested = (first as { errors?: Issue[][] } | undefined)?.errors;
  if (first?.code !== 'invalid_union' || !nested?.length)
    return issues.find((i) => i.code === 'unrecognized_keys') ?? first;
  const best = nested
    .filter((n) => n.length > 0)
    .sort((a, b) => (b[0]?.path.length ?? 0) - (a[0]?.path.length ?? 0))[0];
  const inner = best ? deepestIssue(best) : undefined;
  return inner ? { ...inner, path: [...first.path, ...inner.path] } : first;
}

/** Parses and validates the text of one profile file; errors name `file:line` and the field. */
export function parseProfileFile(textIn: string, file: string, builtin = false): LoadedProfile {
  const { doc, lineOf } = parseYamlWithLines(textIn);
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line ?? null;
    throw bad(file, line, '', `not valid YAML: ${yamlError.message.split('\n')[0] ?? ''}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw bad(
      file,
      null,
      '',
      `not valid YAML: ${(e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''}`,
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw bad(file, 1, '', 'expected a profile (a mapping with id, title and checks)');
  const res = ProfileFileSchema.safeParse(raw);
  if (!res.success) {
    const i = deepestIssue(res.error.issues);
    const path = [...(i?.path ?? [])] as (string | number)[];
    let message = i?.message ?? 'invalid';
    if (i?.code === 'unrecognized_keys') {
      path.push(i.keys[0] ?? '?');
      message = `unknown field '${i.keys[0] ?? '?'}'`;
    }
    throw bad(file, lineOf(path), pathText(path) || '(profile)', message);
  }
  const profile = res.data;
  if ((profile.benchmark === undefined) !== (profile.version === undefined))
    throw bad(
      file,
      lineOf(['benchmark']) ?? lineOf(['version']),
      'benchmark',
      'benchmark and version go together',
    );
  if (Array.isArray(profile.checks)) {
    const seen = new Set<string>();
    profile.checks.forEach((e, i) => {
      if (e.section !== undefined && profile.benchmark === undefined)
        throw bad(
          file,
          lineOf(['checks', i, 'section']),
          `checks[${i}].section`,
          'a section needs the profile to name its benchmark and version',
        );
      const key = `${e.section ?? ''} ${e.check}`;
      if (seen.has(key))
        throw bad(
          file,
          lineOf(['checks', i]),
          `checks[${i}]`,
          `${e.check} is listed twice${e.section ? ` for section ${e.section}` : ''}`,
        );
      seen.add(key);
    });
  }
  return { file, profile, builtin, lineOf: (p) => lineOf(p) };
}

/** Reads one profile file (size-limited); a missing file is an error naming the path. */
export function readProfileFile(file: string, builtin = false): LoadedProfile {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new FoureyesError('bad_input', `profile file ${file} does not exist`, { file });
  }
  if (size > MAX_PROFILE_BYTES)
    throw new FoureyesError('bad_input', `${file}: profile file larger than ${MAX_PROFILE_BYTES} bytes`, {
      file,
    });
  return parseProfileFile(readFileSync(file, 'utf8'), file, builtin);
}

/** The built-in profiles' directory: `profiles/` beside the built-in checks' directory. */
export function builtinProfilesDir(checksDir: string): string {
  return join(dirname(checksDir), 'profiles');
}

/** The profiles of a directory (its `*.yaml` files), sorted by file name; none when it does not exist. */
export function readProfilesDir(dir: string, builtin = false): LoadedProfile[] {
  if (!existsSync(dir)) return [];
  const out = readdirSync(dir)
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => readProfileFile(join(dir, n), builtin));
  const byId = new Map<string, string>();
  for (const p of out) {
    const prev = byId.get(p.profile.id);
    if (prev !== undefined)
      throw bad(p.file, p.lineOf(['id']), 'id', `profile '${p.profile.id}' is already defined in ${prev}`);
    byId.set(p.profile.id, p.file);
  }
  return out;
}

/** The user's own profiles: `$XDG_DATA_HOME/foureyes/profiles` (default ~/.local/share/foureyes/profiles). */
export function userProfilesDir(env: NodeJS.ProcessEnv = process.env, home = env.HOME ?? ''): string {
  const data =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/')
      ? env.XDG_DATA_HOME
      : join(home, '.local', 'share');
  return join(data, 'foureyes', 'profiles');
}

/**
 * Versioned benchmark references from the benchmark profiles: check id -> benchmark key -> `v1.1.0 5.1.20` entries,
 * sorted as the profile lists them. A profile without a benchmark gives none.
 */
export function benchmarkReferences(
  profiles: readonly LoadedProfile[],
): Map<string, Record<string, string[]>> {
  const out = new Map<string, Record<string, string[]>>();
  for (const { profile: p } of profiles) {
    if (p.benchmark === undefined || p.version === undefined || !Array.isArray(p.checks)) continue;
    for (const e of p.checks) {
      if (e.section === undefined) continue;
      const refs = out.get(e.check) ?? {};
      const list = (refs[p.benchmark] ??= []);
      const ref = `${p.version} ${e.section}`;
      if (!list.includes(ref)) list.push(ref);
      out.set(e.check, refs);
    }
  }
  return out;
}

/** Adds the benchmark references to the checks they name (replacing any the check gave for the same benchmark). */
export function withBenchmarkReferences(
  checks: readonly Check[],
  refs: ReadonlyMap<string, Record<string, string[]>>,
): Check[] {
  return checks.map((c) => {
    const r = refs.get(c.id);
    return r ? { ...c, references: { ...c.references, ...r } } : c;
  });
}

/** A profile resolved against a catalogue: what a scan runs, and what it records. */
export interface ResolvedProfile {
  id: string;
  title: string;
  benchmark?: string;
  version?: string;
  level?: 1 | 2;
  /** The profile files of the chain, the profile itself first. */
  files: string[];
  /** The checks it runs, in catalogue order. */
  checkIds: string[];
  /** Section entries (benchmark profiles): check id -> sections. */
  sections: Record<string, string[]>;
  disabled: { check: string; reason: string }[];
  set: Record<string, Record<string, unknown>>;
  /** sha256 over the canonical JSON of the above (ids, sections, disables, settings) and the tailored checks' digests. */
  digest: string;
}

export interface ProfileSet {
  byId: ReadonlyMap<string, LoadedProfile>;
  list: readonly LoadedProfile[];
}

export function profileSet(...lists: readonly (readonly LoadedProfile[])[]): ProfileSet {
  const byId = new Map<string, LoadedProfile>();
  for (const list of lists)
    for (const p of list) {
      const prev = byId.get(p.profile.id);
      if (prev && prev.builtin && !p.builtin)
        throw bad(
          p.file,
          p.lineOf(['id']),
          'id',
          `'${p.profile.id}' is the id of a built-in profile; give yours another id (and \`extends: ${p.profile.id}\` to build on it)`,
        );
      if (prev)
        throw bad(
          p.file,
          p.lineOf(['id']),
          'id',
          `profile '${p.profile.id}' is already defined in ${prev.file}`,
        );
      byId.set(p.profile.id, p);
    }
  return { byId, list: [...byId.values()] };
}

/** The chain of a profile and its parents, the profile first; an unknown parent or a cycle is an error. */
function chainOf(start: LoadedProfile, set: ProfileSet): LoadedProfile[] {
  const chain = [start];
  const seen = new Set([start.profile.id]);
  let cur = start;
  while (cur.profile.extends !== undefined) {
    const parentId = cur.profile.extends;
    const parent = set.byId.get(parentId);
    if (!parent)
      throw bad(
        cur.file,
        cur.lineOf(['extends']),
        'extends',
        `no profile '${parentId}' (known: ${[...set.byId.keys()].sort().join(', ')})`,
      );
    if (seen.has(parentId))
      throw bad(
        cur.file,
        cur.lineOf(['extends']),
        'extends',
        `profiles extend each other in a cycle: ${[...chain.map((p) => p.profile.id), parentId].join(' -> ')}`,
      );
    seen.add(parentId);
    chain.push(parent);
    cur = parent;
  }
  return chain;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a profile's settings can change in a check: a template's parameters or an evaluator rule's. */
export function settableParameters(
  c: Check,
): { kind: 'template' | 'evaluator'; params: Record<string, unknown> } | null {
  if (c.template && !c.template.overrides.includes('rule'))
    return { kind: 'template', params: c.template.params };
  if (c.rule.type === 'evaluator')
    return { kind: 'evaluator', params: isObject(c.rule.params) ? c.rule.params : {} };
  return null;
}

/**
 * The check written again with `values` over its parameters: a template check is expanded again (its hand-written
 * overrides kept), an evaluator check gets the parameters merged into its rule. Validated as any check is.
 */
export function tailorCheck(c: Check, values: Record<string, unknown>, where: string): Check {
  const settable = settableParameters(c);
  if (!settable)
    throw new FoureyesError(
      'bad_input',
      `${where}: check ${c.id} has no parameters a profile can set (it is written without a template or evaluator parameters); disable it instead`,
      { checkId: c.id },
    );
  const params = { ...settable.params, ...values };
  if (settable.kind === 'evaluator') {
    const { scenarios: _s, ...rest } = c;
    return validateCheck({ ...rest, rule: { ...c.rule, params } }, where, 0);
  }
  const t = c.template as NonNullable<Check['template']>;
  if (!TEMPLATES.has(t.kind))
    throw new FoureyesError('bad_input', `${where}: check ${c.id}: unknown template '${t.kind}'`);
  const { rule, remediation, scenarios: _s, template: _t, facts: _f, platforms, ...rest } = c;
  const raw: Record<string, unknown> = { ...rest, template: t.kind, params };
  if (t.overrides.includes('platforms')) raw.platforms = platforms;
  if (t.overrides.includes('remediation')) raw.remediation = remediation;
  else {
    const hand = Object.fromEntries(
      t.overrides
        .filter((o) => o.startsWith('remediation.'))
        .map((o) => o.slice('remediation.'.length))
        .filter((k) => k in remediation)
        .map((k) => [k, remediation[k as keyof typeof remediation]]),
    );
    if (Object.keys(hand).length > 0) raw.remediation = hand;
  }
  void rule;
  const out = validateCheck(raw, where, 0);
  return { ...out, template: { ...t, params } };
}

/** Resolves profile `id` (or a loaded user profile) against the catalogue. */
export function resolveProfile(
  start: LoadedProfile,
  set: ProfileSet,
  catalogue: Catalogue,
): { resolved: ResolvedProfile; catalogue: Catalogue; checks: Check[] } {
  const chain = chainOf(start, set);
  const selected = new Set<string>();
  const sections: Record<string, string[]> = {};
  const disabled = new Map<string, string>();
  const settings: Record<string, Record<string, unknown>> = {};
  const known = (p: LoadedProfile, id: string, path: (string | number)[]): void => {
    if (!catalogue.byId.has(id))
      throw bad(
        p.file,
        p.lineOf(path),
        pathText(path),
        `no check '${id}' in the catalogue${catalogue.sources.length > 1 ? ' or the check packs given' : ''}`,
      );
  };
  // Parents first, so a child's disable reason and settings win.
  for (const p of [...chain].reverse()) {
    const f = p.profile;
    if (f.checks === 'all') for (const c of catalogue.checks) selected.add(c.id);
    else
      f.checks.forEach((e, i) => {
        known(p, e.check, ['checks', i, 'check']);
        selected.add(e.check);
        if (e.section !== undefined) {
          const list = (sections[e.check] ??= []);
          if (!list.includes(e.section)) list.push(e.section);
        }
      });
    f.disable.forEach((d, i) => {
      known(p, d.check, ['disable', i, 'check']);
      disabled.set(d.check, d.reason);
    });
    for (const [id, values] of Object.entries(f.set)) {
      known(p, id, ['set', id]);
      settings[id] = { ...(settings[id] ?? {}), ...values };
    }
  }
  for (const id of disabled.keys()) selected.delete(id);
  if (selected.size === 0)
    throw bad(
      start.file,
      start.lineOf(['checks']),
      'checks',
      `profile '${start.profile.id}' runs no check (it lists none, or disables all it lists)`,
    );
  const tailored = new Map<string, Check>();
  for (const [id, values] of Object.entries(settings)) {
    // A check a profile down the chain disables keeps its parent's settings unused; a setting for a check that no
    // profile of the chain runs is a mistake (a typo of the list, or a check forgotten there).
    if (disabled.has(id)) continue;
    if (!selected.has(id)) {
      const owner = chain.find((p) => id in p.profile.set) ?? start;
      throw bad(
        owner.file,
        owner.lineOf(['set', id]),
        `set.${id}`,
        `check ${id} is set here but the profile does not run it: add it to checks, or remove the setting`,
      );
    }
    const owner = chain.find((p) => id in p.profile.set) ?? start;
    const where = `${owner.file}:${owner.lineOf(['set', id]) ?? '?'}: field set.${id}`;
    tailored.set(id, tailorCheck(catalogue.byId.get(id) as Check, values, where));
  }
  // The tailored catalogue: the same checks, those with settings written again; the others keep their digests.
  const all = catalogue.checks.map((c) => tailored.get(c.id) ?? c);
  const digests = Object.fromEntries(
    catalogue.checks.filter((c) => !tailored.has(c.id)).map((c) => [c.id, catalogue.digest(c.id)]),
  );
  const tailoredCatalogue =
    tailored.size === 0
      ? catalogue
      : buildCatalogue([{ file: start.file, checks: all, digests }], catalogue.sources);
  const checks = all.filter((c) => selected.has(c.id));
  const f = start.profile;
  const benchmark = chain.find((p) => p.profile.benchmark !== undefined)?.profile;
  const body = {
    id: f.id,
    checkIds: checks.map((c) => c.id),
    sections,
    disabled: [...disabled]
      .map(([check, reason]) => ({ check, reason }))
      .sort((a, b) => (a.check < b.check ? -1 : 1)),
    set: settings,
    tailored: Object.fromEntries([...tailored.values()].map((c) => [c.id, checkDigest(c)])),
  };
  const resolved: ResolvedProfile = {
    id: f.id,
    title: f.title,
    ...(benchmark?.benchmark !== undefined ? { benchmark: benchmark.benchmark } : {}),
    ...(benchmark?.version !== undefined ? { version: benchmark.version } : {}),
    ...((f.level ?? benchmark?.level) !== undefined ? { level: (f.level ?? benchmark?.level) as 1 | 2 } : {}),
    files: chain.map((p) => p.file),
    checkIds: body.checkIds,
    sections,
    disabled: body.disabled,
    set: settings,
    digest: createHash('sha256').update(canonicalJson(body)).digest('hex'),
  };
  return { resolved, catalogue: tailoredCatalogue, checks };
}

/** Whether a `--profile` argument names a file rather than a profile id. */
export function looksLikeFile(arg: string): boolean {
  return arg.includes('/') || /\.ya?ml$/i.test(arg);
}

/** The built-in profiles of a catalogue (beside its built-in checks) and the user's own. */
export function availableProfiles(catalogue: Catalogue, env: NodeJS.ProcessEnv = process.env): ProfileSet {
  const builtinDir = catalogue.sources[0];
  const builtin = builtinDir !== undefined ? readProfilesDir(builtinProfilesDir(builtinDir), true) : [];
  return profileSet(builtin, readProfilesDir(userProfilesDir(env), false));
}

/**
 * Picks a profile by id, or reads one from a file (a user's tailoring, which may extend a built-in profile), and
 * resolves it against the catalogue.
 */
export function chooseProfile(
  arg: string,
  catalogue: Catalogue,
  env: NodeJS.ProcessEnv = process.env,
  opts: { idOnly?: boolean } = {},
): ReturnType<typeof resolveProfile> {
  const set = availableProfiles(catalogue, env);
  if (looksLikeFile(arg) && opts.idOnly)
    throw new FoureyesError(
      'bad_input',
      `profile '${arg.slice(0, 100)}': give the id of a built-in profile or of one in ${userProfilesDir(env)}`,
    );
  if (looksLikeFile(arg)) {
    const file = resolve(arg);
    const loaded = readProfileFile(file);
    const other = set.byId.get(loaded.profile.id);
    if (other && resolve(other.file) !== file)
      throw bad(
        file,
        loaded.lineOf(['id']),
        'id',
        `'${loaded.profile.id}' is already the id of ${other.builtin ? 'a built-in profile' : `the profile in ${other.file}`}; give this one another id`,
      );
    const withFile = profileSet(
      set.list.filter((p) => p.profile.id !== loaded.profile.id),
      [loaded],
    );
    return resolveProfile(loaded, withFile, catalogue);
  }
  const p = set.byId.get(arg);
  if (!p)
    throw new FoureyesError(
      'bad_input',
      `no profile '${arg}' (known: ${[...set.byId.keys()].sort().join(', ') || 'none'}); give a profile id or a profile file`,
    );
  return resolveProfile(p, set, catalogue);
}
