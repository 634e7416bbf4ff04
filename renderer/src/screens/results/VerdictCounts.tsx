/**
 * Counts per verdict as a row of small labelled figures; optionally each one toggles a verdict filter. Waived
 * results (covered by an approved waiver) have their own figure when there are any.
 */
import type { JSX } from 'react';
import type { VerdictCounts as Counts } from '../../../../shared/api/schemas/common.js';
import { VERDICTS, type ShownVerdict } from '../../../../shared/model/results.js';

export const VERDICT_WORDS: Record<ShownVerdict, string> = {
  pass: 'pass',
  fail: 'fail',
  not_applicable: 'n/a',
  error: 'error',
  manual: 'manual',
  waived: 'waived',
};

interface Props {
  counts: Counts;
  testId?: string;
  /** When given, each figure is a toggle button for that verdict. */
  active?: readonly ShownVerdict[];
  onToggle?: (v: ShownVerdict) => void;
  /** Leave out verdicts with a zero count. */
  compact?: boolean;
}

export function VerdictCounts({ counts, testId, active, onToggle, compact = false }: Props): JSX.Element {
  const count = (v: ShownVerdict): number => (v === 'waived' ? (counts.waived ?? 0) : counts[v]);
  const shown = [...VERDICTS, 'waived' as const].filter(
    (v) => (!compact && v !== 'waived') || count(v) > 0 || (v === 'waived' && active?.includes(v) === true),
  );
  return (
    <span className="verdict-counts" data-testid={testId}>
      {shown.map((v) =>
        onToggle ? (
          <button
            key={v}
            type="button"
            className={`count-chip verdict-${v}${active?.includes(v) ? ' on' : ''}`}
            aria-pressed={active?.includes(v) ?? false}
            onClick={() => onToggle(v)}
            data-testid={`${testId ?? 'verdict-count'}-${v}`}
            data-count={count(v)}
          >
            <strong>{count(v)}</strong> {VERDICT_WORDS[v]}
          </button>
        ) : (
          <span key={v} className={`count-chip verdict-${v}`} data-verdict={v} data-count={count(v)}>
            <strong>{count(v)}</strong> {VERDICT_WORDS[v]}
          </span>
        ),
      )}
      {compact && shown.length === 0 && <span className="muted">—</span>}
    </span>
  );
}
