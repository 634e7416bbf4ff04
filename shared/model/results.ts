/** Verdicts and results: the output of evaluating one check against one snapshot. */

export const VERDICTS = ['pass', 'fail', 'not_applicable', 'error', 'manual'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * What a result shows: its stored verdict, or `waived` when an approved waiver that still verifies covers its check
 * on its host (main/waivers/overlay.ts). Stored results never hold `waived`; re-scans and lapsed waivers need no
 * rewrite.
 */
export const SHOWN_VERDICTS = [...VERDICTS, 'waived'] as const;
export type ShownVerdict = (typeof SHOWN_VERDICTS)[number];

/** Stored verdicts a waiver covers: a pass and a not-applicable result show as they are. */
export const WAIVABLE_VERDICTS: readonly Verdict[] = ['fail', 'error', 'manual'];

/** Counts per stored verdict, and `waived` when any result shows as waived. */
export type ShownCounts = Record<Verdict, number> & { waived?: number };

/** Adds `n` results shown as `verdict` to `counts`. */
export function addCount(counts: ShownCounts, verdict: ShownVerdict, n: number): void {
  if (verdict === 'waived') counts.waived = (counts.waived ?? 0) + n;
  else counts[verdict] += n;
}

/** A count per verdict, every verdict at zero. */
export function zeroVerdictCounts(): Record<Verdict, number> {
  return { pass: 0, fail: 0, not_applicable: 0, error: 0, manual: 0 };
}

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FAMILIES = ['hardening', 'aaa', 'drift'] as const;
export type Family = (typeof FAMILIES)[number];

/**
 * One piece of evidence. Its schema is in ./evidence.ts, so that this module (read by the CLI's fast start of
 * `assess`) builds no schema and loads no validator.
 */
import type { Evidence } from './evidence.js';
export type { Evidence };

export interface CheckResult {
  checkId: string;
  verdict: Verdict;
  /** What the check wanted, in words a reader understands ("PermitRootLogin no"). */
  expected: string;
  /** What was found ("PermitRootLogin yes (/etc/ssh/sshd_config:32)"). */
  actual: string;
  /** One sentence: why this verdict. */
  reason: string;
  evidence: Evidence[];
  /** True when the verdict is `manual` because the facts needed root and the scan ran unprivileged. */
  needsPrivilege?: boolean;
}

/** Ordering used for severity thresholds (CLI exit codes, filters). */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
