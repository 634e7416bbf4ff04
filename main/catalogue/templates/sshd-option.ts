/**
 * Template `sshd_option`: one or more sshd_config keywords. Writes the `sshd_option` rule (with `min` as a second
 * bound), a remediation that sets each keyword before any Include or Match block and removes it from the drop-in
 * files, checks the configuration with `sshd -t` and reloads sshd (shell and Ansible, `validate:` on the file), and
 * pass and fail scenarios from `sshd -T` output and from sshd_config files.
 */
import { z } from 'zod';
import { COMPARE_OPS, type CompareValue, type Scalar } from '../../../shared/checks/rules.js';
import type { Scenario } from '../../../shared/checks/scenario.js';
import { SSHD_DEFAULTS } from '../../engine/parsers/sshd-defaults.js';
import {
  ansibleTasks,
  reEscape,
  registerName,
  scalarText,
  shQuote,
  type Generated,
  type TemplateContext,
  type TemplateKind,
} from './common.js';

const scalar = z.union([z.string().min(1).max(2000), z.number()]);
const value = z.union([scalar, z.array(scalar).min(1).max(200)]);

const setting = z.strictObject({
  /** sshd keyword, as written in sshd_config (`PermitRootLogin`). */
  option: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'sshd keyword expected'),
  /** Comparison (default `eq`). */
  op: z.enum(COMPARE_OPS).default('eq'),
  value,
  /** Value assumed when the option is not set (default: the OpenSSH default). */
  default: z.string().max(2000).optional(),
  /** Lower numeric bound checked as well (`op: lte` with `min: 1` for "between 1 and value"). */
  min: z.number().optional(),
  /** The value the remediation writes; default: `value` (the first item of a list). */
  set: scalar.optional(),
  /** A value that fails, for the generated fail scenario; derived from op and value when possible. */
  bad: scalar.optional(),
});
type Setting = z.infer<typeof setting>;

export const SshdOptionParams = z.union([
  setting.extend({ describe: z.string().max(300).optional() }),
  z.strictObject({
    /** Several keywords that must all hold (ClientAliveInterval with ClientAliveCountMax). */
    settings: z.array(setting).min(1).max(16),
    describe: z.string().max(300).optional(),
  }),
]);
export type SshdOptionParams = z.infer<typeof SshdOptionParams>;

const OPPOSITE: Record<string, string> = { yes: 'no', no: 'yes' };

function first(v: CompareValue): Scalar | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The value written by the remediation, or undefined when the parameters do not say it. */
function setValue(s: Setting): string | undefined {
  if (s.set !== undefined) return scalarText(s.set);
  if (['eq', 'lte', 'gte', 'in'].includes(s.op)) {
    const v = first(s.value);
    return v === undefined ? undefined : scalarText(v);
  }
  return undefined;
}

/** A value that must fail, or undefined when none can be derived. */
function badValue(s: Setting): string | undefined {
  if (s.bad !== undefined) return scalarText(s.bad);
  const v = first(s.value);
  if (v === undefined) return undefined;
  switch (s.op) {
    case 'eq':
      if (typeof v === 'number') return String(v + 1);
      return OPPOSITE[v.toLowerCase()];
    case 'neq':
    case 'none_of':
    case 'not_in':
      return scalarText(v);
    case 'lte':
      return typeof v === 'number' ? String(v + 1) : undefined;
    case 'gte':
      return typeof v === 'number' ? String(v - 1) : undefined;
    default:
      return undefined;
  }
}

function settingsOf(p: SshdOptionParams): Setting[] {
  return 'settings' in p ? p.settings : [p];
}

function rules(s: Setting): Record<string, unknown>[] {
  const base = {
    type: 'sshd_option',
    option: s.option,
    ...(s.default !== undefined ? { default: s.default } : {}),
  };
  const out: Record<string, unknown>[] = [];
  if (s.min !== undefined) out.push({ ...base, op: 'gte', value: s.min });
  out.push({ ...base, op: s.op, value: s.value });
  return out;
}

