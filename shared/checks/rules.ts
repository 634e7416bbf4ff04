/**
 * The rule language of the check catalogue: a few templates for the repetitive families (sshd options, sysctls,
 * key/value files, file modes, lines in files, packages, mount options, command output), the combinators
 * `all` / `any` / `none` / `by_platform`, and an escape hatch naming a registered pure TypeScript evaluator.
 *
 * Rules are data (YAML in the catalogue). Defaults are applied by the engine, not by the schema, so the type a
 * check author writes is the type the engine reads. Every regular expression is compiled at load time.
 */
import { z } from 'zod';
import { isFactId } from '../facts/registry.js';

/** Platforms a check can be restricted to. Ubuntu is its own platform; `debian` rules apply to it when no `ubuntu` case exists. */
export const PLATFORMS = ['debian', 'ubuntu', 'rhel-family'] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * Comparison operators.
 * - `eq` / `neq`: case-insensitive string equality; numeric equality when both sides are numbers.
 * - `in` / `not_in`: the actual value is (not) one of a list (case-insensitive).
 * - `lte` / `gte`: numeric comparison; a non-numeric actual value fails.
 * - `matches`: the actual value matches a regular expression (case-insensitive).
 * - `contains_all`: the actual value, read as a comma/space separated list, contains every listed item.
 * - `none_of`: the actual list contains none of the listed items (`*` globs allowed in items).
 */
export const COMPARE_OPS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'lte',
  'gte',
  'matches',
  'contains_all',
  'none_of',
] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

export type Scalar = string | number;
export type CompareValue = Scalar | Scalar[];

/** Fields every rule may carry. */
export interface RuleBase {
  /** Human words for what the rule wants ("remote log forwarding configured"); replaces the generated expectation. */
  describe?: string;
}

/** An option of the OpenSSH server, read from `sshd -T` when available, else from the parsed sshd_config files. */
export interface SshdOptionRule extends RuleBase {
  type: 'sshd_option';
  /** Keyword, case-insensitive (e.g. `PermitRootLogin`). */
  option: string;
  op: CompareOp;
  value: CompareValue;
  /** Value assumed when the option is not set in sshd_config; defaults to the OpenSSH default for known options. */
  default?: string;
}

/** A runtime kernel parameter (`net.*` from fact sysctl.net, anything else from sysctl.kernel). */
export interface SysctlRule extends RuleBase {
  type: 'sysctl';
  key: string;
  op: CompareOp;
  value: CompareValue;
  /** Verdict when the key is not present (e.g. IPv6 disabled). Default `fail`. */
  missing?: 'pass' | 'fail' | 'not_applicable';
}

/** A setting in a key/value file: `space` style like login.defs (`KEY value`), `equals` style like pwquality.conf or ini files (`key = value`). */
export interface KeyValueRule extends RuleBase {
  type: 'key_value';
  fact: string;
  style: 'space' | 'equals';
  /** Key, compared case-insensitively. */
  key: string;
  /** For ini files: only keys in this `[section]` count (case-insensitive). */
  section?: string;
  /** Only files whose path matches this glob (for fileset facts). */
  path?: string;
  op: CompareOp;
  value: CompareValue;
  /** When the key is not set anywhere: pass, fail, or compare this default value (the program's built-in default). Default `fail`. */
  missing?: 'pass' | 'fail' | { default: Scalar };
}

/** Mode and ownership of a file, or of every file of a fileset (optionally filtered by a path glob). */
export interface FileModeRule extends RuleBase {
  type: 'file_mode';
  fact: string;
  path?: string;
  /** Most permissive mode allowed, octal string (`'0640'`): any bit outside it fails. */
  max_mode?: string;
  /** Bits that must not be set, octal string (`'0022'` = not group/world writable). */
  deny_bits?: string;
  /** Per-group override of max_mode (e.g. `{ ssh_keys: '0640' }` for RHEL host keys). */
  max_mode_by_group?: Record<string, string>;
  /** Allowed owner names. */
  owner?: string[];
  /** Allowed group names. */
  group?: string[];
  /** When no matching file exists. Default `not_applicable`. */
  missing?: 'pass' | 'fail' | 'not_applicable';
}

