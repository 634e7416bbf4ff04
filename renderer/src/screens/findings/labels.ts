/** Words for the findings' states, and the lists the filters and selects offer (from the domain's lists). */
import { FINDING_STATUSES, REVIEW_STATES, STATUSES_NEEDING_REASON, type FindingStatus, type ReviewState } from '../../../../shared/model/finding.js';
import { SEVERITIES, type Severity } from '../../../../shared/model/results.js';

export const STATUS_LABEL: Record<FindingStatus, string> = {
  open: 'open',
  confirmed: 'confirmed',
  false_positive: 'false positive',
  accepted_risk: 'accepted risk',
  fixed: 'fixed',
  verified_fixed: 'verified fixed',
};

export const REVIEW_LABEL: Record<ReviewState, string> = {
  draft: 'draft',
  in_review: 'in review',
  approved: 'approved',
};

export const STATUSES: readonly FindingStatus[] = FINDING_STATUSES;
export const REVIEWS: readonly ReviewState[] = REVIEW_STATES;
/** Most severe first. */
export const SEVERITY_ORDER: readonly Severity[] = [...SEVERITIES].reverse();

export function needsReason(status: FindingStatus): boolean {
  return STATUSES_NEEDING_REASON.includes(status);
}