/** `sshd -T` output: the OpenSSH defaults (lower-case keywords) with `over` applied. */
function effective(over: Record<string, string>): string {
  const map = new Map(Object.entries(SSHD_DEFAULTS).filter(([, v]) => v !== ''));
  map.set('port', '22');
  for (const [k, v] of Object.entries(over)) map.set(k.toLowerCase(), v);
  return [...map].map(([k, v]) => `${k} ${v}\n`).join('');
}

function configFile(lines: Record<string, string>): string {
  return `Include /etc/ssh/sshd_config.d/*.conf\n${Object.entries(lines)
    .map(([k, v]) => `${k} ${v}\n`)
    .join('')}`;
}

function scenarios(list: Setting[]): Generated['scenarios'] {
  const good: Record<string, string> = {};
  for (const s of list) {
    const v = setValue(s);
    if (v === undefined) return undefined;
    good[s.option] = v;
  }
  const pass: Scenario[] = [
    { name: 'sshd -T shows the required value', cmds: { 'sshd.effective': effective(good) } },
    {
      name: 'sshd_config sets the required value',
      privileged: false,
      sets: { 'sshd.config': { '/etc/ssh/sshd_config': configFile(good) } },
    },
  ];
  const fail: Scenario[] = [];
  for (const s of list) {
    const bad = badValue(s);
    if (bad === undefined) continue;
    const lines = { ...good, [s.option]: bad };
    fail.push(
      { name: `sshd -T shows ${s.option} ${bad}`, cmds: { 'sshd.effective': effective(lines) } },
      {
        name: `a drop-in read first sets ${s.option} ${bad}`,
        privileged: false,
        sets: {
          'sshd.config': {
            '/etc/ssh/sshd_config': configFile(good),
            '/etc/ssh/sshd_config.d/50-site.conf': `${s.option} ${bad}\n`,
          },
        },
      },
    );
  }
  return fail.length > 0 ? { pass, fail } : { pass };
}

const FILES = '/etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf';
const RELOAD = 'sshd -t && { systemctl reload ssh 2>/dev/null || systemctl reload sshd; }';

/**
 * Options whose change can lock people out or break what clients rely on (authentication, who may log in, the
 * algorithms old clients speak, tunnels in use): a generated playbook applies them only when asked to.
 */
const RISKY_OPTIONS = new Set(
  [
    'PasswordAuthentication', 'PermitRootLogin', 'KbdInteractiveAuthentication', 'ChallengeResponseAuthentication',
    'PubkeyAuthentication', 'AuthenticationMethods', 'UsePAM', 'AllowUsers', 'AllowGroups', 'DenyUsers', 'DenyGroups',
    'Ciphers', 'MACs', 'KexAlgorithms', 'HostKeyAlgorithms', 'PubkeyAcceptedAlgorithms', 'AllowTcpForwarding',
    'DisableForwarding', 'AllowStreamLocalForwarding', 'GatewayPorts', 'PermitTunnel',
  ].map((o) => o.toLowerCase()),
);

