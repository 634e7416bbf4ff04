/**
 * Template `pam_module`: an argument of a PAM module in the stack files (pam.files), or the setting in the module's
 * configuration file (pam.pwquality, pam.faillock, pam.pwhistory) when the line has none: the argument wins, as PAM
 * reads it. `op: absent` asks that the argument appear on no line of the module (pam_unix `nullok`). Writes the
 * `pam_module` evaluator rule, the remediation (the configuration file set and conflicting arguments removed, or
 * the argument written on the module's lines; shell and Ansible `lineinfile` / `replace`) and pass/fail scenarios.
 */
import { z } from 'zod';
import type { Scenario } from '../../../shared/checks/scenario.js';
import { PAM_CONFIG_FACTS, PAM_STACKS } from '../../engine/evaluators/pam.js';
import { ansibleTasks, reEscape, registerName, scalarText, shQuote, type TemplateKind } from './common.js';

const word = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a PAM module argument (lower case, e.g. remember)');
const scalar = z.union([z.number(), z.string().min(1).max(100)]);

export const PamModuleTemplateParams = z.strictObject({
  module: z.string().regex(/^pam_[a-z0-9_]+$/, 'a PAM module name expected (pam_unix)'),
  stack: z.enum(PAM_STACKS),
  /** Stack files in /etc/pam.d (default: the Debian common-<stack> file and RHEL system-auth, password-auth). */
  files: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'a file name in /etc/pam.d expected'))
    .min(1)
    .max(16)
    .optional(),
  arg: z.union([word, z.array(word).min(1).max(16)]),
  op: z.enum(['gte', 'lte', 'eq', 'present', 'absent']).default('present'),
  value: scalar.optional(),
  config_fact: z.enum(PAM_CONFIG_FACTS).optional(),
  config_key: word.optional(),
  default: scalar.optional(),
  require_module: z.boolean().optional(),
  min: z.number().int().optional(),
  allow: z.array(scalar).max(16).optional(),
  /** A failing value for the scenario (derived for numbers). */
  bad: scalar.optional(),
  describe: z.string().max(300).optional(),
});
export type PamModuleTemplateParams = z.infer<typeof PamModuleTemplateParams>;

const CONFIG_FILE: Record<(typeof PAM_CONFIG_FACTS)[number], string> = {
  'pam.pwquality': '/etc/security/pwquality.conf',
  'pam.faillock': '/etc/security/faillock.conf',
  'pam.pwhistory': '/etc/security/pwhistory.conf',
};

export function defaultPamFiles(stack: (typeof PAM_STACKS)[number]): string[] {
  return [`common-${stack}`, 'system-auth', 'password-auth'];
}

