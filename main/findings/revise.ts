/**
 * The one place a finding's reviewed content becomes a new revision, for a person's edit and a re-scan alike: the
 * revision goes up, and approvals given to the old content are voided, never silently kept: an approved finding
 * goes back to review, and the history and the audit trail say so.
 */
import type { Actor } from '../../shared/model/actor.js';
import type { Finding } from '../../shared/model/finding.js';
import type { AuditRecord, RecordAudit } from '../audit/types.js';
import type { Acting } from '../people/acting.js';
import type { Workspace } from '../store/db.js';

/** The acting person and where their audit events go; absent for a scan that no person is known to have run. */
export interface AuditContext {
  acting: Acting;
  record: RecordAudit;
}

/** Who makes a change: a person, or a scan's results (`actor` null). */
export interface ChangeSource {
  actor: Actor | null;
  scanId?: string;
  audit?: AuditContext;
}

export function audit(src: ChangeSource, r: AuditRecord): void {
  src.audit?.record(src.audit.acting, r);
}

/**
 * Stores `next` (whose content differs from `before`'s) as the next revision. Voids live approvals; an approved
 * finding returns to review. Returns the stored finding.
 */
export function storeRevision(ws: Workspace, before: Finding, next: Finding, src: ChangeSource, what: string): Finding {
  const revision = before.revision + 1;
  const live = ws.findings.review.approvals(before.id);
  let reviewState = next.reviewState;
  if (live.length > 0 || before.reviewState === 'approved') {
    const why = `${what} after approval (revision ${before.revision}): ${live.length} approval(s) voided`;
    ws.findings.review.voidApprovals(before.id, why);
    if (before.reviewState === 'approved') reviewState = 'in_review';
    const approvers = live.map((a) => ({ personId: a.reviewerId, name: a.reviewerName }));
    ws.findings.review.addChange({
      findingId: before.id,
      actor: src.actor,
      ...(src.scanId !== undefined ? { scanId: src.scanId } : {}),
      field: 'review',
      before: { state: before.reviewState, approvals: approvers },
      after: { state: reviewState, approvals: [] },
      reason: why,
      revision,
    });
    audit(src, {
      action: 'finding.approvals_void',
      object: { type: 'finding', id: before.id },
      reason: why,
      before: { reviewState: before.reviewState, revision: before.revision, approvers },
      after: { reviewState, revision },
    });
  }
  return ws.findings.save({ ...next, revision, reviewState });
}