function remediation(list: Setting[], ctx: TemplateContext): Generated['remediation'] {
  const lines = list.map((s) => ({ option: s.option, value: setValue(s) }));
  const written = lines.filter((l): l is { option: string; value: string } => l.value !== undefined);
  const names = list.map((s) => s.option);
  const shown = written.map((l) => `\`${l.option} ${l.value}\``).join(' and ');
  const text =
    written.length === list.length
      ? `Set ${shown} in /etc/ssh/sshd_config, before any Include or Match block, remove other settings of ` +
        `${names.join(' and ')} from the drop-in files in /etc/ssh/sshd_config.d/, check the configuration with ` +
        '`sshd -t` and reload sshd.'
      : `Set ${names.join(' and ')} to an accepted value in /etc/ssh/sshd_config, before any Include or Match ` +
        'block, check the configuration with `sshd -t` and reload sshd.';
  const risky = list.some((s) => RISKY_OPTIONS.has(s.option.toLowerCase()));
  const impact =
    'Reloads sshd: open sessions stay up; new connections get the new setting.' +
    (risky ? ' Whoever logs in another way (a password, root, an old client, a tunnel) is refused: keep a session open while testing.' : '');
  if (written.length !== list.length) return { text, impact, ...(risky ? { risky } : {}) };
  const keyRe = names.length === 1 ? reEscape(names[0] ?? '') : `(${names.map(reEscape).join('|')})`;
  const shell = [
    `sed -i -E '/^[[:space:]]*${keyRe}([[:space:]=]|$)/Id' ${FILES} 2>/dev/null`,
    // Inserted in reverse so that the file reads them in the order given.
    ...[...written]
      .reverse()
      .map((l) => `sed -i ${shQuote(`1i ${l.option} ${l.value}`)} /etc/ssh/sshd_config`),
    RELOAD,
  ].join('\n');
  const set = registerName(ctx.id, 'set');
  const found = registerName(ctx.id, 'dropins');
  const removed = registerName(ctx.id, 'removed');
  const loop = written.length > 1;
  const item = (k: 'option' | 'value') => (loop ? `{{ item.${k} }}` : (written[0]?.[k] ?? ''));
  const regexp = `(?i)^\\s*${loop ? '{{ item.option }}' : reEscape(written[0]?.option ?? '')}(\\s|=|$)`;
  const loopOf = loop ? { loop: written.map((l) => ({ option: l.option, value: l.value })) } : {};
  const tasks = [
    {
      name: `${ctx.title || 'Set the sshd option'}: set in sshd_config`,
      'ansible.builtin.lineinfile': {
        path: '/etc/ssh/sshd_config',
        regexp,
        line: `${item('option')} ${item('value')}`,
        insertbefore: 'BOF',
        firstmatch: true,
        validate: '/usr/sbin/sshd -t -f %s',
      },
      ...loopOf,
      register: set,
    },
    {
      name: `${ctx.title || 'Set the sshd option'}: find sshd drop-in files`,
      'ansible.builtin.find': { paths: '/etc/ssh/sshd_config.d', patterns: '*.conf' },
      register: found,
    },
    {
      name: `${ctx.title || 'Set the sshd option'}: remove ${names.join(', ')} from drop-in files`,
      'ansible.builtin.lineinfile': {
        path: '{{ item.0.path }}',
        regexp: `(?i)^\\s*{{ item.1 }}(\\s|=|$)`,
        state: 'absent',
      },
      loop: `{{ ${found}.files | product(${JSON.stringify(names).replace(/"/g, "'")}) | list }}`,
      register: removed,
    },
    {
      name: `${ctx.title || 'Set the sshd option'}: reload sshd`,
      'ansible.builtin.service': {
        name: "{{ 'ssh' if ansible_facts['os_family'] == 'Debian' else 'sshd' }}",
        state: 'reloaded',
      },
      when: `${set} is changed or ${removed} is changed`,
    },
  ];
  return { text, impact, shell, ansible: ansibleTasks(tasks), ...(risky ? { risky } : {}) };
}

export const sshdOption: TemplateKind<SshdOptionParams> = {
  kind: 'sshd_option',
  params: SshdOptionParams,
  expand(p, ctx) {
    const list = settingsOf(p);
    const rs = list.flatMap(rules);
    const rule: Record<string, unknown> = rs.length === 1 ? { ...rs[0] } : { type: 'all', rules: rs };
    if (p.describe !== undefined) rule.describe = p.describe;
    const sc = scenarios(list);
    return { rule, remediation: remediation(list, ctx), ...(sc ? { scenarios: sc } : {}) };
  },
};
