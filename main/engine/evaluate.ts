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
import { createContext, snapshotScope, type SnapshotScope } from './context.js';
import { CheckNotApplicable, type Outcome } from './outcome.js';
import { bounded, MAX_EXCERPT_CHARS } from './parsers/text.js';
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
export function evaluateCheck(snapshot: FactSnapshot, check: Check, scope?: SnapshotScope): CheckResult {
  try {
    const ctx = createContext(snapshot, scope ?? snapshotScope(snapshot));
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
    return finish(check.id, evalRule(ctx, check.rule));
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

/** Evaluates every check against one snapshot, in catalogue order; each fact is parsed once for all of them. */
export function evaluateAll(snapshot: FactSnapshot, checks: readonly Check[]): CheckResult[] {
  let scope: SnapshotScope;
  try {
    scope = snapshotScope(snapshot);
  } catch {
    return checks.map((c) => evaluateCheck(snapshot, c));
  }
  return checks.map((c) => evaluateCheck(snapshot, c, scope));
}
