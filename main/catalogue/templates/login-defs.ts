/**
 * Template `login_defs`: a setting of /etc/login.defs. Writes the `key_value` rule on accounts.login_defs, a sed
 * that replaces (or adds) the line (shell), `ansible.builtin.lineinfile`, and pass and fail scenarios.
 */
import { z } from 'zod';
import { ansibleTasks, reEscape, scalarText, shQuote, type TemplateKind } from './common.js';

const scalar = z.union([z.string().min(1).max(200), z.number()]);

export const LoginDefsParams = z.strictObject({
  key: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'login.defs key expected (upper case, e.g. PASS_MAX_DAYS)'),
  op: z.enum(['eq', 'lte', 'gte', 'in', 'matches']).default('eq'),
  value: z.union([scalar, z.array(scalar).min(1).max(50)]),
  /** Value when the key is not set (the shadow-utils default), or `fail`. Default `fail`. */
  default: scalar.optional(),
  /** Value the remediation writes; default `value` (the first of a list). */
  set: scalar.optional(),
  /** A value that fails, for the fail scenario; derived for numbers. */
  bad: scalar.optional(),
});
export type LoginDefsParams = z.infer<typeof LoginDefsParams>;

export const loginDefs: TemplateKind<LoginDefsParams> = {
  kind: 'login_defs',
  params: LoginDefsParams,
  expand(p, ctx) {
    const first = Array.isArray(p.value) ? p.value[0] : p.value;
    const setV = scalarText(p.set ?? first ?? '');
    let bad = p.bad !== undefined ? scalarText(p.bad) : undefined;
    if (bad === undefined && typeof first === 'number') bad = String(p.op === 'gte' ? first - 1 : first + 1);
    const line = `${p.key} ${setV}`;
    const base = 'MAIL_DIR /var/mail\nUID_MIN 1000\n';
    return {
      rule: {
        type: 'key_value',
        fact: 'accounts.login_defs',
        style: 'space',
        key: p.key,
        op: p.op,
        value: p.value,
        missing: p.default !== undefined ? { default: p.default } : 'fail',
      },
      remediation: {
        text: `Set \`${line}\` in /etc/login.defs. It applies to accounts created or passwords changed from then on.`,
        impact: 'No restart; existing accounts keep their current settings until changed.',
        shell:
          `sed -i -E 's/^[#[:space:]]*${reEscape(p.key)}([[:space:]].*)?$/${line.replace(/[/&\\]/g, '\\$&')}/' /etc/login.defs\n` +
          `grep -q '^${p.key}[[:space:]]' /etc/login.defs || printf '%s\\n' ${shQuote(line)} >> /etc/login.defs`,
        ansible: ansibleTasks([
          {
            name: ctx.title || `Set ${p.key} in login.defs`,
            'ansible.builtin.lineinfile': {
              path: '/etc/login.defs',
              regexp: `^\\s*#?\\s*${reEscape(p.key)}(\\s|$)`,
              line,
              state: 'present',
            },
          },
        ]),
      },
      scenarios: {
        pass: [{ name: `${line} set`, files: { 'accounts.login_defs': `${base}${line}\n` } }],
        ...(bad !== undefined
          ? {
              fail: [
                { name: `${p.key} ${bad}`, files: { 'accounts.login_defs': `${base}${p.key} ${bad}\n` } },
              ],
            }
          : {}),
      },
    };
  },
};
