/**
 * evaluateCheck: (snapshot, check) -> CheckResult. Pure: reads only its arguments, no I/O, no clock (time-based
 * checks measure against snapshot.collectedAt), deterministic, and never throws.
 *
 * Order of decisions:
 * 1. platform: a check restricted to platforms the host is not on -> not_applicable (reason names the platform);
 * 2. the rule: templates and evaluators read facts through the context, which turns an absent/erroneous fact
 *    into `error`, and a denied or root-only fact in an unprivileged scan into `manual` with needsPrivilege;
 * 3. the result is bounded: at most MAX_EVIDENCE evidence items, each excerpt at most 500 characters and each
 *    path at most MAX_EVIDENCE_PATH_CHARS (a whole name of PATH_MAX bytes in its text form).
 */
import { PLATFORMS, type Check } from '../../shared/checks/schema.js';
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import type { CheckResult, Evidence } from '../../shared/model/results.js';
import type { AttestationRule } from '../../shared/checks/rules.js';
import { createContext, snapshotScope, type AttestationAnswer, type SnapshotScope } from './context.js';
import { CheckNotApplicable, outcome, type Outcome } from './outcome.js';
import { bounded, MAX_EXCERPT_CHARS, targetText } from './parsers/text.js';
import { MAX_EVIDENCE, MAX_EVIDENCE_PATH_CHARS } from './limits.js';
import { evalRule } from './rules.js';

export { MAX_EVIDENCE, MAX_EVIDENCE_PATH_CHARS } from './limits.js';

function finish(checkId: string, o: Outcome): CheckResult {
  const evidence: Evidence[] = o.evidence.slice(0, MAX_EVIDENCE).map((e) => ({
    factId: String(e.factId).slice(0, 100),
    // Paths and excerpts are text forms already (names; excerpt()): bounded and guarded, never escaped twice.
    ...(e.path !== undefined ? { path: bounded(String(e.path), MAX_EVIDENCE_PATH_CHARS) } : {}),
    ...(e.line !== undefined ? { line: e.line } : {}),
    excerpt: bounded(String(e.excerpt), MAX_EXCERPT_CHARS),
  }));
  const r: CheckResult = {
    checkId,
    verdict: o.verdict,
    expected: bounded(o.expected),
    actual: bounded(o.actual),
    reason: bounded(o.reason),
    evidence,
  };
  if (o.needsPrivilege) r.needsPrivilege = true;
  return r;
}

/** `scope`: what checks evaluated against the same snapshot share (see evaluateAll); made afresh when absent. */
/**
 * The context of the checks evaluated against one scope: nothing in it is per check (the memo is the scope's), so it
 * is made once per snapshot rather than once per check.
 */
const CONTEXTS = new WeakMap<SnapshotScope, ReturnType<typeof createContext>>();
function sharedContext(scope: SnapshotScope): ReturnType<typeof createContext> {
  let ctx = CONTEXTS.get(scope);
  if (!ctx) {
    ctx = createContext(scope.snapshot, scope);
    CONTEXTS.set(scope, ctx);
  }
  return ctx;
}

export function evaluateCheck(snapshot: FactSnapshot, check: Check, scope?: SnapshotScope): CheckResult {
  try {
    const ctx = scope ? sharedContext(scope) : createContext(snapshot, snapshotScope(snapshot));
    if (check.platforms.length < PLATFORMS.length) {
      const p = ctx.platform?.platform ?? null;
      const wanted = check.platforms.join(', ');
      if (p === null) {
        return finish(check.id, {
          verdict: 'not_applicable',
          expected: `a host running ${wanted}`,
          actual: ctx.platformProblem ?? 'unknown platform',
          reason: `check applies to ${wanted} only; platform could not be determined (${ctx.platformProblem ?? 'unknown'})`,
          evidence: [],
        });
      }
      if (!check.platforms.includes(p)) {
        return finish(check.id, {
          verdict: 'not_applicable',
          expected: `a host running ${wanted}`,
          actual: `${p} (${ctx.platform?.prettyName ?? ''})`,
          reason: `check applies to ${wanted} only; host is ${p}${ctx.platform?.source === 'package-manager' ? ' (from its package manager: /etc/os-release names no known distribution)' : ''}`,
          evidence: [],
        });
      }
    }
    if (check.rule.type === 'attestation') return finish(check.id, attested(check, scope?.answers?.get(check.id)));
    const o = evalRule(ctx, check.rule);
    // Systemd units forbidden where systemd is not the service manager: they cannot be enabled or active.
    if (o.forbidsUnitsWithoutSystemd !== undefined)
      return finish(check.id, { ...o, verdict: 'not_applicable', reason: o.forbidsUnitsWithoutSystemd });
    return finish(check.id, o);
  } catch (e) {
    if (e instanceof CheckNotApplicable) return finish(check.id, e.outcome);
    const msg = e instanceof Error ? e.message : String(e);
    return finish(check.id, {
      verdict: 'error',
      expected: check.title,
      actual: 'evaluation failed',
      reason: `internal evaluation error: ${msg}`,
      evidence: [],
    });
  }
}

/**
 * An attestation check's outcome: unanswered is `manual` (a question for the consultant), answered is the answer's
 * verdict, with who answered, when and their note as the evidence.
 */
function attested(check: Check, a: AttestationAnswer | undefined): Outcome {
  const rule = check.rule as AttestationRule;
  if (!a)
    return outcome(
      'manual',
      rule.question,
      'not answered',
      `a question for the consultant, answered as an attestation (foureyes attest ${check.id})${rule.evidence ? `; ask to see: ${rule.evidence}` : ''}`,
    );
  const who = `answered ${a.answer.replace('_', ' ')} by ${targetText(a.by)} on ${a.at.slice(0, 10)}`;
  const evidence = [{ factId: 'attestation', excerpt: bounded(`${who}${a.note ? `: ${a.note}` : ''}`, 2000) }];
  if (a.answer === 'not_applicable') return outcome('not_applicable', rule.question, 'not applicable', who, evidence);
  const verdict = a.answer === rule.pass ? 'pass' : 'fail';
  return outcome(verdict, `${rule.question} (${rule.pass})`, a.answer, who, evidence);
}

/**
 * Evaluates every check against one snapshot, in catalogue order; each fact is parsed once for all of them. The
 * engagement's answers decide its attestation checks.
 */
export function evaluateAll(
  snapshot: FactSnapshot,
  checks: readonly Check[],
  answers?: ReadonlyMap<string, AttestationAnswer>,
): CheckResult[] {
  let scope: SnapshotScope;
  try {
    scope = { ...snapshotScope(snapshot), ...(answers ? { answers } : {}) };
  } catch {
    return checks.map((c) => evaluateCheck(snapshot, c));
  }
  return checks.map((c) => evaluateCheck(snapshot, c, scope));
}
