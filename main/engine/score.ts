/**
 * Score of a set of results.
 *
 *   score = 100 * sum(w(severity) over pass) / sum(w(severity) over pass + fail)
 *
 * with weights info 0, low 1, medium 3, high 6, critical 10. not_applicable, error and manual results do not
 * count (they are reported in `counts`). Rounded to one decimal. `score` is null when nothing weighted was
 * decided (no pass or fail with a non-zero weight), so "100" never means "nothing was checked".
 * Without a severity lookup every result weighs 1.
 */
import { VERDICTS, type CheckResult, type Severity, type Verdict } from '../../shared/model/results.js';

export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  info: 0,
  low: 1,
  medium: 3,
  high: 6,
  critical: 10,
};

export interface Score {
  score: number | null;
  counts: Record<Verdict, number>;
  /** Sum of weights of passing results and of passing + failing results. */
  passedWeight: number;
  totalWeight: number;
}

export function scoreResults(
  results: readonly CheckResult[],
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
  tally: Iterable<{ verdict: Verdict; severity: Severity; n: number }>,
): Score {
  return weigh(Array.from(tally, (t) => ({ verdict: t.verdict, n: t.n, weight: SEVERITY_WEIGHTS[t.severity] })));
}

/** Counts every verdict; pass and fail results add their weight to the total, pass also to the passed weight. */
function weigh(items: Iterable<{ verdict: Verdict; n: number; weight: number }>): Score {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  let passed = 0;
  let total = 0;
  for (const t of items) {
    if (!(t.verdict in counts)) continue;
    counts[t.verdict] += t.n;
    if (t.verdict !== 'pass' && t.verdict !== 'fail') continue;
    const w = t.weight * t.n;
    total += w;
    if (t.verdict === 'pass') passed += w;
  }
  return finish(counts, passed, total);
}

function finish(counts: Record<Verdict, number>, passed: number, total: number): Score {
  return {
    score: total === 0 ? null : Math.round((1000 * passed) / total) / 10,
    counts,
    passedWeight: passed,
    totalWeight: total,
  };
}
