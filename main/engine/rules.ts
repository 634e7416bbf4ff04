/** Rule dispatch: templates, combinators, by_platform, and the evaluator escape hatch. */
import type { ByPlatformRule, CombinatorRule, Rule } from '../../shared/checks/rules.js';
import type { Evidence } from '../../shared/model/results.js';
import type { EvalContext } from './context.js';
import { evaluatorByName } from './evaluators/index.js';
import {
  CheckNotApplicable,
  FactUnavailable,
  outcome,
  outcomeOfUnavailable,
  type Outcome,
} from './outcome.js';
import { bounded } from './parsers/text.js';
import { evalFileMode } from './templates/file-mode.js';
import { evalKeyValue } from './templates/key-value.js';
import { evalCommandOutput, evalLines } from './templates/lines.js';
import { evalEmptyOutput, evalMountOption, evalPackage } from './templates/simple.js';
import { evalSshdOption } from './templates/sshd.js';
import { evalSysctl } from './templates/sysctl.js';

/** A short description of what a rule wants, for outcomes that never reached the rule (unavailable facts). */
export function ruleSummary(rule: Rule): string {
  switch (rule.type) {
    case 'sshd_option':
      return `sshd ${rule.option}`;
    case 'sysctl':
      return rule.key;
    case 'key_value':
      return `${rule.key} in ${rule.fact}`;
    case 'file_mode':
      return `permissions of ${rule.path ?? rule.fact}`;
    case 'lines':
    case 'command_output':
      return `${rule.expect} /${rule.pattern}/ in ${rule.fact}`;
    case 'empty_output':
      return `no findings in ${rule.fact}`;
    case 'package':
      return `${rule.names.join('|')} ${rule.expect}`;
    case 'mount_option':
      return `${rule.mount_point} options`;
    case 'evaluator':
      return rule.name;
    case 'by_platform':
      return 'platform-specific rule';
    case 'attestation':
      return rule.question;
    default:
      return `${rule.type} of ${rule.rules.length} rules`;
  }
}

function joinEvidence(outs: Outcome[]): Evidence[] {
  return outs.flatMap((o) => o.evidence).slice(0, 40);
}

// Verdict precedence when nothing decides: error beats manual (a broken fact is worse than a missing privilege).
// The mark of systemd unit state forbidden without systemd stays only on an `all` of such rules (see evalCombinator).
function undecided(outs: Outcome[], expected: string): Outcome | null {
  const err = outs.find((o) => o.verdict === 'error');
  if (err) return { ...err, expected };
  const man = outs.find((o) => o.verdict === 'manual');
  if (man) {
    const { forbidsUnitsWithoutSystemd: _f, ...rest } = man;
    return { ...rest, expected };
  }
  return null;
}

function evalCombinator(ctx: EvalContext, rule: CombinatorRule): Outcome {
  const outs = rule.rules.map((r) => evalRule(ctx, r));
  const relevant = outs.filter((o) => o.verdict !== 'not_applicable');
  const sep = rule.type === 'any' ? ' OR ' : ' AND ';
  const expected = bounded(
    rule.type === 'none'
      ? `none of: ${outs.map((o) => o.expected).join('; ')}`
      : outs.map((o) => o.expected).join(sep),
  );
  if (relevant.length === 0) return { ...(outs[0] as Outcome), expected, verdict: 'not_applicable' };
  const passes = relevant.filter((o) => o.verdict === 'pass');
  const fails = relevant.filter((o) => o.verdict === 'fail');
  const actualOf = (os: Outcome[]) => bounded(os.map((o) => o.actual).join('; '));
  if (rule.type === 'all') {
    // Every condition forbids systemd units on a host without systemd: the mark goes up with the first of them.
    if (relevant.every((o) => o.forbidsUnitsWithoutSystemd !== undefined)) return { ...(relevant[0] as Outcome), expected };
    if (fails.length > 0) {
      const reason =
        fails.length === 1
          ? (fails[0] as Outcome).reason
          : `${fails.length} of ${relevant.length} conditions fail: ${fails.map((f) => f.reason).join('; ')}`;
      return outcome('fail', expected, actualOf(fails), bounded(reason), joinEvidence(fails));
    }
    const u = undecided(relevant, expected);
    if (u) return u;
    return outcome(
      'pass',
      expected,
      actualOf(relevant),
      `all ${relevant.length} conditions hold`,
      joinEvidence(relevant),
    );
  }
  if (rule.type === 'any') {
    if (passes.length > 0) {
      const p = passes[0] as Outcome;
      return outcome('pass', expected, p.actual, p.reason, p.evidence);
    }
    const u = undecided(relevant, expected);
    if (u) return u;
    return outcome(
      'fail',
      expected,
      actualOf(fails),
      bounded(`none of ${relevant.length} alternatives holds: ${fails.map((f) => f.reason).join('; ')}`),
      joinEvidence(fails),
    );
  }
  // none
  if (passes.length > 0) {
    return outcome(
      'fail',
      expected,
      actualOf(passes),
      bounded(`condition that must not hold does: ${passes.map((p) => p.reason).join('; ')}`),
      joinEvidence(passes),
    );
  }
  const u = undecided(relevant, expected);
  if (u) return u;
  return outcome(
    'pass',
    expected,
    actualOf(relevant),
    'none of the excluded conditions holds',
    joinEvidence(relevant),
  );
}

