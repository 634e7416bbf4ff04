/**
 * Evaluator `pam_module`: a module's argument in the PAM stack files, or the module's configuration file where it
 * has one. As PAM modules do, an argument on the module's line wins over the configuration file, which wins over
 * the module's built-in default. Every line of the module in the listed stack files is judged on its own.
 */
import { z } from 'zod';
import type { Evidence } from '../../../shared/model/results.js';
import type { FactId } from '../../../shared/facts/registry.js';
import { compare } from '../compare.js';
import { textSources, type EvalContext, type TextSource } from '../context.js';
import { FactUnavailable, outcome } from '../outcome.js';
import { excerpt, splitLines, targetText as tt } from '../parsers/text.js';
import { defineEvaluator } from './types.js';

export const PAM_STACKS = ['auth', 'account', 'password', 'session'] as const;
/** Configuration files of PAM modules, by fact. */
export const PAM_CONFIG_FACTS = ['pam.pwquality', 'pam.faillock', 'pam.pwhistory'] as const;

const word = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a PAM module argument (lower case, e.g. remember)');
const scalar = z.union([z.number(), z.string().min(1).max(100)]);

export const PamModuleParams = z.strictObject({
  /** Module name without `.so` (`pam_pwhistory`). */
  module: z.string().regex(/^pam_[a-z0-9_]+$/, 'a PAM module name expected (pam_unix)'),
  stack: z.enum(PAM_STACKS),
  /** Stack files (names in /etc/pam.d); each one that exists must call the module (unless op is absent). */
  files: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'a file name in /etc/pam.d expected'))
    .min(1)
    .max(16),
  /** The argument; for present / absent a list means any of them. */
  arg: z.union([word, z.array(word).min(1).max(16)]),
  op: z.enum(['gte', 'lte', 'eq', 'present', 'absent']),
  value: scalar.optional(),
  /** The module's configuration file, read when the line has no such argument. */
  config_fact: z.enum(PAM_CONFIG_FACTS).optional(),
  /** The key in the configuration file (default: the argument). */
  config_key: word.optional(),
  /** With lte: the value must also be at least this (0 often means "off"). */
  min: z.number().int().optional(),
  /** Values accepted besides those op accepts (unlock_time 0: never unlocked automatically). */
  allow: z.array(scalar).max(16).optional(),
  /** The module's built-in value when neither the line nor the file sets it. */
  default: scalar.optional(),
  /** The module must be in the stack (default true); false: the setting alone is judged (another check asks for the module). */
  require_module: z.boolean().default(true),
});
export type PamModuleParams = z.infer<typeof PamModuleParams>;

export interface PamLine {
  path: string;
  line: number;
  text: string;
  type: string;
  control: string;
  module: string;
  args: string[];
}

