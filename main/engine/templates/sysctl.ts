/** Template `sysctl`: runtime value from sysctl.net (net.*) or sysctl.kernel; persistent settings shown as evidence. */
import type { FactId } from '../../../shared/facts/registry.js';
import type { SysctlRule } from '../../../shared/checks/rules.js';
import type { Evidence } from '../../../shared/model/results.js';
import { compare, describeExpectation } from '../compare.js';
import { textSources, type EvalContext } from '../context.js';
import { outcome, type Outcome } from '../outcome.js';
import { parseSysctl } from '../parsers/sysctl.js';
import { excerpt, targetText as tt } from '../parsers/text.js';

export function sysctlFact(key: string): FactId {
  return key.startsWith('net.') ? 'sysctl.net' : 'sysctl.kernel';
}

// Where the key is set persistently (sysctl.conf, sysctl.d); evidence only, never decisive.
function persistentEvidence(ctx: EvalContext, key: string): Evidence[] {
  if (ctx.unavailable('sysctl.config') !== null) return [];
  const out: Evidence[] = [];
  for (const src of textSources(ctx, 'sysctl.config')) {
    const e = parseSysctl(src.content).get(key);
    if (e && out.length < 5)
      out.push({
        factId: 'sysctl.config',
        path: src.path ?? '',
        line: e.line,
        excerpt: excerpt(`persistent: ${e.text.trim()}`),
      });
  }
  return out;
}

export function evalSysctl(ctx: EvalContext, rule: SysctlRule): Outcome {
  const factId = sysctlFact(rule.key);
  const expected = describeExpectation(rule.key, rule.op, rule.value);
  const cmd = ctx.command(factId);
  if (cmd.problem === 'missing')
    return outcome(
      'error',
      expected,
      'not collected',
      `the command collecting ${factId} could not run (tool missing)`,
    );
  const entry = ctx.memo(`sysctl:${factId}`, () => parseSysctl(cmd.stdout)).get(rule.key);
  const persistent = persistentEvidence(ctx, rule.key);
  if (!entry) {
    const missing = rule.missing ?? 'fail';
    const reason = `${rule.key} does not exist on this kernel`;
    return outcome(
      missing,
      expected,
      `${rule.key} absent`,
      missing === 'fail' ? `${reason}; expected ${expected}` : reason,
      persistent,
    );
  }
  const evidence: Evidence[] = [
    { factId, line: entry.line, excerpt: excerpt(entry.text.trim()) },
    ...persistent,
  ];
  const cmp = compare(entry.value, rule.op, rule.value);
  const value = tt(entry.value);
  const actual = `${rule.key} = ${value}`;
  if (cmp.ok)
    return outcome('pass', expected, actual, `${rule.key} is ${value}, as required`, evidence);
  return outcome('fail', expected, actual, `${rule.key} is ${value}; expected ${expected}`, evidence);
}