function evalByPlatform(ctx: EvalContext, rule: ByPlatformRule): Outcome {
  const p = ctx.platform?.platform ?? null;
  const chosen =
    (p !== null ? (rule.cases[p] ?? (p === 'ubuntu' ? rule.cases.debian : undefined)) : undefined) ??
    rule.default;
  if (!chosen) {
    const what = p ?? ctx.platformProblem ?? 'unknown platform';
    throw new CheckNotApplicable(
      outcome(
        'not_applicable',
        rule.describe ?? 'a platform-specific rule',
        `platform ${what}`,
        `no rule for platform ${what}`,
      ),
    );
  }
  return evalRule(ctx, chosen);
}

/**
 * Evaluates one rule. Fact problems become error/manual outcomes; only CheckNotApplicable (the check as a whole
 * does not apply to this host) propagates, to evaluateCheck.
 */
export function evalRule(ctx: EvalContext, rule: Rule): Outcome {
  const o = evalRuleRaw(ctx, rule);
  return rule.describe !== undefined ? { ...o, expected: rule.describe } : o;
}

function evalRuleRaw(ctx: EvalContext, rule: Rule): Outcome {
  try {
    switch (rule.type) {
      case 'all':
      case 'any':
      case 'none':
        return evalCombinator(ctx, rule);
      case 'by_platform':
        return evalByPlatform(ctx, rule);
      case 'sshd_option':
        return evalSshdOption(ctx, rule);
      case 'sysctl':
        return evalSysctl(ctx, rule);
      case 'key_value':
        return evalKeyValue(ctx, rule);
      case 'file_mode':
        return evalFileMode(ctx, rule);
      case 'lines':
        return evalLines(ctx, rule);
      case 'command_output':
        return evalCommandOutput(ctx, rule);
      case 'empty_output':
        return evalEmptyOutput(ctx, rule);
      case 'package':
        return evalPackage(ctx, rule);
      case 'mount_option':
        return evalMountOption(ctx, rule);
      case 'attestation':
        // Answered or not, an attestation is decided in evaluateCheck (it needs the check's answer); nested, never.
        return outcome('error', rule.question, 'attestation inside another rule', 'an attestation must be the whole rule of its check');
      case 'evaluator': {
        const ev = evaluatorByName(rule.name);
        if (!ev)
          return outcome('error', rule.name, 'unknown evaluator', `evaluator ${rule.name} is not registered`);
        const params = ev.params.safeParse(rule.params ?? {});
        if (!params.success)
          return outcome(
            'error',
            rule.name,
            'invalid parameters',
            `parameters of evaluator ${rule.name} are invalid`,
          );
        return ev.run(ctx, params.data);
      }
    }
  } catch (e) {
    if (e instanceof FactUnavailable) return outcomeOfUnavailable(e, rule.describe ?? ruleSummary(rule), ctx.snapshot);
    throw e;
  }
}
