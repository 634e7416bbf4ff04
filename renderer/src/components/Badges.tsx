/** Verdict, severity and state badges: colour plus a word, so meaning never rests on colour alone. */
import type { JSX } from 'react';
import type { Severity, ShownVerdict } from '../../../shared/model/results.js';
import { scanOutcome } from '../../../shared/model/scan-outcome.js';
import type { HostRunState } from '../../../shared/model/workspace.js';

const VERDICT_LABEL: Record<ShownVerdict, string> = {
  pass: 'pass',
  fail: 'fail',
  not_applicable: 'n/a',
  error: 'error',
  manual: 'manual',
  waived: 'waived',
};

/** A result's verdict as shown: `waived` when an approved waiver covers it (its own badge, neither pass nor fail). */
export function VerdictBadge({ verdict }: { verdict: ShownVerdict }): JSX.Element {
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

/**
 * A scan's state in words and in the colour of its outcome: "done" in green only when every host was assessed;
 * "done, 1 of 1 host failed" in the failure colour. data-state is the scan's own state, data-tone the outcome.
 */
export function ScanStateBadge({
  scan,
  testId,
}: {
  scan: { state: string; hostStates: Readonly<Record<HostRunState, number>> };
  testId?: string;
}): JSX.Element {
  const o = scanOutcome(scan.state, scan.hostStates);
  return (
    <span
      className={`badge scan-tone-${o.tone}`}
      data-state={scan.state}
      data-tone={o.tone}
      data-failed={o.failed}
      data-testid={testId}
    >
      {o.text}
    </span>
  );
}