/** A regular expression over the non-comment lines of a file, a fileset, or a command's output. */
export interface LinesRule extends RuleBase {
  type: 'lines';
  fact: string;
  /** JavaScript regular expression, tested against each line with leading/trailing blanks removed. */
  pattern: string;
  /** `i` for case-insensitive. */
  flags?: 'i' | '';
  expect: 'present' | 'absent';
  /** Lines starting with this prefix (after blanks) are ignored. Default `#`; `''` keeps every line. */
  comment?: string;
  /** Only files whose path matches this glob (for fileset facts). */
  path?: string;
}

/** Installed packages (from the dpkg or rpm list). */
export interface PackageRule extends RuleBase {
  type: 'package';
  /** Any of these names (alternatives across distributions, e.g. `auditd` and `audit`). */
  names: string[];
  /** `installed`: at least one is installed; `absent`: none is. */
  expect: 'installed' | 'absent';
}

/** Options of a mounted file system (from /proc/self/mounts). */
export interface MountOptionRule extends RuleBase {
  type: 'mount_option';
  mount_point: string;
  /** Options that must all be present; empty list = the mount point only has to be a separate mount. */
  options: string[];
  /** When nothing is mounted there. Default `fail`. */
  missing_mount?: 'fail' | 'not_applicable';
}

/** A regular expression over a command's output lines. */
export interface CommandOutputRule extends RuleBase {
  type: 'command_output';
  fact: string;
  pattern: string;
  flags?: 'i' | '';
  expect: 'present' | 'absent';
}

/** Pass when a command printed nothing (after removing allowed lines); fail listing what it printed (findings lists). */
export interface EmptyOutputRule extends RuleBase {
  type: 'empty_output';
  fact: string;
  /** Lines matching any of these globs (`*`, `?`) are expected and ignored (allow-list). */
  allow?: string[];
}

/** Escape hatch: a registered pure TypeScript evaluator, with parameters validated by that evaluator's schema. */
export interface EvaluatorRule extends RuleBase {
  type: 'evaluator';
  name: string;
  params?: Record<string, unknown>;
}

/** `all`: every rule passes. `any`: at least one passes. `none`: no rule passes. */
export interface CombinatorRule extends RuleBase {
  type: 'all' | 'any' | 'none';
  rules: Rule[];
}

/** A different rule per platform (paths and package names differ); `ubuntu` falls back to `debian`, then to `default`. */
export interface ByPlatformRule extends RuleBase {
  type: 'by_platform';
  cases: Partial<Record<Platform, Rule>>;
  /** Used when the host's platform has no case; without it such hosts are not applicable. */
  default?: Rule;
}

export type Rule =
  | SshdOptionRule
  | SysctlRule
  | KeyValueRule
  | FileModeRule
  | LinesRule
  | PackageRule
  | MountOptionRule
  | CommandOutputRule
  | EmptyOutputRule
  | EvaluatorRule
  | CombinatorRule
  | ByPlatformRule;

export type RuleType = Rule['type'];

// ---- schemas ----

/** Message for an unknown fact id, naming the id. */
export const unknownFactMessage = (iss: { input?: unknown }) =>
  `unknown fact id '${String(iss.input)}' (not in shared/facts/registry.ts)`;
const factId = z.string().refine(isFactId, { error: unknownFactMessage });

function isRegex(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}
const regex = z.string().min(1).max(2000).refine(isRegex, { message: 'invalid regular expression' });
const octal = z.string().regex(/^0?[0-7]{3,4}$/, 'octal mode expected, e.g. "0640"');
const scalar = z.union([z.string().max(2000), z.number()]);
const compareValue = z.union([scalar, z.array(scalar).max(200)]);
const op = z.enum(COMPARE_OPS);
const flags = z.enum(['i', '']).optional();
const glob = z.string().min(1).max(1000);
const name = z.string().min(1).max(200);
const describe = z.string().trim().min(1).max(300).optional();