/** The lines of a PAM stack file: type (a leading `-` removed), control (`[...]` kept whole), module, arguments. */
export function parsePamLines(src: TextSource): PamLine[] {
  const out: PamLine[] = [];
  for (const { n, text } of splitLines(src.content)) {
    const t = text.trim();
    if (t === '' || t.startsWith('#') || t.startsWith('@')) continue;
    const m = /^(-?)([A-Za-z]+)\s+(\[[^\]]*\]|\S+)\s+(\S+)\s*(.*)$/.exec(t);
    if (!m) continue;
    const rest = (m[5] ?? '').replace(/\s+#.*$/, '');
    out.push({
      path: src.path ?? src.factId,
      line: n,
      text: t,
      type: (m[2] as string).toLowerCase(),
      control: m[3] as string,
      module: (m[4] as string).replace(/^.*\//, '').replace(/\.so$/, ''),
      args: rest.split(/\s+/).filter((a) => a !== ''),
    });
  }
  return out;
}

/** An argument on a line: its value (`''` for a flag), the last one written winning; undefined when absent. */
function argOf(args: readonly string[], name: string): string | undefined {
  let v: string | undefined;
  for (const a of args) {
    if (a === name) v = '';
    else if (a.startsWith(`${name}=`)) v = a.slice(name.length + 1);
  }
  return v;
}

interface ConfValue {
  value: string;
  path: string;
  line: number;
  text: string;
}

/** `key = value` or a bare `key` (a flag) in a module's configuration file(s); the last setting wins. */
function confOf(sources: readonly TextSource[], key: string): ConfValue | undefined {
  let found: ConfValue | undefined;
  for (const src of sources)
    for (const { n, text } of splitLines(src.content)) {
      const t = text.trim();
      if (t === '' || t.startsWith('#')) continue;
      const m = /^([A-Za-z0-9_]+)\s*(?:=\s*(.*?))?\s*(?:\s#.*)?$/.exec(t);
      if (m && (m[1] as string).toLowerCase() === key)
        found = { value: m[2] ?? '', path: src.path ?? src.factId, line: n, text: t };
    }
  return found;
}

function expectation(p: PamModuleParams, args: string[]): string {
  const a = args.join(' or ');
  const where = `${p.module} (${p.stack}) in ${p.files.join(', ')}`;
  switch (p.op) {
    case 'absent':
      return `no ${a} argument on ${where}`;
    case 'present':
      return `${a} on ${where}${p.config_fact ? ' or in its configuration file' : ''}`;
    default: {
      const min = p.min !== undefined ? ` and >= ${p.min}` : '';
      const allow = p.allow?.length ? ` (or ${p.allow.join(', ')})` : '';
      return `${a} ${p.op === 'gte' ? '>=' : p.op === 'lte' ? '<=' : '='} ${String(p.value)}${min}${allow} for ${where}`;
    }
  }
}

export const pamModule = defineEvaluator({
  name: 'pam_module',
  description:
    "A PAM module's argument in the stack files, else its configuration file, else its default (argument wins).",
  params: PamModuleParams,
  facts: ['pam.files', ...PAM_CONFIG_FACTS],
  factsOf: (p: PamModuleParams) => ['pam.files', ...(p.config_fact ? [p.config_fact] : [])] as FactId[],
  run(ctx: EvalContext, p: PamModuleParams) {
    const args = Array.isArray(p.arg) ? p.arg : [p.arg];
    const keys = (p.config_key ? [p.config_key] : args).map((k) => k.toLowerCase());
    const key = keys[0] as string;
    const expected = expectation(p, args);
    const paths = new Set(p.files.map((f) => `/etc/pam.d/${f}`));
    let stack: TextSource[] = [];
    try {
      stack = textSources(ctx, 'pam.files', (path) => paths.has(path));
    } catch (e) {
      // The setting alone can decide where the module's presence is another check's business.
      if (!(e instanceof FactUnavailable) || p.require_module || !p.config_fact) throw e;
    }
    const confSources = p.config_fact ? textSources(ctx, p.config_fact) : [];
    const conf = keys.map((k) => ({ k, c: confOf(confSources, k) })).find((x) => x.c !== undefined);
    const lines = stack
      .flatMap((src) => ctx.memo(`pam\0${src.path ?? ''}`, () => parsePamLines(src)))
      .filter((l) => l.type === p.stack && l.module === p.module);
    const evidenceOf = (l: { path: string; line: number; text: string }, factId: string): Evidence => ({
      factId,
      path: l.path,
      line: l.line,
      excerpt: excerpt(l.text),
    });
    const searched = stack.map((s) => s.path ?? '').join(', ') || 'no stack file present';

    if (p.op === 'absent') {
      const bad = lines.filter((l) => args.some((a) => argOf(l.args, a) !== undefined));
      const confBad = p.config_fact && conf?.c ? [conf.c] : [];
      if (bad.length === 0 && confBad.length === 0)
        return outcome(
          'pass',
          expected,
          lines.length === 0 ? `${p.module} not in the ${p.stack} stack (${searched})` : `${lines.length} ${p.module} line(s) without ${args.join(', ')}`,
          `${p.module} is not given ${args.join(' or ')}`,
          lines.map((l) => evidenceOf(l, 'pam.files')),
        );
      return outcome(
        'fail',
        expected,
        [...bad.map((l) => `${tt(l.path)}:${l.line}: ${tt(l.text)}`), ...confBad.map((c) => `${tt(c.path)}:${c.line}: ${tt(c.text)}`)].join(' | '),
        `${p.module} is given ${args.join(' or ')}`,
        [...bad.map((l) => evidenceOf(l, 'pam.files')), ...confBad.map((c) => evidenceOf(c, p.config_fact as string))],
      );
    }

    if (p.require_module) {
      const without = stack.filter((s) => !lines.some((l) => l.path === s.path)).map((s) => s.path ?? '');
      if (stack.length === 0 || without.length > 0)
        return outcome(
          'fail',
          expected,
          stack.length === 0 ? `none of ${[...paths].join(', ')} exists` : `no ${p.stack} line for ${p.module} in ${without.map(tt).join(', ')}`,
          `${p.module} is not in the ${p.stack} stack${without.length > 0 ? ` of ${without.map(tt).join(', ')}` : ''}`,
        );
    }

    // One judgement per module line; without any line (require_module false), the configuration alone.
    const judge = (v: string | undefined): boolean => {
      if (p.op === 'present') return v !== undefined;
      if (v !== undefined && (p.allow ?? []).some((a) => compare(v, 'eq', a).ok)) return true;
      if (p.min !== undefined && !compare(v, 'gte', p.min).ok) return false;
      return compare(v, p.op as 'eq' | 'lte' | 'gte', p.value ?? '').ok;
    };
    const fromConf = (): { k?: string; v: string | undefined; where: string; ev?: Evidence } => {
      if (conf?.c)
        return { k: conf.k, v: conf.c.value, where: `${tt(conf.c.path)}:${conf.c.line}`, ev: evidenceOf(conf.c, p.config_fact as string) };
      if (p.default !== undefined) return { v: String(p.default), where: 'built-in default' };
      return { v: undefined, where: p.config_fact ? 'not set in the stack or the configuration file' : 'not set' };
    };
    const shown = (v: string | undefined, name: string) =>
      v === undefined ? `${name} not set` : v === '' ? name : `${name}=${tt(v)}`;
    const units = (lines.length > 0 ? lines : [null]).map((l) => {
      const onLine = l ? args.map((a) => ({ a, v: argOf(l.args, a) })).find((x) => x.v !== undefined) : undefined;
      if (l && onLine) return { ok: judge(onLine.v), text: `${shown(onLine.v, onLine.a)} (${tt(l.path)}:${l.line})`, ev: evidenceOf(l, 'pam.files') };
      const c = fromConf();
      const ev = [c.ev, l ? evidenceOf(l, 'pam.files') : undefined].filter((e): e is Evidence => e !== undefined);
      return {
        ok: judge(c.v),
        text: `${shown(c.v, c.k ?? key)} (${c.where}${l ? ` for ${tt(l.path)}:${l.line}` : ''})`,
        ev: ev[0],
        more: ev.slice(1),
      };
    });
    const bad = units.filter((u) => !u.ok);
    const evidence = units.flatMap((u) => [u.ev, ...('more' in u ? (u.more ?? []) : [])]).filter((e): e is Evidence => e !== undefined);
    if (bad.length === 0)
      return outcome('pass', expected, units.map((u) => u.text).join('; '), `${p.module}: ${args.join(' / ')} as required`, evidence);
    return outcome('fail', expected, bad.map((u) => u.text).join('; '), `${bad.map((u) => u.text).join('; ')}; expected ${expected}`, evidence);
  },
});

export const pamWheelGroupEmpty = defineEvaluator({
  name: 'pam_wheel_group_empty',
  description:
    'The group pam_wheel limits su to (group=, else wheel) has no members and is no account\'s primary group; not applicable without pam_wheel in /etc/pam.d/su.',
  params: z.strictObject({}),
  facts: ['pam.files', 'accounts.group', 'accounts.passwd'],
  run(ctx: EvalContext) {
    const expected = 'the su group of pam_wheel has no members';
    const lines = textSources(ctx, 'pam.files', (path) => path === '/etc/pam.d/su')
      .flatMap(parsePamLines)
      .filter((l) => l.type === 'auth' && l.module === 'pam_wheel' && argOf(l.args, 'deny') === undefined);
    if (lines.length === 0)
      return outcome('not_applicable', expected, 'no pam_wheel auth line in /etc/pam.d/su', 'su is not limited to a group (see su-pam-wheel-use-uid)');
    const names = [...new Set(lines.map((l) => argOf(l.args, 'group') || 'wheel'))];
    const groups = splitLines(ctx.file('accounts.group').content ?? '')
      .map(({ n, text }) => ({ n, text, f: text.split(':') }))
      .filter((g) => g.f.length >= 4);
    const passwd = splitLines(ctx.file('accounts.passwd').content ?? '').map(({ n, text }) => ({ n, text, f: text.split(':') }));
    const findings: string[] = [];
    const evidence: Evidence[] = lines.map((l) => ({ factId: 'pam.files', path: l.path, line: l.line, excerpt: excerpt(l.text) }));
    for (const name of names) {
      const g = groups.find((x) => x.f[0] === name);
      if (!g) continue;
      const members = (g.f[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
      const primary = passwd.filter((p) => p.f.length >= 7 && p.f[3] === g.f[2]).map((p) => p.f[0] ?? '');
      if (members.length > 0) findings.push(`${tt(name)} lists ${members.map(tt).join(', ')}`);
      if (primary.length > 0) findings.push(`${tt(name)} is the primary group of ${primary.map(tt).join(', ')}`);
      if (members.length > 0 || primary.length > 0)
        evidence.push({ factId: 'accounts.group', path: '/etc/group', line: g.n, excerpt: excerpt(g.text) });
    }
    if (findings.length === 0)
      return outcome('pass', expected, `su group ${names.map(tt).join(', ')}: no members`, 'only root can use su', evidence);
    return outcome('fail', expected, findings.join('; '), `${findings.join('; ')}: they can use su`, evidence);
  },
});
