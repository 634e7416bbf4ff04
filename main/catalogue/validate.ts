/**
 * Validation of catalogue files: the zod schema plus what only main knows (evaluator names and parameters, sysctl
 * keys the collector gathers, Ansible tasks that parse). Every error names the file, the check id and the field.
 */
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { CheckSchema, type Check, type Rule } from '../../shared/checks/schema.js';
import { FACTS, type FactId } from '../../shared/facts/registry.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { evaluatorByName } from '../engine/evaluators/index.js';
import { factsOfRule } from '../engine/rule-facts.js';
import { sysctlFact } from '../engine/templates/sysctl.js';
import { expandTemplate, TemplateError } from './templates/index.js';

/** Formats a zod issue path as `rule.rules[1].op`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${String(p)}`;
  return out === '' ? '(check)' : out;
}

function issueText(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): { field: string; message: string } {
  const first = issues[0];
  if (!first) return { field: '(check)', message: 'invalid' };
  // For a union, zod reports one issue with nested errors; name the deepest field that was wrong.
  const nested = (first as { errors?: z.core.$ZodIssue[][] }).errors;
  if (first.code === 'invalid_union' && nested && nested.length > 0) {
    const best = nested
      .filter((n) => n.length > 0)
      .sort((a, b) => (b[0]?.path.length ?? 0) - (a[0]?.path.length ?? 0))[0];
    if (best) return issueText(best, [...prefix, ...first.path]);
  }
  if (first.code === 'unrecognized_keys') {
    const key = first.keys[0] ?? '?';
    return { field: fieldPath([...prefix, ...first.path, key]), message: `unknown field '${key}'` };
  }
  return { field: fieldPath([...prefix, ...first.path]), message: first.message };
}

function fail(file: string, id: string, field: string, message: string): never {
  throw new FoureyesError('bad_input', `${file}: check '${id}': field ${field}: ${message}`, {
    file,
    checkId: id,
    field,
  });
}

function walkRule(rule: Rule, path: string, visit: (r: Rule, path: string) => void): void {
  visit(rule, path);
  if (rule.type === 'all' || rule.type === 'any' || rule.type === 'none')
    rule.rules.forEach((r, i) => walkRule(r, `${path}.rules[${i}]`, visit));
  if (rule.type === 'by_platform') {
    for (const [k, r] of Object.entries(rule.cases)) if (r) walkRule(r, `${path}.cases.${k}`, visit);
    if (rule.default) walkRule(rule.default, `${path}.default`, visit);
  }
}

function checkRuleSemantics(file: string, id: string, rule: Rule): void {
  walkRule(rule, 'rule', (r, path) => {
    if (r.type === 'attestation' && path !== 'rule')
      fail(file, id, `${path}.type`, 'an attestation is the whole rule of its check, never part of another rule');
    if (r.type === 'evaluator') {
      const ev = evaluatorByName(r.name);
      if (!ev) fail(file, id, `${path}.name`, `unknown evaluator '${r.name}'`);
      const res = ev.params.safeParse(r.params ?? {});
      if (!res.success) {
        const t = issueText(res.error.issues);
        fail(file, id, `${path}.params${t.field === '(check)' ? '' : `.${t.field}`}`, t.message);
      }
    }
    if (r.type === 'sysctl') {
      const fact = sysctlFact(r.key);
      const def = FACTS[fact];
      if (def.kind !== 'command' || !def.script.includes(r.key))
        fail(file, id, `${path}.key`, `sysctl key '${r.key}' is not collected by fact ${fact}`);
    }
  });
}

/** Validates one raw check object (as parsed from YAML), its template expanded first, and normalises it. */
export function validateCheck(raw: unknown, file: string, index: number): Check {
  const rawId =
    typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string'
      ? (raw as { id: string }).id.slice(0, 100)
      : `#${index + 1}`;
  let expanded: unknown;
  try {
    expanded = expandTemplate(raw);
  } catch (e) {
    if (e instanceof TemplateError) fail(file, rawId, e.field, e.message);
    throw e;
  }
  const res = CheckSchema.safeParse(expanded);
  if (!res.success) {
    const t = issueText(res.error.issues);
    fail(file, rawId, t.field, t.message);
  }
  const c = res.data;
  checkRuleSemantics(file, c.id, c.rule);
  if (c.remediation.ansible !== undefined) {
    let task: unknown;
    try {
      task = parseYaml(c.remediation.ansible);
    } catch (e) {
      fail(
        file,
        c.id,
        'remediation.ansible',
        `not valid YAML: ${(e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''}`,
      );
    }
    if (typeof task !== 'object' || task === null)
      fail(file, c.id, 'remediation.ansible', 'expected an Ansible task (a mapping or a list with one task)');
  }
  const facts = new Set<FactId>(c.facts as FactId[]);
  factsOfRule(c.rule, facts);
  return { ...c, facts: [...facts].sort() } as Check;
}

/** Parses and validates the text of one catalogue file. */
export function parseCatalogueFile(text: string, file: string): Check[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new FoureyesError(
      'bad_input',
      `${file}: not valid YAML: ${(e instanceof Error ? e.message : String(e)).split('\n')[0] ?? ''}`,
      { file },
    );
  }
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc))
    throw new FoureyesError('bad_input', `${file}: expected a list of checks at the top level`, { file });
  return doc.map((raw, i) => validateCheck(raw, file, i));
}
