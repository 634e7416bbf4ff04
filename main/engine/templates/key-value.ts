/**
 * Template `key_value`: a setting in a key/value file or fileset. When a key is set several times the last
 * occurrence in reading order wins (login.defs, pwquality.conf.d, systemd drop-ins all behave so).
 */
import type { FactId } from '../../../shared/facts/registry.js';
import type { KeyValueRule } from '../../../shared/checks/rules.js';
import { compare, describeExpectation } from '../compare.js';
import { textSources, type EvalContext } from '../context.js';
import { outcome, type Outcome } from '../outcome.js';
import { globToRegExp } from '../parsers/glob.js';
import { parseKeyValue, type KvEntry } from '../parsers/keyvalue.js';
import { excerpt, targetText as tt } from '../parsers/text.js';

export function evalKeyValue(ctx: EvalContext, rule: KeyValueRule): Outcome {
  const expected = describeExpectation(rule.key, rule.op, rule.value);
  const filter = rule.path ? (p: string) => globToRegExp(rule.path as string).test(p) : undefined;
  const sources = textSources(ctx, rule.fact as FactId, filter);
  const key = rule.key.toLowerCase();
  const section = rule.section?.toLowerCase();
  let found: { entry: KvEntry; path: string | undefined } | undefined;
  for (const src of sources) {
    for (const e of ctx.memo(`kv\0${rule.style}\0${src.factId}\0${src.path ?? ''}`, () => parseKeyValue(src.content, rule.style))) {
      if (e.key.toLowerCase() === key && (section === undefined || e.section === section))
        found = { entry: e, path: src.path };
    }
  }
  const where =
    sources.length === 0
      ? 'no file present'
      : sources
          .map((s) => s.path ?? rule.fact)
          .slice(0, 5)
          .join(', ');
  let value: string;
  let actual: string;
  const evidence = found
    ? [
        {
          factId: rule.fact,
          ...(found.path ? { path: found.path } : {}),
          line: found.entry.line,
          excerpt: excerpt(found.entry.text.trim()),
        },
      ]
    : [];
  if (found) {
    value = found.entry.value;
    actual = `${rule.key} ${tt(value)} (${found.path ?? rule.fact}:${found.entry.line})`;
  } else {
    const missing = rule.missing ?? 'fail';
    if (missing === 'pass')
      return outcome(
        'pass',
        expected,
        `${rule.key} not set (${where})`,
        `${rule.key} is not set, which is acceptable here`,
      );
    if (missing === 'fail')
      return outcome(
        'fail',
        expected,
        `${rule.key} not set (${where})`,
        `${rule.key} is not set; expected ${expected}`,
      );
    value = String(missing.default);
    actual = `${rule.key} not set; built-in default ${value} (${where})`;
  }
  const cmp = compare(value, rule.op, rule.value);
  // A value read from the target is shown in its text form; a built-in default is the catalogue's.
  const shown = found ? tt(value) : value;
  if (cmp.ok) return outcome('pass', expected, actual, `${rule.key} is ${shown}, as required`, evidence);
  return outcome('fail', expected, actual, `${rule.key} is ${shown}; expected ${expected}`, evidence);
}
