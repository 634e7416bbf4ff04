/**
 * The four-eye review of a finding: submit (draft -> in review), approve (a signature by the reviewer's key over
 * the content hash of the current revision; approved once the engagement's number of distinct approvers have
 * signed), reject (back to draft with a comment, voiding approvals). Nobody who edited any part of a finding, nor
 * the person who submitted it, may approve or reject it. A decision made on another workstation (an offline review
 * answer, main/review/) goes through the same commands with `remote`: the reviewer is the colleague who decided,
 * the approval their signature as carried, checked like one made here; the person importing it signs the event.
 */
import type { Actor } from '../../shared/model/actor.js';
import type { Acting, PublicKeyOf } from '../people/acting.js';
import type { RecordAudit } from '../audit/types.js';
import { ReasonSchema, type Finding } from '../../shared/model/finding.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Workspace } from '../store/db.js';
import { parseInput } from '../store/input.js';
import { signApproval } from '../approval/signature.js';
import { approvalMessage, currentContent, signatureValid } from './content.js';
import { audit, type ChangeSource } from './revise.js';

export interface ApproveResult {
  finding: Finding;
  /** Distinct live approvals of the current revision, and how many the engagement requires. */
  approvals: number;
  required: number;
}

/** A decision made elsewhere and brought back in a signed review answer. */
export interface RemoteDecision {
  /** The reviewer as this workspace knows them (their public key is what their signature is checked with). */
  reviewer: Actor;
  /** The revision and content hash decided on: a finding that has moved on since is refused, saying so. */
  revision: number;
  contentHash: string;
  /** When the reviewer decided. */
  at: string;
  /** The review answer it came in. */
  answerId: string;
}

export interface ReviewCommands {
  submit(acting: Acting, findingId: string): Finding;
  /** `remote`: record the approval a reviewer signed elsewhere (`acting` is the person importing it). */
  approve(
    acting: Acting,
    findingId: string,
    opts?: { expectedRevision?: number; remote?: RemoteDecision & { signature: string } },
  ): ApproveResult;
  reject(acting: Acting, findingId: string, comment: string, opts?: { remote?: RemoteDecision }): Finding;
  /** Sets how many distinct approvers each finding of the engagement needs; findings already decided follow. */
  setApprovalsRequired(acting: Acting, engagementId: string, n: number): void;
}

const STATE_WORDS = { draft: 'a draft', in_review: 'in review', approved: 'approved' } as const;

/** Refuses a remote decision on a finding edited since the revision the reviewer saw. */
function movedOn(f: Finding, remote: RemoteDecision): void {
  if (remote.revision !== f.revision)
    throw new FoureyesError(
      'bad_input',
      `finding "${f.title}" was edited since ${remote.reviewer.name} reviewed it (revision ${f.revision} now, the review was of revision ${remote.revision}): the decision is not applied; export it for review again`,
      { findingId: f.id, revision: f.revision, reviewed: remote.revision },
    );
}

/** What the trail adds about a decision made elsewhere: who decided, when, and in which answer. */
const remoteDetails = (remote: RemoteDecision | undefined) =>
  remote ? { reviewer: { ...remote.reviewer }, decidedAt: remote.at, answerId: remote.answerId } : {};

