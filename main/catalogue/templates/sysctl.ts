/**
 * Template `sysctl`: one kernel parameter (`key`, `value`, `op`) or several that must all hold (`settings`).
 * Writes the `sysctl` rule, a persistent file in /etc/sysctl.d/ named after the check plus `sysctl -w` for the
 * running kernel (shell), `ansible.posix.sysctl` with the same file (Ansible), and pass and fail scenarios.
 */
import { z } from 'zod';
import type { Scenario } from '../../../shared/checks/scenario.js';
import { sysctlFact } from '../../engine/templates/sysctl.js';
import {
  ansibleTasks,
  scalarText,
  shQuote,
  type Generated,
  type TemplateContext,
  type TemplateKind,
} from './common.js';

const key = z
  .string()
  .regex(/^[a-z0-9_]+(\.[A-Za-z0-9_-]+)+$/, 'sysctl key expected, e.g. net.ipv4.ip_forward');
const num = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform((v) => Number(v));

const setting = z.strictObject({
  key,
  /** The value the rule compares with, and the one the remediation writes. */
  value: num,
  /** Comparison (default `eq`); `gte` / `lte` accept stricter values. */
  op: z.enum(['eq', 'gte', 'lte']).default('eq'),
});
type Setting = z.infer<typeof setting>;

const common = {
  /** Verdict when the key does not exist on the host's kernel (IPv6 disabled, module not loaded). Default `fail`. */
  missing: z.enum(['pass', 'fail', 'not_applicable']).optional(),
  /** The persistent file's name in /etc/sysctl.d/ (default `60-<check id without sysctl->.conf`). */
  file: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*\.conf$/, 'a file name ending in .conf expected')
    .optional(),
  describe: z.string().max(300).optional(),
};

export const SysctlParams = z.union([
  setting.extend(common),
  z.strictObject({ settings: z.array(setting).min(1).max(16), ...common }),
]);
export type SysctlParams = z.infer<typeof SysctlParams>;

function listOf(p: SysctlParams): Setting[] {
  return 'settings' in p ? p.settings : [{ key: p.key, value: p.value, op: p.op }];
}

function bad(s: Setting): number {
  if (s.op === 'gte') return s.value - 1;
  if (s.op === 'lte') return s.value + 1;
  return s.value === 0 ? 1 : 0;
}

function scenarios(list: Setting[]): Generated['scenarios'] {
  const cmds = (values: Map<string, number>): Scenario['cmds'] => {
    const out: Record<string, string> = {};
    for (const [k, v] of values) {
      const f = sysctlFact(k);
      out[f] = `${out[f] ?? ''}${k} = ${v}\n`;
    }
    return out;
  };
  const good = new Map(list.map((s) => [s.key, s.value]));
  const pass: Scenario[] = [{ name: 'running kernel has the required values', cmds: cmds(good) }];
  const fail: Scenario[] = list.map((s) => ({
    name: `${s.key} = ${bad(s)}`,
    cmds: cmds(new Map([...good, [s.key, bad(s)]])),
  }));
  return { pass, fail };
}

function remediation(list: Setting[], file: string, ctx: TemplateContext): Generated['remediation'] {
  const lines = list.map((s) => `${s.key} = ${s.value}`);
  const text =
    `Set ${lines.map((l) => `\`${l}\``).join(', ')} in /etc/sysctl.d/${file} and apply it to the running kernel ` +
    '(`sysctl --system` loads every persistent file).';
  const shell = [
    `printf '%s\\n' ${lines.map(shQuote).join(' ')} > /etc/sysctl.d/${file}`,
    `sysctl ${list.map((s) => `-w ${s.key}=${s.value}`).join(' ')}`,
  ].join('\n');
  const ansible = ansibleTasks([
    {
      name: ctx.title || 'Set kernel parameters',
      'ansible.posix.sysctl': {
        name: '{{ item.name }}',
        value: '{{ item.value }}',
        sysctl_file: `/etc/sysctl.d/${file}`,
        sysctl_set: true,
        state: 'present',
      },
      loop: list.map((s) => ({ name: s.key, value: scalarText(String(s.value)) })),
    },
  ]);
  return { text, impact: 'Takes effect at once, without a reboot; persists across reboots.', shell, ansible };
}

export const sysctl: TemplateKind<SysctlParams> = {
  kind: 'sysctl',
  params: SysctlParams,
  expand(p, ctx) {
    const list = listOf(p);
    const rs = list.map((s) => ({
      type: 'sysctl',
      key: s.key,
      op: s.op,
      value: s.value,
      ...(p.missing !== undefined ? { missing: p.missing } : {}),
    }));
    const rule: Record<string, unknown> = rs.length === 1 ? { ...rs[0] } : { type: 'all', rules: rs };
    if (p.describe !== undefined) rule.describe = p.describe;
    const file = p.file ?? `60-${ctx.id.replace(/^sysctl-/, '')}.conf`;
    return { rule, remediation: remediation(list, file, ctx), scenarios: scenarios(list) };
  },
};
