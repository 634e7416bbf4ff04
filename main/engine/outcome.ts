/** The internal result of evaluating one rule; evaluateCheck turns the top one into a CheckResult. */
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import type { Evidence, Verdict } from '../../shared/model/results.js';
import { targetText } from './parsers/text.js';

export interface Outcome {
  verdict: Verdict;
  expected: string;
  actual: string;
  reason: string;
  evidence: Evidence[];
  needsPrivilege?: boolean;
  /**
   * Set on a manual outcome when systemd is not the host's service manager and every rule under it forbids systemd
   * unit state: a check whose whole rule is such is not_applicable, for this reason (the units cannot be enabled or
   * active).
   */
  forbidsUnitsWithoutSystemd?: string;
}

/** The exact reason given when a fact needs root and the scan ran without it. */
export const NEEDS_ROOT_REASON = 'needs root; host assessed unprivileged';

/**
 * The reason when the scan read root-only facts through restricted sudo rules and none of the commands they allow
 * could read this one.
 */
export function notInSudoRulesReason(user: string): string {
  return `needs root: not in the sudo rules granted to ${user ? targetText(user) : 'the login user'}`;
}

/** Thrown by fact accessors when a fact cannot be used; caught by the rule evaluator and turned into an Outcome. */
export class FactUnavailable extends Error {
  readonly factId: string;
  /** `privilege` -> manual (needs root); `error` -> error. */
  readonly kind: 'privilege' | 'denied' | 'error';
  readonly why: string;

  constructor(factId: string, kind: 'privilege' | 'denied' | 'error', why: string) {
    // A verdict, not a fault: thrown and caught inside the evaluation, so no stack is captured (that is most of
    // its cost when a whole catalogue meets an unprivileged snapshot).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(why);
    Error.stackTraceLimit = limit;
    this.factId = factId;
    this.kind = kind;
    this.why = why;
    this.name = 'FactUnavailable';
  }
}

/**
 * Thrown when the whole check does not apply (e.g. a by_platform rule has no case for this host). Unlike a
 * not_applicable child outcome, which combinators skip, this ends the evaluation of the check.
 */
export class CheckNotApplicable extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.reason);
    this.name = 'CheckNotApplicable';
  }
}

export function outcomeOfUnavailable(u: FactUnavailable, expected: string, snapshot?: Pick<FactSnapshot, 'sudo'>): Outcome {
  if (u.kind === 'privilege') {
    return {
      verdict: 'manual',
      expected,
      actual: `${u.factId} not readable without root`,
      reason: snapshot?.sudo ? notInSudoRulesReason(snapshot.sudo.user) : NEEDS_ROOT_REASON,
      evidence: [],
      needsPrivilege: true,
    };
  }
  if (u.kind === 'denied') {
    return {
      verdict: 'manual',
      expected,
      actual: `${u.factId}: ${u.why}`,
      reason: `permission denied reading ${u.factId} even with root; review by hand`,
      evidence: [],
    };
  }
  return {
    verdict: 'error',
    expected,
    actual: `${u.factId}: ${u.why}`,
    reason: `fact ${u.factId} could not be used: ${u.why}`,
    evidence: [],
  };
}

export function outcome(
  verdict: Verdict,
  expected: string,
  actual: string,
  reason: string,
  evidence: Evidence[] = [],
): Outcome {
  return { verdict, expected, actual, reason, evidence };
}
