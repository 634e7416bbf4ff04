/**
 * The rule language of the check catalogue: a few templates for the repetitive families (sshd options, sysctls,
 * key/value files, file modes, lines in files, packages, mount options, command output), the combinators
 * `all` / `any` / `none` / `by_platform`, and an escape hatch naming a registered pure TypeScript evaluator.
 *
 * Rules are data (YAML in the catalogue). Each rule type is written once, as a zod schema; its TypeScript type is
 * inferred from it. Defaults are applied by the engine, not by the schema, so the type a check author writes is the
 * type the engine reads. Every regular expression is compiled at load time.
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

// ---- building blocks ----

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
/** `i` for case-insensitive. */
const flags = z.enum(['i', '']).optional();
const glob = z.string().min(1).max(1000);
const name = z.string().min(1).max(200);
/** Human words for what the rule wants ("remote log forwarding configured"); replaces the generated expectation. */
const describe = z.string().trim().min(1).max(300).optional();

export type Scalar = z.infer<typeof scalar>;
export type CompareValue = z.infer<typeof compareValue>;

// ---- templates ----

/** An option of the OpenSSH server, read from `sshd -T` when available, else from the parsed sshd_config files. */
const sshdOption = z.strictObject({
  type: z.literal('sshd_option'),
  describe,
  /** Keyword, case-insensitive (e.g. `PermitRootLogin`). */
  option: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'sshd keyword expected'),
  op,
  value: compareValue,
  /** Value assumed when the option is not set in sshd_config; defaults to the OpenSSH default for known options. */
  default: z.string().max(2000).optional(),
});
export type SshdOptionRule = z.infer<typeof sshdOption>;

/** A runtime kernel parameter (`net.*` from fact sysctl.net, anything else from sysctl.kernel). */
const sysctl = z.strictObject({
  type: z.literal('sysctl'),
  describe,
  key: z.string().regex(/^[a-z0-9_]+(\.[A-Za-z0-9_*-]+)+$/, 'sysctl key expected, e.g. net.ipv4.ip_forward'),
  op,
  value: compareValue,
  /** Verdict when the key is not present (e.g. IPv6 disabled). Default `fail`. */
  missing: z.enum(['pass', 'fail', 'not_applicable']).optional(),
});
export type SysctlRule = z.infer<typeof sysctl>;

/** A setting in a key/value file: `space` style like login.defs (`KEY value`), `equals` style like pwquality.conf or ini files (`key = value`). */
const keyValue = z.strictObject({
  type: z.literal('key_value'),
  describe,
  fact: factId,
  style: z.enum(['space', 'equals']),
  /** Key, compared case-insensitively. */
  key: name,
  /** For ini files: only keys in this `[section]` count (case-insensitive). */
  section: name.optional(),
  /** Only files whose path matches this glob (for fileset facts). */
  path: glob.optional(),
  op,
  value: compareValue,
  /** When the key is not set anywhere: pass, fail, or compare this default value (the program's built-in default). Default `fail`. */
  missing: z.union([z.enum(['pass', 'fail']), z.strictObject({ default: scalar })]).optional(),
});
export type KeyValueRule = z.infer<typeof keyValue>;

/** Mode and ownership of a file, or of every file of a fileset (optionally filtered by a path glob). */
const fileMode = z.strictObject({
  type: z.literal('file_mode'),
  describe,
  fact: factId,
  path: glob.optional(),
  /** Most permissive mode allowed, octal string (`'0640'`): any bit outside it fails. */
  max_mode: octal.optional(),
  /** Bits that must not be set, octal string (`'0022'` = not group/world writable). */
  deny_bits: octal.optional(),
  /** Per-group override of max_mode (e.g. `{ ssh_keys: '0640' }` for RHEL host keys). */
  max_mode_by_group: z.record(z.string(), octal).optional(),
  /** Allowed owner names. */
  owner: z.array(name).min(1).optional(),
  /** Allowed group names. */
  group: z.array(name).min(1).optional(),
  /** When no matching file exists. Default `not_applicable`. */
  missing: z.enum(['pass', 'fail', 'not_applicable']).optional(),
});
export type FileModeRule = z.infer<typeof fileMode>;

/** A regular expression over the non-comment lines of a file, a fileset, or a command's output. */
const lines = z.strictObject({
  type: z.literal('lines'),
  describe,
  fact: factId,
  /** JavaScript regular expression, tested against each line with leading/trailing blanks removed. */
  pattern: regex,
  flags,
  expect: z.enum(['present', 'absent']),
  /** Lines starting with this prefix (after blanks) are ignored. Default `#`; `''` keeps every line. */
  comment: z.string().max(8).optional(),
  /** Only files whose path matches this glob (for fileset facts). */
  path: glob.optional(),
});
export type LinesRule = z.infer<typeof lines>;

