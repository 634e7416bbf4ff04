/** Verdict, severity and state badges: colour plus a word, so meaning never rests on colour alone. */
import type { JSX } from 'react';
import type { Severity, Verdict } from '../../../shared/model/results.js';

const VERDICT_LABEL: Record<Verdict, string> = {
  pass: 'pass',
  fail: 'fail',
  not_applicable: 'n/a',
  error: 'error',
  manual: 'manual',
};

export function VerdictBadge({ verdict }: { verdict: Verdict }): JSX.Element {
  return (
    <span className={`badge verdict-${verdict}`} data-verdict={verdict}>
      {VERDICT_LABEL[verdict]}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: Severity }): JSX.Element {
  return (
    <span className={`badge severity-${severity}`} data-severity={severity}>
      {severity}
    </span>
  );
}

/** Host run or scan state (queued, connecting, ..., done, failed, cancelled, interrupted, running). */
export function StateBadge({ state, testId }: { state: string; testId?: string }): JSX.Element {
  return (
    <span className={`badge state-${state}`} data-state={state} data-testid={testId}>
      {state}
    </span>
  );
}
