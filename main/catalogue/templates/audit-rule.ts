/**
 * Template `audit_rule`: audit rules that must be present in the persistent rules (fact audit.rules:
 * /etc/audit/audit.rules and /etc/audit/rules.d/*.rules), each written as auditctl takes it
 * (`-w /etc/sudoers -p wa -k scope`, `-a always,exit -F arch=b64 -S chmod,fchmod -F auid>=1000 -F auid!=unset`,
 * `-e 2`). Writes one `lines` rule per watch, per system call of a syscall rule (so that a host may list them on
 * one line or several) and per other rule; a file in /etc/audit/rules.d/ plus `augenrules --load` (shell),
 * `ansible.builtin.copy` plus an `augenrules --load` command whose `changed_when` reads its "No change"; and pass
 * and fail scenarios.
 *
 * What a rule on the host must have: a watch, the same path (a trailing `/` and `/var/run` for `/run` alike) with
 * at least the listed permissions, options in any order; a syscall rule, `-a always,exit` (or `exit,always`) with
 * every `-F` / `-C` field of the required rule (equivalent spellings: `auid!=unset|-1|4294967295`,
 * `exit=-EACCES|-13`, `exit=-EPERM|-1`, `euid!=uid|uid!=euid`), more fields allowed; anything else, the same words.
 * The key (`-k`, `-F key=`) only names the records and is never required.
 */
import { z } from 'zod';
import type { Scenario } from '../../../shared/checks/scenario.js';
import { ansibleTasks, registerName, shQuote, type Generated, type TemplateKind } from './common.js';

const auditRuleText = z
  .string()
  .trim()
  .regex(/^-[-a-zA-Z]/, 'an auditctl rule expected, e.g. -w /etc/sudoers -p wa -k scope')
  .regex(/^[^'\n\\]+$/, 'no quotes, backslashes or line breaks in a rule')
  .max(400);

const ruleList = z.array(auditRuleText).max(32);

export const AuditRuleParams = z
  .strictObject({
    /** Rules as auditctl takes them; each must be present. */
    rules: ruleList.default([]),
    /**
     * Rules only one platform family needs (paths differ): `debian` (also Ubuntu) and `rhel-family`. A host of a
     * family without an entry needs only `rules`.
     */
    platform_rules: z
      .strictObject({ debian: ruleList.min(1).optional(), 'rhel-family': ruleList.min(1).optional() })
      .optional(),
    /** Key (`-k`) the remediation adds to rules that have none. */
    key: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'audit key expected (letters, digits, _ and -)')
      .max(31)
      .optional(),
    /** File in /etc/audit/rules.d/ the remediation writes (default `50-<key or check id without audit-rules->.rules`). */
    file: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*\.rules$/, 'a file name ending in .rules expected')
      .optional(),
    describe: z.string().max(300).optional(),
  })
  .refine((p) => p.rules.length > 0 || Object.keys(p.platform_rules ?? {}).length > 0, {
    message: 'at least one rule expected (rules or platform_rules)',
    path: ['rules'],
  });
export type AuditRuleParams = z.infer<typeof AuditRuleParams>;

/** Regular-expression text matching `s` literally (slashes left as they are). */
const lit = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The path as a host may write it: without a trailing slash, /var/run and /run alike. */
function pathPattern(path: string): string {
  const bare = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const m = /^(?:\/var)?(\/run(?:\/.*)?)$/.exec(bare);
  return m ? `(/var)?${lit(m[1] as string)}/?` : `${lit(bare)}/?`;
}

const EQUIVALENT: Record<string, string[]> = {
  'auid!=unset': ['unset', '-1', '4294967295'],
  'auid!=-1': ['unset', '-1', '4294967295'],
  'auid!=4294967295': ['unset', '-1', '4294967295'],
  'exit=-EACCES': ['-EACCES', '-13'],
  'exit=-EPERM': ['-EPERM', '-1'],
  'arch=b64': ['b64', 'x86_64'],
  'arch=b32': ['b32', 'i386', 'i686'],
};

/** Pattern of one `-F`/`-C` field with its equivalent spellings. */
function fieldPattern(flag: string, field: string): string {
  const m = /^([A-Za-z0-9_]+)(!=|>=|<=|=|>|<|&=|&)(.*)$/.exec(field);
  if (!m) return `(?=.*\\s${flag}\\s+${lit(field)}(\\s|$))`;
  const [, name = '', op = '', value = ''] = m;
  const alts = EQUIVALENT[field];
  const v = alts ? `(${alts.map(lit).join('|')})` : lit(value);
  let body = `${lit(name)}${lit(op)}${v}`;
  // A comparison of two fields reads the same either way round (-C euid!=uid, -C uid!=euid).
  if (flag === '-C' && (op === '=' || op === '!=') && /^[a-z]+$/.test(value))
    body = `(${body}|${lit(value)}${lit(op)}${lit(name)})`;
  return `(?=.*\\s${flag}\\s+${body}(\\s|$))`;
}