/** Installed packages (from the dpkg or rpm list). */
const pkg = z.strictObject({
  type: z.literal('package'),
  describe,
  /** Any of these names (alternatives across distributions, e.g. `auditd` and `audit`). */
  names: z.array(name).min(1).max(100),
  /** `installed`: at least one is installed; `absent`: none is. */
  expect: z.enum(['installed', 'absent']),
});
export type PackageRule = z.infer<typeof pkg>;

/** Options of a mounted file system (from /proc/self/mounts). */
const mountOption = z.strictObject({
  type: z.literal('mount_option'),
  describe,
  mount_point: z.string().regex(/^\//, 'absolute path expected'),
  /** Options that must all be present; empty list = the mount point only has to be a separate mount. */
  options: z.array(name).max(32),
  /** When nothing is mounted there. Default `fail`. */
  missing_mount: z.enum(['fail', 'not_applicable']).optional(),
});
export type MountOptionRule = z.infer<typeof mountOption>;

/** A regular expression over a command's output lines. */
const commandOutput = z.strictObject({
  type: z.literal('command_output'),
  describe,
  fact: factId,
  pattern: regex,
  flags,
  expect: z.enum(['present', 'absent']),
});
export type CommandOutputRule = z.infer<typeof commandOutput>;

/** Pass when a command printed nothing (after removing allowed lines); fail listing what it printed (findings lists). */
const emptyOutput = z.strictObject({
  type: z.literal('empty_output'),
  describe,
  fact: factId,
  /** Lines matching any of these globs (`*`, `?`) are expected and ignored (allow-list). */
  allow: z.array(glob).max(1000).optional(),
});
export type EmptyOutputRule = z.infer<typeof emptyOutput>;

/**
 * A question no command can answer (is there an approved hardening standard, who reviews log alerts), put to the
 * customer and answered by the consultant as an attestation with who and when. Unanswered: `manual`. Only as a
 * check's whole rule (never inside a combinator); it reads no fact.
 */
const attestation = z.strictObject({
  type: z.literal('attestation'),
  describe,
  /** The question, as the consultant asks it. */
  question: z.string().trim().min(10).max(1000),
  /** The answer that passes (default `yes`). */
  pass: z.enum(['yes', 'no']).default('yes'),
  /** What to ask to see as evidence before answering (a document, a ticket, a log review record). */
  evidence: z.string().trim().min(1).max(1000).optional(),
});
export type AttestationRule = z.infer<typeof attestation>;

/** Escape hatch: a registered pure TypeScript evaluator, with parameters validated by that evaluator's schema. */
const evaluator = z.strictObject({
  type: z.literal('evaluator'),
  describe,
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'evaluator name expected (snake_case)'),
  params: z.record(z.string(), z.unknown()).optional(),
});
export type EvaluatorRule = z.infer<typeof evaluator>;

// ---- combinators (recursive: the getters defer the reference to RuleSchema) ----

const combinator = <T extends 'all' | 'any' | 'none'>(type: T) =>
  z.strictObject({
    type: z.literal(type),
    describe,
    get rules(): z.ZodArray<typeof RuleSchema> {
      return z.array(RuleSchema).min(1).max(64);
    },
  });
const all = combinator('all');
const any = combinator('any');
const none = combinator('none');
/** `all`: every rule passes. `any`: at least one passes. `none`: no rule passes. */
export type CombinatorRule = z.infer<typeof all> | z.infer<typeof any> | z.infer<typeof none>;

/** A different rule per platform (paths and package names differ); `ubuntu` falls back to `debian`, then to `default`. */
const byPlatform = z.strictObject({
  type: z.literal('by_platform'),
  describe,
  get cases(): z.ZodObject<Record<Platform, z.ZodOptional<typeof RuleSchema>>, z.core.$strict> {
    return z.strictObject({
      debian: RuleSchema.optional(),
      ubuntu: RuleSchema.optional(),
      'rhel-family': RuleSchema.optional(),
    });
  },
  /** Used when the host's platform has no case; without it such hosts are not applicable. */
  get default(): z.ZodOptional<typeof RuleSchema> {
    return RuleSchema.optional();
  },
});
export type ByPlatformRule = z.infer<typeof byPlatform>;

/** Schema of one rule (recursive). */
export const RuleSchema = z.discriminatedUnion('type', [
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
  attestation,
  all,
  any,
  none,
  byPlatform,
]);
export type Rule = z.infer<typeof RuleSchema>;
export type RuleType = Rule['type'];