const sshdOption = z.strictObject({
  type: z.literal('sshd_option'),
  describe,
  option: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'sshd keyword expected'),
  op,
  value: compareValue,
  default: z.string().max(2000).optional(),
});
const sysctl = z.strictObject({
  type: z.literal('sysctl'),
  describe,
  key: z.string().regex(/^[a-z0-9_]+(\.[A-Za-z0-9_*-]+)+$/, 'sysctl key expected, e.g. net.ipv4.ip_forward'),
  op,
  value: compareValue,
  missing: z.enum(['pass', 'fail', 'not_applicable']).optional(),
});
const keyValue = z.strictObject({
  type: z.literal('key_value'),
  describe,
  fact: factId,
  style: z.enum(['space', 'equals']),
  key: name,
  section: name.optional(),
  path: glob.optional(),
  op,
  value: compareValue,
  missing: z.union([z.enum(['pass', 'fail']), z.strictObject({ default: scalar })]).optional(),
});
const fileMode = z.strictObject({
  type: z.literal('file_mode'),
  describe,
  fact: factId,
  path: glob.optional(),
  max_mode: octal.optional(),
  deny_bits: octal.optional(),
  max_mode_by_group: z.record(z.string(), octal).optional(),
  owner: z.array(name).min(1).optional(),
  group: z.array(name).min(1).optional(),
  missing: z.enum(['pass', 'fail', 'not_applicable']).optional(),
});
const lines = z.strictObject({
  type: z.literal('lines'),
  describe,
  fact: factId,
  pattern: regex,
  flags,
  expect: z.enum(['present', 'absent']),
  comment: z.string().max(8).optional(),
  path: glob.optional(),
});
const pkg = z.strictObject({
  type: z.literal('package'),
  describe,
  names: z.array(name).min(1).max(100),
  expect: z.enum(['installed', 'absent']),
});
const mountOption = z.strictObject({
  type: z.literal('mount_option'),
  describe,
  mount_point: z.string().regex(/^\//, 'absolute path expected'),
  options: z.array(name).max(32),
  missing_mount: z.enum(['fail', 'not_applicable']).optional(),
});
const commandOutput = z.strictObject({
  type: z.literal('command_output'),
  describe,
  fact: factId,
  pattern: regex,
  flags,
  expect: z.enum(['present', 'absent']),
});
const emptyOutput = z.strictObject({
  type: z.literal('empty_output'),
  describe,
  fact: factId,
  allow: z.array(glob).max(1000).optional(),
});
const evaluator = z.strictObject({
  type: z.literal('evaluator'),
  describe,
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'evaluator name expected (snake_case)'),
  params: z.record(z.string(), z.unknown()).optional(),
});
const children = z
  .array(z.lazy(() => RuleSchema))
  .min(1)
  .max(64);
const all = z.strictObject({ type: z.literal('all'), describe, rules: children });
const any = z.strictObject({ type: z.literal('any'), describe, rules: children });
const none = z.strictObject({ type: z.literal('none'), describe, rules: children });
const byPlatform = z.strictObject({
  type: z.literal('by_platform'),
  describe,
  cases: z.strictObject({
    debian: z.lazy(() => RuleSchema).optional(),
    ubuntu: z.lazy(() => RuleSchema).optional(),
    'rhel-family': z.lazy(() => RuleSchema).optional(),
  }),
  default: z.lazy(() => RuleSchema).optional(),
});

/** Schema of one rule (recursive). */
export const RuleSchema: z.ZodType<Rule> = z.discriminatedUnion('type', [
  sshdOption,
  sysctl,
  keyValue,
  fileMode,
  lines,
  pkg,
  mountOption,
  commandOutput,
  emptyOutput,
  evaluator,
  all,
  any,
  none,
  byPlatform,
]) as z.ZodType<Rule>;