interface Part {
  describe: string;
  pattern: string;
}

/** The `lines` patterns one required rule stands for. */
function partsOf(rule: string): Part[] {
  const t = rule.split(/\s+/);
  if (t[0] === '-w' && t[1]) {
    const i = t.indexOf('-p');
    const perms = i >= 0 ? (t[i + 1] ?? 'rwxa') : 'rwxa';
    const look = [...perms].map((c) => `(?=\\S*${lit(c)})`).join('');
    return [
      {
        describe: `audit watch on ${t[1]} (-p ${perms})`,
        pattern: `^-w\\s+${pathPattern(t[1])}\\s(.*\\s)?-p\\s+${look}`,
      },
    ];
  }
  if (t[0] === '-a' && t[1] && /^(always,exit|exit,always)$/.test(t[1])) {
    const fields: string[] = [];
    const shown: string[] = [];
    const syscalls: string[] = [];
    for (let i = 2; i < t.length; i++) {
      const flag = t[i] ?? '';
      const arg = t[i + 1] ?? '';
      if (flag === '-S') {
        syscalls.push(...arg.split(',').filter((s) => s !== ''));
        i++;
      } else if (flag === '-F' || flag === '-C') {
        if (!/^key=/.test(arg)) {
          fields.push(fieldPattern(flag, arg));
          shown.push(arg);
        }
        i++;
      } else if (flag === '-k') i++;
    }
    const head = '^-a\\s+(always,exit|exit,always)';
    const what = shown.length ? ` (${shown.join(', ')})` : '';
    if (syscalls.length === 0)
      return [{ describe: `audit rule${what}`, pattern: `${head}${fields.join('')}` }];
    return syscalls.map((s) => ({
      describe: `audit rule for ${s}${what}`,
      pattern: `${head}(?=.*\\s-S\\s+(\\S*,)?${lit(s)}(,|\\s|$))${fields.join('')}`,
    }));
  }
  return [{ describe: `audit rule ${rule}`, pattern: `^${t.map(lit).join('\\s+')}(\\s|$)` }];
}

/** The rule as the remediation writes it: with the key when it has none. */
function withKey(rule: string, key: string | undefined): string {
  if (
    !key ||
    rule.startsWith('-e') ||
    rule.startsWith('-b') ||
    rule.startsWith('-f') ||
    rule.startsWith('--')
  )
    return rule;
  return /\s-k\s|\s-F\s+key=/.test(` ${rule} `) ? rule : `${rule} -k ${key}`;
}

/** The rules without the i-th. */
function rulesWithout(rules: string[], i: number): string[] {
  return rules.filter((_, j) => j !== i);
}

type Family = 'debian' | 'rhel-family';
const FAMILY_TEST: Record<Family, { sh: string; ansible: string; os: 'debian' | 'rhel' }> = {
  debian: { sh: '[ -r /etc/debian_version ]', ansible: "ansible_os_family == 'Debian'", os: 'debian' },
  'rhel-family': { sh: '[ -r /etc/redhat-release ]', ansible: "ansible_os_family == 'RedHat'", os: 'rhel' },
};

function linesRules(rules: string[]): Record<string, unknown>[] {
  return rules.flatMap(partsOf).map((x) => ({
    type: 'lines',
    describe: x.describe,
    fact: 'audit.rules',
    pattern: x.pattern,
    expect: 'present',
  }));
}

const allOf = (rs: Record<string, unknown>[]): Record<string, unknown> =>
  rs.length === 1 ? { ...rs[0] } : { type: 'all', rules: rs };

