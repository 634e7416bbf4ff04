/** A finding's review state in words, with its approvals against what the engagement requires. */
import type { JSX } from 'react';
import type { ReviewState } from '../../../../shared/model/finding.js';
import { REVIEW_LABEL } from './labels.js';

export function ReviewBadge({
  state,
  approvals,
  required,
}: {
  state: ReviewState;
  approvals: number;
  required: number;
}): JSX.Element {
  return (
    <span className={`badge review-${state}`} data-testid="finding-review" data-review={state} data-approvals={approvals}>
      {REVIEW_LABEL[state]}
      {state !== 'draft' && required > 0 ? ` ${approvals}/${required}` : ''}
    </span>
  );
}
