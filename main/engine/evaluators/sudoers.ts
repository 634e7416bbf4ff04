/** Evaluators over the parsed sudoers set (sudo.sudoers, root only). */
import { z } from 'zod';
import type { Evidence } from '../../../shared/model/results.js';
import { textSources, type EvalContext } from '../context.js';
import { outcome, type Outcome } from '../outcome.js';
import { grantsAll, parseSudoers, type Sudoers, type SudoersLine } from '../parsers/sudoers.js';
import { excerpt, targetText as tt } from '../parsers/text.js';
import { defineEvaluator } from './types.js';

/** The sudoers set of a snapshot, parsed once (FactUnavailable when a file of it could not be read). */
export function sudoersOf(ctx: EvalContext): Sudoers {
  return ctx.memo('sudoers', () =>
    parseSudoers(textSources(ctx, 'sudo.sudoers').map((s) => ({ path: s.path ?? '', content: s.content }))),
  );
}

const at = (l: SudoersLine): Evidence => ({
  factId: 'sudo.sudoers',
  path: l.path,
  line: l.line,
  excerpt: excerpt(l.text),
});

function notInstalled(expected: string): Outcome {
  return outcome(
    'not_applicable',
    expected,
    '/etc/sudoers not present',
    'sudo is not installed (no /etc/sudoers)',
  );
}

export const nopasswdAll = defineEvaluator({
  name: 'sudoers_nopasswd_all',
  description:
    'Fails when a sudoers rule grants ALL commands (directly or through a Cmnd_Alias) with NOPASSWD.',
  params: z.strictObject({}),
  facts: ['sudo.sudoers'],
  run(ctx) {
    const expected = 'no rule granting ALL commands with NOPASSWD';
    const s = sudoersOf(ctx);
    if (!s.found) return notInstalled(expected);
    const hits = s.specs.filter((spec) =>
      spec.commands.some((c) => c.tags.includes('NOPASSWD') && grantsAll(s, c.command)),
    );
    const files = `${s.filesRead.length} file(s) read: ${s.filesRead.slice(0, 5).join(', ')}`;
    if (hits.length === 0)
      return outcome(
        'pass',
        expected,
        `${s.specs.length} rule(s), none NOPASSWD with ALL (${files})`,
        'no password-less rule grants all commands',
      );
    return outcome(
      'fail',
      expected,
      hits.map((h) => `${tt(h.users)} (${h.at.path}:${h.at.line})`).join(', '),
      `${hits.length} rule(s) grant every command without a password`,
      hits.map((h) => at(h.at)),
    );
  },
});

export const noAuthenticate = defineEvaluator({
  name: 'sudoers_no_authenticate',
  description: 'Fails when any Defaults entry disables authentication (!authenticate).',
  params: z.strictObject({}),
  facts: ['sudo.sudoers'],
  run(ctx) {
    const expected = 'no Defaults !authenticate';
    const s = sudoersOf(ctx);
    if (!s.found) return notInstalled(expected);
    const hits = s.defaults.filter((d) => d.settings.some((x) => x.name === 'authenticate' && x.negated));
    if (hits.length === 0)
      return outcome(
        'pass',
        expected,
        `${s.defaults.length} Defaults entries, authentication not disabled`,
        'sudo asks for authentication',
      );
    return outcome(
      'fail',
      expected,
      hits.map((h) => `Defaults${tt(h.scope)} (${h.at.path}:${h.at.line})`).join(', '),
      'authentication is disabled by a Defaults entry',
      hits.map((h) => at(h.at)),
    );
  },
});

export const sudoDefault = defineEvaluator({
  name: 'sudoers_default',
  description:
    'Passes when a global Defaults entry sets the named option (a flag, or an option with a value); the last setting wins. ' +
    'With `max`: a numeric option at most that value and not negative; `default` is sudo\'s built-in value when none is set.',
  params: z.strictObject({
    name: z.string().regex(/^[a-z_]+$/),
    /** Highest value allowed (numeric options such as timestamp_timeout); a negative value (never expires) fails. */
    max: z.number().optional(),
    /** sudo's built-in value, assumed when no Defaults entry sets the option (else unset fails). */
    default: z.number().optional(),
  }),
  facts: ['sudo.sudoers'],
  run(ctx, p) {
    const expected = p.max !== undefined ? `Defaults ${p.name} between 0 and ${String(p.max)}` : `Defaults ${p.name}`;
    const s = sudoersOf(ctx);
    if (!s.found) return notInstalled(expected);
    let last: { negated: boolean; value?: string; line: SudoersLine } | undefined;
    for (const d of s.defaults) {
      if (d.scope !== '') continue;
      for (const x of d.settings)
        if (x.name === p.name)
          last = { negated: x.negated, line: d.at, ...(x.value !== undefined ? { value: x.value } : {}) };
    }
    if (!last && p.default !== undefined && p.max !== undefined) {
      const ok = p.default >= 0 && p.default <= p.max;
      return outcome(ok ? 'pass' : 'fail', expected, `${p.name} not set (sudo's default ${String(p.default)})`, `no Defaults entry sets ${p.name}; sudo's default ${String(p.default)} applies`);
    }
    if (!last)
      return outcome('fail', expected, `${p.name} not set`, `no global Defaults entry sets ${p.name}`);
    const shown = `${last.negated ? '!' : ''}${p.name}${last.value !== undefined ? `=${tt(last.value)}` : ''}`;
    if (last.negated || last.value === '')
      return outcome('fail', expected, `Defaults ${shown}`, `${p.name} is disabled`, [at(last.line)]);
    if (p.max !== undefined) {
      const n = Number(last.value);
      if (last.value === undefined || !Number.isFinite(n) || n < 0 || n > p.max)
        return outcome('fail', expected, `Defaults ${shown}`, `${p.name} is not between 0 and ${String(p.max)}`, [at(last.line)]);
    }
    return outcome('pass', expected, `Defaults ${shown}`, `${p.name} is set`, [at(last.line)]);
  },
});