export const auditRule: TemplateKind<AuditRuleParams> = {
  kind: 'audit_rule',
  params: AuditRuleParams,
  expand(p, ctx) {
    const families = Object.keys(p.platform_rules ?? {}) as Family[];
    const byFamily = (f: Family) => p.platform_rules?.[f] ?? [];
    const common = linesRules(p.rules);
    const cases: Record<string, unknown> = {};
    for (const f of families) cases[f] = allOf(linesRules(byFamily(f)));
    // A family without platform rules needs the common rules only (not applicable when there are none).
    const children = families.length === 0 ? common : [...common, { type: 'by_platform', cases }];
    const count = [p.rules, ...families.map(byFamily)].reduce((n, l) => n + l.flatMap(partsOf).length, 0);
    if (count > 64) throw new Error(`audit_rule: ${count} rules to match (at most 64)`);
    const rule: Record<string, unknown> = allOf(children);
    if (p.describe !== undefined) rule.describe = p.describe;

    const file = p.file ?? `50-${p.key ?? ctx.id.replace(/^audit-rules-/, '')}.rules`;
    const dest = `/etc/audit/rules.d/${file}`;
    const key = (rs: string[]) => rs.map((r) => withKey(r, p.key));
    const written = key(p.rules);
    const all = [...p.rules, ...families.flatMap(byFamily)];
    const immutable = all.some((r) => /^-e\s+2$/.test(r));
    const title = ctx.title || 'Audit rules';
    const loadReg = registerName(ctx.id, 'load');
    const printf = (rs: string[]) =>
      `printf '%s\\n' ${rs.map(shQuote).join(' ')} > ${dest} && chmod 0640 ${dest}`;
    const shown = (rs: string[]) => rs.map((r) => `\`${r}\``).join(', ');
    let shell: string;
    let text = `Add ${all.length === 1 ? 'this rule' : 'these rules'} to ${dest} and load the rules with \`augenrules --load\``;
    const copies: Record<string, unknown>[] = [];
    const copy = (rs: string[], when?: string, what = '') => ({
      name: `${title}: ${dest}${what}`,
      'ansible.builtin.copy': {
        dest,
        content: `${rs.join('\n')}\n`,
        owner: 'root',
        group: 'root',
        mode: '0640',
      },
      ...(when ? { when } : {}),
    });
    if (families.length === 0) {
      shell = printf(written);
      text += `: ${shown(written)}.`;
      copies.push(copy(written));
    } else {
      const branches = families.map(
        (f) => `${FAMILY_TEST[f].sh}; then\n  ${printf([...written, ...key(byFamily(f))])}`,
      );
      shell =
        `if ${branches.join('\nelif ')}\n` +
        (written.length > 0 ? `else\n  ${printf(written)}\n` : '') +
        'fi';
      text +=
        (written.length > 0 ? `: ${shown(written)}` : '') +
        families
          .map(
            (f) =>
              `${written.length > 0 ? '; ' : ': '}on ${f === 'debian' ? 'Debian and Ubuntu' : 'the RHEL family'} also ${shown(key(byFamily(f)))}`,
          )
          .join('') +
        '.';
      for (const f of families)
        copies.push(copy([...written, ...key(byFamily(f))], FAMILY_TEST[f].ansible, ` (${f})`));
      if (written.length > 0)
        copies.push(
          copy(written, families.map((f) => `not (${FAMILY_TEST[f].ansible})`).join(' and '), ' (other)'),
        );
    }
    shell += '\naugenrules --load';
    const remediation: Generated['remediation'] = {
      text,
      impact: immutable
        ? 'Once loaded, the audit configuration is immutable: no rule can be added or removed, and auditing cannot be disabled, until the host reboots; every later rule change needs a reboot to take effect.'
        : 'augenrules --load loads the rules at once, without restarting auditd. When the loaded rules are immutable (`-e 2`), the kernel refuses the change: the new rules take effect at the next reboot. More rules mean more audit records and log volume.',
      shell,
      ansible: ansibleTasks([
        ...copies,
        {
          name: `${title}: load the rules`,
          'ansible.builtin.command': { cmd: 'augenrules --load' },
          register: loadReg,
          changed_when: `'No change' not in ${loadReg}.stdout`,
        },
      ]),
    };

    const set = (rules: string[], extra = ''): Scenario['sets'] => ({
      'audit.rules': {
        '/etc/audit/rules.d/audit.rules': '## First rule - delete all\n-D\n-b 8192\n-f 1\n',
        [dest]: `${extra}${rules.join('\n')}\n`,
      },
    });
    const first: Family | undefined = families[0];
    const full = (f: Family | undefined) => [...written, ...(f ? key(byFamily(f)) : [])];
    const osOf = (f: Family | undefined) => (f && f !== 'debian' ? { os: FAMILY_TEST[f].os } : {});
    const pass: Scenario[] = (first ? families : [undefined]).map((f) => ({
      name: `the rules are in rules.d${f ? ` (${f})` : ''}`,
      ...osOf(f),
      sets: set(full(f)),
    }));
    const rules0 = full(first);
    if (rules0.length > 1)
      pass.push({
        name: 'in another order, with comments',
        ...osOf(first),
        sets: set([...rules0].reverse(), '## site rules\n'),
      });
    const fail: Scenario[] = [
      { name: 'no rules but the defaults', ...osOf(first), sets: set([]) },
      ...(rules0.length > 1
        ? [
            {
              name: `without ${rules0[rules0.length - 1]}`,
              ...osOf(first),
              sets: set(rulesWithout(rules0, rules0.length - 1)),
            },
          ]
        : []),
      { name: 'commented out', ...osOf(first), sets: set(rules0.map((r) => `#${r}`)) },
    ];
    return { rule, remediation, scenarios: { pass, fail } };
  },
};
