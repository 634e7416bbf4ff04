/**
 * Bringing a review answer back to the workstation that exported the package. The answer is verified whole
 * (verify-answer.ts) and held to this workspace's own record of the export (`review.export` in the trail: the
 * package's file hash and each finding's revision and content hash); the reviewer is matched by key (a name known
 * here with another key is refused; someone new is added as a colleague). Each decision is then applied through
 * the findings' review commands (main/findings/review.ts), so an approval is the same row with the same signature
 * as one made here and finalReportFindings checks it alike; a finding edited since the export, or one the reviewer
 * may not decide on (four-eye rule), is refused for that finding alone, saying why. The import is recorded
 * (`review.answer_import`) with what was applied and what refused.
 */
import { FoureyesError } from '../../shared/model/errors.js';
import { appendEvent, recordAudit } from '../audit/trail.js';
import { findingService } from '../findings/service.js';
import type { Acting } from '../people/acting.js';
import { publicKeyOf } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';
import { ensureColleague } from './colleague.js';
import type { ExportRecord } from './package.js';
import { shown } from './signed-file.js';
import { verifyAnswer } from './verify-answer.js';

export interface AnswerOutcome {
  answerId: string;
  packageId: string;
  reviewer: { name: string; fingerprint: string; added: boolean };
  applied: { findingId: string; title: string; decision: 'approve' | 'reject'; reviewState: string }[];
  refused: { findingId: string; title: string | null; decision: 'approve' | 'reject'; reason: string }[];
}

/** This workspace's record of the export the answer is for. */
function exportRecord(ws: Workspace, packageId: string): ExportRecord {
  const ev = ws.audit.forObject('review_package', packageId).find((e) => e.action === 'review.export');
  if (!ev || ev.details === null)
    throw new FoureyesError(
      'bad_input',
      `this review answer is refused: it answers review package ${shown(packageId)}, which this workspace did not export`,
    );
  return JSON.parse(ev.details) as ExportRecord;
}

export function importReviewAnswer(ws: Workspace, acting: Acting, bytes: Uint8Array): AnswerOutcome {
  const { answer, reviewer, sha256 } = verifyAnswer(bytes);
  return ws.tx(() => {
    const record = exportRecord(ws, answer.package.id);
    if (record.packageSha256 !== answer.package.sha256)
      throw new FoureyesError(
        'bad_input',
        `this review answer is refused: package.sha256 is not the hash of the package ${shown(answer.package.id)} exported here: the reviewer answered another file`,
        { path: 'package.sha256' },
      );
    const before = ws.audit
      .forObject('review_answer', answer.id)
      .find((e) => e.action === 'review.answer_import');
    if (before)
      throw new FoureyesError(
        'bad_input',
        `this review answer was imported already, on ${before.at} by ${shown(before.actor_name)}`,
      );
    const { person, added } = ensureColleague(ws, reviewer.profile, acting, 'reviewer', 'review answer');
    const svc = findingService(ws, { recordAudit: recordAudit(ws), publicKeyOf: publicKeyOf(ws) });
    const exported = new Map(record.findings.map((f) => [f.id, f]));
    const out: AnswerOutcome = {
      answerId: answer.id,
      packageId: answer.package.id,
      reviewer: { name: person.name, fingerprint: person.fingerprint, added },
      applied: [],
      refused: [],
    };
    for (const d of answer.decisions) {
      const title = ws.findings.get(d.findingId)?.title ?? null;
      const refuse = (reason: string) =>
        out.refused.push({ findingId: d.findingId, title, decision: d.decision, reason });
      const was = exported.get(d.findingId);
      if (!was) {
        refuse(`finding ${shown(d.findingId)} was not in the package exported`);
        continue;
      }
      if (was.revision !== d.revision || was.contentHash !== d.contentHash) {
        refuse(
          `the decision is for revision ${d.revision} with content hash ${d.contentHash.slice(0, 12)}…, but the package held revision ${was.revision} with hash ${was.contentHash.slice(0, 12)}…`,
        );
        continue;
      }
      const remote = {
        reviewer: { personId: person.id, name: person.name },
        revision: d.revision,
        contentHash: d.contentHash,
        at: d.at,
        answerId: answer.id,
      };
      try {
        const f =
          d.decision === 'approve'
            ? svc.approve(acting, d.findingId, { remote: { ...remote, signature: d.approvalSignature! } })
                .finding
            : svc.reject(acting, d.findingId, d.comment!, { remote });
        out.applied.push({
          findingId: d.findingId,
          title: f.title,
          decision: d.decision,
          reviewState: f.reviewState,
        });
      } catch (e) {
        if (!(e instanceof FoureyesError)) throw e;
        refuse(e.message);
      }
    }
    appendEvent(ws, acting, {
      action: 'review.answer_import',
      object: { type: 'review_answer', id: answer.id },
      details: {
        packageId: answer.package.id,
        answerSha256: sha256,
        reviewer: { personId: person.id, name: person.name, fingerprint: person.fingerprint },
        applied: out.applied.map((a) => ({ findingId: a.findingId, decision: a.decision })),
        refused: out.refused.map((r) => ({ findingId: r.findingId, decision: r.decision, reason: r.reason })),
        checkpoint: { count: answer.checkpoint.count, headHash: answer.checkpoint.headHash },
      },
    });
    return out;
  });
}