export const pamModuleTemplate: TemplateKind<PamModuleTemplateParams> = {
  kind: 'pam_module',
  params: PamModuleTemplateParams.superRefine((p, ctx) => {
    const numeric = p.op === 'gte' || p.op === 'lte';
    if ((numeric || p.op === 'eq') && p.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `op ${p.op} needs a value` });
    if (numeric && p.value !== undefined && !/^-?\d+$/.test(String(p.value)))
      ctx.addIssue({ code: 'custom', path: ['value'], message: `op ${p.op} needs a whole number` });
    if ((p.op === 'present' || p.op === 'absent') && p.value !== undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: `op ${p.op} takes no value` });
    if (Array.isArray(p.arg) && p.arg.length > 1 && p.op !== 'present' && p.op !== 'absent')
      ctx.addIssue({ code: 'custom', path: ['arg'], message: 'a list of arguments only with op present or absent' });
    if (p.config_key !== undefined && p.config_fact === undefined)
      ctx.addIssue({ code: 'custom', path: ['config_key'], message: 'config_key needs config_fact' });
  }),
  expand(p, ctx) {
    const files = p.files ?? defaultPamFiles(p.stack);
    const args = Array.isArray(p.arg) ? p.arg : [p.arg];
    const arg = args[0] as string;
    const key = p.config_key ?? arg;
    const conf = p.config_fact ? CONFIG_FILE[p.config_fact] : undefined;
    const v = p.value !== undefined ? scalarText(p.value) : undefined;
    const requireModule = p.require_module ?? true;
    const mod = reEscape(`${p.module}.so`);
    const paths = files.map((f) => `/etc/pam.d/${f}`);
    const rule: Record<string, unknown> = {
      type: 'evaluator',
      name: 'pam_module',
      params: {
        module: p.module,
        stack: p.stack,
        files,
        arg: p.arg,
        op: p.op,
        ...(p.value !== undefined ? { value: p.value } : {}),
        ...(p.config_fact ? { config_fact: p.config_fact } : {}),
        ...(p.config_key ? { config_key: p.config_key } : {}),
        ...(p.default !== undefined ? { default: p.default } : {}),
        ...(p.require_module !== undefined ? { require_module: p.require_module } : {}),
        ...(p.min !== undefined ? { min: p.min } : {}),
        ...(p.allow !== undefined ? { allow: p.allow } : {}),
      },
    };
    if (p.describe) rule.describe = p.describe;

    // ---- remediation ----
    const setting = v === undefined ? arg : `${arg}=${v}`;
    const confLine = v === undefined ? key : `${key} = ${v}`;
    const lineSel = `^-?${p.stack}[[:space:]].*${mod}`;
    // Python regular expressions for ansible.builtin.replace (multi-line mode): blanks only, never a newline.
    const pyLine = `^([ \\t]*-?${p.stack}[ \\t]+(?:\\[[^\\]\\n]*\\]|\\S+)[ \\t]+\\S*${mod}`;
    const fileLoop = (body: string) =>
      `for f in ${paths.join(' ')}; do\n  [ -f "$f" ] || continue\n  ${body}\ndone`;
    const found = registerName(ctx.id, 'pam_files');
    const findTask = {
      name: `Find the PAM stack files that call ${p.module}`,
      'ansible.builtin.find': { paths: '/etc/pam.d', patterns: files, contains: `.*${p.module}\\.so.*` },
      register: found,
    };
    const replaceTask = (name: string, regexp: string, replace: string) => ({
      name,
      'ansible.builtin.replace': { path: '{{ item.path }}', regexp, replace },
      loop: `{{ ${found}.files }}`,
      loop_control: { label: '{{ item.path }}' },
    });
    const argsRe = args.map(reEscape).join('|');
    let text: string;
    let shell: string;
    let tasks: Record<string, unknown>[];
    if (p.op === 'absent') {
      text = `Remove ${args.map((a) => `\`${a}\``).join(', ')} from the ${p.module} ${p.stack} lines of ${paths.join(', ')}.`;
      shell = fileLoop(`sed -i -E '/${lineSel}/ s/[[:space:]]+(${argsRe})(=[^[:space:]]*)?([[:space:]]|$)/\\3/g' "$f"`);
      tasks = [
        findTask,
        replaceTask(
          ctx.title || `Remove ${args.join(', ')} from ${p.module}`,
          `${pyLine}.*?)[ \\t]+(?:${argsRe})(?:=\\S*)?(?=[ \\t]|$)`,
          '\\1',
        ),
      ];
    } else if (conf) {
      text =
        v === undefined
          ? `Set \`${confLine}\` in ${conf} (or give the ${p.module} ${p.stack} lines of ${paths.join(', ')} the argument \`${arg}\`).`
          : `Set \`${confLine}\` in ${conf} and remove any \`${arg}\` argument from the ${p.module} lines of ` +
            `${paths.join(', ')} (an argument there overrides the file).`;
      const sedConf =
        v === undefined
          ? `sed -i -E 's/^[#[:space:]]*${reEscape(key)}[[:space:]]*$/${key}/' ${conf}\n` +
            `grep -Eq '^[[:space:]]*${reEscape(key)}[[:space:]]*(=|$)' ${conf} || printf '%s\\n' ${shQuote(confLine)} >> ${conf}`
          : `sed -i -E 's/^[#[:space:]]*${reEscape(key)}[[:space:]]*=.*$/${confLine}/' ${conf}\n` +
            `grep -Eq '^[[:space:]]*${reEscape(key)}[[:space:]]*=' ${conf} || printf '%s\\n' ${shQuote(confLine)} >> ${conf}`;
      shell =
        `touch ${conf}\n${sedConf}\n` +
        (v === undefined
          ? ''
          : fileLoop(`sed -i -E '/${lineSel}/ s/[[:space:]]+${reEscape(arg)}=[^[:space:]]*//g' "$f"`));
      tasks = [
        {
          name: ctx.title || `Set ${key} in ${conf}`,
          'ansible.builtin.lineinfile': {
            path: conf,
            regexp: v === undefined ? `^\\s*#?\\s*${reEscape(key)}\\s*$` : `^\\s*#?\\s*${reEscape(key)}\\s*=`,
            line: confLine,
            create: true,
            mode: '0644',
            state: 'present',
          },
        },
        ...(v === undefined
          ? []
          : [
              findTask,
              replaceTask(
                `Remove ${arg}= from the ${p.module} lines (it would override ${conf})`,
                `${pyLine}.*?)[ \\t]+${reEscape(arg)}=\\S*`,
                '\\1',
              ),
            ]),
      ];
    } else {
      text = `Give the ${p.module} ${p.stack} lines of ${paths.join(', ')} the argument \`${setting}\`.`;
      const sedBody =
        v === undefined
          ? `sed -i -E '/${lineSel}/ { /[[:space:]]${reEscape(arg)}([[:space:]]|$)/! s/[[:space:]]*$/ ${arg}/ }' "$f"`
          : `sed -i -E '/${lineSel}/ { s/([[:space:]])${reEscape(arg)}=[^[:space:]]*/\\1${setting}/; /[[:space:]]${reEscape(arg)}=/! s/[[:space:]]*$/ ${setting}/ }' "$f"`;
      shell = fileLoop(sedBody);
      tasks = [
        findTask,
        ...(v === undefined
          ? []
          : [replaceTask(`Set ${setting} where ${p.module} has another value`, `${pyLine}.*[ \\t])${reEscape(arg)}=(?!${reEscape(v)}(?:[ \\t]|$))\\S*`, `\\1${setting}`)]),
        replaceTask(
          ctx.title || `Add ${setting} to ${p.module}`,
          `${pyLine}(?!.*[ \\t]${reEscape(arg)}(?:=|[ \\t]|$)).*?)[ \\t]*$`,
          `\\1 ${setting}`,
        ),
      ];
    }
    if (requireModule && p.op !== 'absent')
      text += ` ${p.module} must be in the ${p.stack} stack: on Debian/Ubuntu through a pam-auth-update profile, on RHEL-family hosts through authselect.`;

    // ---- scenarios ----
    const debianFile = `/etc/pam.d/${files.find((f) => !['system-auth', 'password-auth'].includes(f)) ?? files[0]}`;
    const stackLine = (extra: string) => `${p.stack}\trequired\t${p.module}.so${extra ? ` ${extra}` : ''}\n`;
    const other = p.module === 'pam_unix' ? '' : `${p.stack}\t[success=1 default=ignore]\tpam_unix.so\n`;
    const withStack = (extra: string, confText?: string): Omit<Scenario, 'name'> => {
      const sc: Omit<Scenario, 'name'> = { sets: { 'pam.files': { [debianFile]: `${other}${stackLine(extra)}` } } };
      if (p.config_fact && confText !== undefined) {
        if (p.config_fact === 'pam.pwquality') (sc.sets as Record<string, unknown>)[p.config_fact] = { [conf as string]: confText };
        else sc.files = { [p.config_fact]: confText };
      } else if (p.config_fact) {
        if (p.config_fact === 'pam.pwquality') (sc.sets as Record<string, unknown>)[p.config_fact] = {};
        else sc.files = { [p.config_fact]: null };
      }
      return sc;
    };
    let bad = p.bad !== undefined ? scalarText(p.bad) : undefined;
    if (bad === undefined && v !== undefined && /^-?\d+$/.test(v))
      bad = String(p.op === 'gte' ? Number(v) - 1 : Number(v) + 1);
    const pass: Scenario[] = [];
    const fail: Scenario[] = [];
    if (p.op === 'absent') {
      pass.push({ name: `${p.module} without ${arg}`, ...withStack('') });
      fail.push({ name: `${p.module} ${arg}`, ...withStack(arg) });
    } else {
      pass.push({ name: `${p.module} ${setting}`, ...withStack(setting) });
      if (conf) {
        pass.push({ name: `${confLine} in ${conf}`, ...withStack('', `${confLine}\n`) });
        if (bad !== undefined) {
          fail.push({ name: `${key} = ${bad} in ${conf}`, ...withStack('', `${key} = ${bad}\n`) });
          fail.push({ name: `${arg}=${bad} on the line overrides ${conf}`, ...withStack(`${arg}=${bad}`, `${confLine}\n`) });
        }
      } else if (bad !== undefined) fail.push({ name: `${p.module} ${arg}=${bad}`, ...withStack(`${arg}=${bad}`) });
      {
        const okValue = (x: string): boolean => {
          if ((p.allow ?? []).some((a) => scalarText(a) === x)) return true;
          if (p.min !== undefined && Number(x) < p.min) return false;
          if (p.op === 'gte') return Number(x) >= Number(v);
          if (p.op === 'lte') return Number(x) <= Number(v);
          return p.op === 'present' ? false : x.toLowerCase() === (v ?? '').toLowerCase();
        };
        const defaultPasses = p.default !== undefined && okValue(scalarText(p.default));
        if (!defaultPasses) fail.push({ name: `${p.module} without ${arg}`, ...withStack('', conf ? '' : undefined) });
      }
      if (requireModule)
        fail.push({
          name: `${p.module} not in the ${p.stack} stack`,
          sets: { 'pam.files': { [debianFile]: other || `${p.stack}\trequired\tpam_permit.so\n` } },
          ...(p.config_fact === 'pam.pwquality' ? { sets: { 'pam.files': { [debianFile]: other || `${p.stack}\trequired\tpam_permit.so\n` }, 'pam.pwquality': { [conf as string]: `${confLine}\n` } } } : {}),
          ...(p.config_fact && p.config_fact !== 'pam.pwquality' ? { files: { [p.config_fact]: `${confLine}\n` } } : {}),
        });
    }
    return {
      rule,
      remediation: {
        text,
        impact:
          'Applies at the next authentication or password change, without a restart. A mistake in a PAM stack can ' +
          'lock everyone out: keep a root session open while testing. On Debian/Ubuntu pam-auth-update rewrites ' +
          'the common-* files from /usr/share/pam-configs, and on RHEL-family hosts authselect rewrites system-auth ' +
          'and password-auth: make the change in the profile they are written from.',
        shell,
        ansible: ansibleTasks(tasks),
        risky: true,
      },
      scenarios: { pass, fail },
    };
  },
};
