/**
 * Score of a set of results.
 *
 *   score = 100 * sum(w(severity) over pass) / sum(w(severity) over pass + fail)
 *
 * with weights info 0, low 1, medium 3, high 6, critical 10. not_applicable, error and manual results do not
 * count (they are reported in `counts`). A waived result (an accepted risk: a failure, error or manual result that
 * an approved waiver covers, main/waivers/) is neither passed nor failed: it leaves the failed count and the total
 * weight, and is counted apart in `counts.waived` (present when any result is waived). So waiving a failure raises
 * the score as if the check had not been run there, never as if it had passed. Rounded to one decimal. `score` is null when nothing weighted was
 * decided (no pass or fail with a non-zero weight), so "100" never means "nothing was checked".
 * Without a severity lookup every result weighs 1.
 */
import {
  addCount,
  zeroVerdictCounts,
  type CheckResult,
  type Severity,
  type ShownCounts,
  type ShownVerdict,
} from '../../shared/model/results.js';

export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  info: 0,
  low: 1,
  medium: 3,
  high: 6,
  critical: 10,
};

export interface Score {
  score: number | null;
  counts: ShownCounts;
  /** Sum of weights of passing results and of passing + failing results. */
  passedWeight: number;
  totalWeight: number;
}

export function scoreResults(
  results: readonly (Pick<CheckResult, 'checkId'> & { verdict: ShownVerdict })[],
  severityOf?: (checkId: string) => Severity | undefined,
): Score {
  return weigh(
    results.map((r) => {
      const sev = severityOf?.(r.checkId);
      return { verdict: r.verdict, n: 1, weight: sev !== undefined ? SEVERITY_WEIGHTS[sev] : 1 };
    }),
  );
}

/**
 * The same score from counts instead of the results themselves: `n` results with this verdict and severity, e.g.
 * one row of a SQL GROUP BY. Equal to `scoreResults` with each result weighed by its own severity.
 */
export function scoreTally(
  tally: Iterable<{ verdict: ShownVerdict; severity: Severity; n: number }>,
): Score {
  return weigh(Array.from(tally, (t) => ({ verdict: t.verdict, n: t.n, weight: SEVERITY_WEIGHTS[t.severity] })));
}

/** Counts every verdict; pass and fail results add their weight to the total, pass also to the passed weight. */
function weigh(items: Iterable<{ verdict: ShownVerdict; n: number; weight: number }>): Score {
  const counts: ShownCounts = zeroVerdictCounts();
  let passed = 0;
  let total = 0;
  for (const t of items) {
    if (!(t.verdict in counts) && t.verdict !== 'waived') continue;
    addCount(counts, t.verdict, t.n);
    if (t.verdict !== 'pass' && t.verdict !== 'fail') continue;
    const w = t.weight * t.n;
    total += w;
    if (t.verdict === 'pass') passed += w;
  }
  return finish(counts, passed, total);
}

function finish(counts: ShownCounts, passed: number, total: number): Score {
  return {
    score: total === 0 ? null : Math.round((1000 * passed) / total) / 10,
    counts,
    passedWeight: passed,
    totalWeight: total,
  };
}