export function reviewCommands(
  ws: Workspace,
  deps: { recordAudit: RecordAudit; publicKeyOf: PublicKeyOf },
  source: (acting: Acting) => ChangeSource,
): ReviewCommands {
  const writable = (findingId: string): Finding => {
    const f = ws.findings.require(findingId);
    ws.engagements.requireWritable(f.engagementId);
    return f;
  };

  /** Refuses a review decision by an author of any part of the finding or by its submitter. */
  const fourEyes = (me: Actor, f: Finding, decision: 'approve' | 'reject'): void => {
    const role = ws.findings.review.authors(f.id).includes(me.personId)
      ? 'edited it'
      : f.submittedBy === me.personId
        ? 'submitted it for review'
        : undefined;
    if (role !== undefined)
      throw new FoureyesError(
        'not_permitted',
        `${me.name} cannot ${decision} finding "${f.title}": they ${role} (four-eye rule: a second person reviews)`,
        { findingId: f.id, personId: me.personId },
      );
  };

  const reviewChange = (actor: Actor, f: Finding, after: Finding, reason?: string) =>
    ws.findings.review.addChange({
      findingId: f.id,
      actor,
      field: 'review',
      before: { state: f.reviewState },
      after: { state: after.reviewState },
      ...(reason !== undefined ? { reason } : {}),
      revision: f.revision,
    });

  return {
    submit: (acting, findingId) =>
      ws.tx(() => {
        const f = writable(findingId);
        if (f.reviewState !== 'draft')
          throw new FoureyesError('bad_input', `finding "${f.title}" is ${STATE_WORDS[f.reviewState]}, not a draft`);
        const next = ws.findings.save({ ...f, reviewState: 'in_review', submittedBy: acting.actor.personId });
        reviewChange(acting.actor, f, next);
        audit(source(acting), {
          action: 'finding.submit',
          object: { type: 'finding', id: f.id },
          before: { reviewState: f.reviewState },
          after: { reviewState: next.reviewState },
          details: { revision: f.revision },
        });
        return next;
      }),

    approve: (acting, findingId, opts = {}) =>
      ws.tx(() => {
        const f = writable(findingId);
        const remote = opts.remote;
        if (f.reviewState !== 'in_review')
          throw new FoureyesError('bad_input', `finding "${f.title}" is ${STATE_WORDS[f.reviewState]}, not in review`);
        if (remote) movedOn(f, remote);
        else if (opts.expectedRevision !== undefined && opts.expectedRevision !== f.revision)
          throw new FoureyesError(
            'bad_input',
            `finding "${f.title}" changed since it was read (revision ${f.revision}, read at ${opts.expectedRevision}): review it again`,
          );
        const me = remote?.reviewer ?? acting.actor;
        fourEyes(me, f, 'approve');
        const live = ws.findings.review.approvals(f.id);
        if (live.some((a) => a.reviewerId === me.personId))
          throw new FoureyesError('bad_input', `${me.name} has already approved revision ${f.revision} of "${f.title}"`);
        const { hash } = currentContent(ws, f);
        if (remote && remote.contentHash !== hash)
          throw new FoureyesError(
            'bad_input',
            `finding "${f.title}" is not the content ${me.name} reviewed (its content hash is not the one approved): the approval is not applied`,
            { findingId: f.id },
          );
        const message = approvalMessage(f.id, f.revision, hash);
        const signature = remote?.signature ?? signApproval(acting, message);
        const key = deps.publicKeyOf(me.personId);
        if (!key || !signatureValid(key, message, signature))
          throw new FoureyesError(
            'not_permitted',
            `${me.name}'s approval cannot be verified: ${key ? 'the signing key is not the one the workspace holds for them' : 'the workspace holds no public key for them'}`,
          );
        ws.findings.review.addApproval({
          findingId: f.id,
          reviewerId: me.personId,
          reviewerName: me.name,
          revision: f.revision,
          contentHash: hash,
          signature,
          ...(remote ? { at: remote.at } : {}),
        });
        const approvals = new Set([...live.map((a) => a.reviewerId), me.personId]).size;
        const required = ws.findings.approvalsRequired(f.engagementId);
        ws.findings.review.addChange({
          findingId: f.id,
          actor: me,
          field: 'approval',
          before: null,
          after: {
            reviewer: me.name,
            revision: f.revision,
            contentHash: hash,
            approvals,
            required,
            ...(remote ? { answerId: remote.answerId, decidedAt: remote.at } : {}),
          },
          revision: f.revision,
        });
        let next = f;
        if (approvals >= required) {
          next = ws.findings.save({ ...f, reviewState: 'approved' });
          reviewChange(me, f, next);
        }
        audit(source(acting), {
          action: 'finding.approve',
          object: { type: 'finding', id: f.id },
          before: { reviewState: f.reviewState },
          after: { reviewState: next.reviewState },
          details: { revision: f.revision, contentHash: hash, approvals, required, ...remoteDetails(remote) },
        });
        return { finding: next, approvals, required };
      }),

    reject: (acting, findingId, comment, opts = {}) => {
      const why = parseInput(ReasonSchema, comment, 'rejection comment');
      const remote = opts.remote;
      return ws.tx(() => {
        const f = writable(findingId);
        if (f.reviewState !== 'in_review')
          throw new FoureyesError('bad_input', `finding "${f.title}" is ${STATE_WORDS[f.reviewState]}, not in review`);
        if (remote) {
          movedOn(f, remote);
          if (remote.contentHash !== currentContent(ws, f).hash)
            throw new FoureyesError(
              'bad_input',
              `finding "${f.title}" is not the content ${remote.reviewer.name} reviewed (its content hash differs): the rejection is not applied`,
              { findingId: f.id },
            );
        }
        const me = remote?.reviewer ?? acting.actor;
        fourEyes(me, f, 'reject');
        const voided = ws.findings.review.voidApprovals(f.id, `rejected by ${me.name}: ${why}`);
        const next = ws.findings.save({ ...f, reviewState: 'draft', submittedBy: null });
        reviewChange(me, f, next, why);
        audit(source(acting), {
          action: 'finding.reject',
          object: { type: 'finding', id: f.id },
          reason: why,
          before: { reviewState: f.reviewState },
          after: { reviewState: next.reviewState },
          details: { revision: f.revision, approvalsVoided: voided, ...remoteDetails(remote) },
        });
        return next;
      });
    },

    setApprovalsRequired: (acting, engagementId, n) =>
      ws.tx(() => {
        ws.engagements.requireWritable(engagementId);
        const before = ws.findings.approvalsRequired(engagementId);
        ws.findings.setApprovalsRequired(engagementId, n);
        if (before === n) return;
        const src = source(acting);
        audit(src, {
          action: 'engagement.approvals_required',
          object: { type: 'engagement', id: engagementId },
          before: { approvalsRequired: before },
          after: { approvalsRequired: n },
        });
        // Findings already decided follow the new rule: approved with too few go back to review, in review with
        // enough become approved.
        for (const f of ws.findings.list(engagementId, { reviewStates: ['in_review', 'approved'] })) {
          const count = new Set(ws.findings.review.approvals(f.id).map((a) => a.reviewerId)).size;
          const state = count >= n ? 'approved' : 'in_review';
          if (state === f.reviewState) continue;
          const next = ws.findings.save({ ...f, reviewState: state });
          const reason = `the engagement now requires ${n} approval(s); this finding has ${count}`;
          reviewChange(acting.actor, f, next, reason);
          audit(src, {
            action: 'finding.review_state',
            object: { type: 'finding', id: f.id },
            reason,
            before: { reviewState: f.reviewState },
            after: { reviewState: state },
          });
        }
      }),
  };
}
