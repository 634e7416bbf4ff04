/**
 * Check templates: a check may say `template: <kind>` with `params:` instead of writing `rule:` and
 * `remediation:` by hand. The template writes the rule, the remediation (text, impact, shell, Ansible) and default
 * scenarios from its parameters; whatever the check gives beside `template:` wins (`remediation:` field by field).
 * Expansion runs before validation, so an expanded check is validated by the same schema as a hand-written one.
 */
import type { z } from 'zod';
import { TemplateError, type Generated, type TemplateKind } from './common.js';
import { fileMode } from './file-mode.js';
import { kernelModuleDisabled } from './kernel-module.js';
import { loginDefs } from './login-defs.js';
import { mountOption } from './mount-option.js';
import { auditRule } from './audit-rule.js';
import { pamModuleTemplate } from './pam-module.js';
import { packageAbsent } from './package-absent.js';
import { serviceDisabled } from './service-disabled.js';
import { sshdOption } from './sshd-option.js';
import { sysctl } from './sysctl.js';

export { TemplateError } from './common.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const KINDS: readonly TemplateKind<any>[] = [
  sshdOption,
  sysctl,
  fileMode,
  packageAbsent,
  loginDefs,
  kernelModuleDisabled,
  serviceDisabled,
  mountOption,
  auditRule,
  pamModuleTemplate,
];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TEMPLATES: ReadonlyMap<string, TemplateKind<any>> = new Map(KINDS.map((k) => [k.kind, k]));

function fieldOf(path: readonly PropertyKey[]): string {
  let out = 'params';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

type Issue = z.core.$ZodIssue;

// For a union of parameter forms, the form the author meant: the one with the fewest unknown keys, then the
// fewest issues; within it an unknown key (a typo, most often) comes first.
function firstIssue(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): Issue | undefined {
  const first = issues[0];
  const nested = (first as { errors?: Issue[][] } | undefined)?.errors;
  if (first?.code !== 'invalid_union' || !nested || nested.length === 0) {
    const pick = issues.find((i) => i.code === 'unrecognized_keys') ?? first;
    return pick && { ...pick, path: [...prefix, ...pick.path] };
  }
  const unknown = (list: Issue[]) =>
    list.reduce((n, i) => n + (i.code === 'unrecognized_keys' ? i.keys.length : 0), 0);
  const best = nested
    .filter((n) => n.length > 0)
    .sort((a, b) => unknown(a) * 100 + a.length - (unknown(b) * 100 + b.length))[0];
  return best ? firstIssue(best, [...prefix, ...first.path]) : first;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The check with its template expanded; a check without `template:` is returned as it is. Throws TemplateError
 * naming the field for an unknown kind or a bad parameter.
 */
export function expandTemplate(raw: unknown): unknown {
  // An expanded check (as a scan export carries it) names its template as a record: nothing to expand.
  if (!isObject(raw) || !('template' in raw) || isObject(raw.template)) return raw;
  const { template, params, ...given } = raw;
  if (typeof template !== 'string') throw new TemplateError('template', 'template kind expected (a name)');
  const kind = TEMPLATES.get(template);
  if (!kind)
    throw new TemplateError(
      'template',
      `unknown template '${template}' (known: ${[...TEMPLATES.keys()].join(', ')})`,
    );
  const res = kind.params.safeParse(params ?? {});
  if (!res.success) {
    const issue = firstIssue(res.error.issues);
    let path = issue?.path ?? [];
    let message = issue?.message ?? 'invalid';
    if (issue?.code === 'unrecognized_keys') {
      path = [...path, issue.keys[0] ?? '?'];
      message = `unknown parameter '${issue.keys[0] ?? '?'}'`;
    }
    throw new TemplateError(fieldOf(path), message);
  }
  const ctx = {
    id: typeof given.id === 'string' ? given.id : '',
    title: typeof given.title === 'string' ? given.title : '',
  };
  const gen: Generated = kind.expand(res.data, ctx);
  const out: Record<string, unknown> = { rule: gen.rule };
  if (gen.platforms) out.platforms = gen.platforms;
  if (gen.scenarios) out.scenarios = gen.scenarios;
  Object.assign(out, given);
  out.remediation = isObject(given.remediation)
    ? { ...gen.remediation, ...given.remediation }
    : (given.remediation ?? gen.remediation);
  const overrides = [
    ...(['rule', 'platforms'] as const).filter((k) => k in given),
    ...(isObject(given.remediation)
      ? Object.keys(given.remediation).map((k) => `remediation.${k}`)
      : 'remediation' in given
        ? ['remediation']
        : []),
  ];
  out.template = { kind: template, params: isObject(params) ? params : {}, overrides };
  return out;
}
