/**
 * Answering a review package on the reviewer's workstation: per finding of the package, approve or reject it.
 * An approval is the reviewer's signature over the same approval message the in-workspace approval signs
 * (content.ts `approvalMessage`: finding, revision, content hash), so the exporting workspace checks it exactly as
 * its own. The four-eye rule holds: nobody the package names as an author or the submitter of a finding may decide
 * on it. The answer carries the reviewer's public profile and a signed checkpoint of this workspace's trail, is
 * signed as a whole (format.ts) and recorded here (`review.answer`); a package is answered once.
 */
import { randomUUID } from 'node:crypto';
import { FoureyesError } from '../../shared/model/errors.js';
import { ReasonSchema } from '../../shared/model/finding.js';
import { makeCheckpoint } from '../audit/checkpoint.js';
import { appendEvent } from '../audit/trail.js';
import { approvalMessage, sha256Hex } from '../findings/content.js';
import type { Acting } from '../people/acting.js';
import { profileOf } from '../people/people.js';
import type { Workspace } from '../store/db.js';
import { parseInput } from '../store/input.js';
import { ensureColleague } from './colleague.js';
import { ANSWER_FORMAT, type Decision, type PackageFinding, type ReviewAnswer } from './format.js';
import { storedPackage } from './import.js';
import { shown, writeSigned } from './signed-file.js';

export interface ReviewDecision {
  findingId: string;
  decision: 'approve' | 'reject';
  /** Why: required for a rejection (it goes back to draft with it), optional for an approval. */
  comment?: string;
}

export interface ReviewAnswerFile {
  id: string;
  bytes: Buffer;
  decisions: { findingId: string; title: string; decision: 'approve' | 'reject' }[];
}

export function answerReview(
  ws: Workspace,
  acting: Acting,
  packageId: string,
  decisions: readonly ReviewDecision[],
): ReviewAnswerFile {
  if (decisions.length === 0)
    throw new FoureyesError(
      'bad_input',
      'an answer needs at least one decision (approve or reject a finding)',
    );
  return ws.tx(() => {
    const { pkg, exporter, sha256, stored } = storedPackage(ws, packageId);
    if (stored.answer)
      throw new FoureyesError(
        'bad_input',
        `review package ${packageId} was answered already, on ${stored.answer.at} (answer ${stored.answer.id}); a new review needs a new package`,
      );
    const me = ws.people.byId(acting.actor.personId);
    if (!me || me.origin !== 'local')
      throw new FoureyesError('bad_input', `${acting.actor.name} is not a person of this workstation`);
    ensureColleague(ws, exporter.profile, acting, 'exporter', 'review package');

    const byId = new Map(pkg.findings.map((f) => [f.content.id, f]));
    const seen = new Set<string>();
    const at = ws.audit.now();
    const signed: Decision[] = decisions.map((d) => {
      const f = byId.get(d.findingId);
      if (!f)
        throw new FoureyesError(
          'bad_input',
          `finding ${shown(d.findingId)} is not in review package ${packageId} (it holds ${[...byId.keys()].join(', ')})`,
        );
      if (seen.has(d.findingId))
        throw new FoureyesError(
          'bad_input',
          `finding "${shown(f.content.title)}" is decided twice in this answer`,
        );
      seen.add(d.findingId);
      if (d.decision !== 'approve' && d.decision !== 'reject')
        throw new FoureyesError(
          'bad_input',
          `decision for finding "${shown(f.content.title)}" must be approve or reject`,
        );
      fourEyes(me.name, me.fingerprint, f, d.decision);
      const comment =
        d.comment !== undefined || d.decision === 'reject'
          ? parseInput(
              ReasonSchema,
              d.comment,
              `${d.decision === 'reject' ? 'rejection' : 'approval'} comment`,
            )
          : undefined;
      const { id, revision } = f.content;
      return {
        findingId: id,
        decision: d.decision,
        ...(comment !== undefined ? { comment } : {}),
        revision,
        contentHash: f.contentHash,
        at,
        ...(d.decision === 'approve'
          ? {
              approvalSignature: acting.sign(approvalMessage(id, revision, f.contentHash)).toString('base64'),
            }
          : {}),
      };
    });

    const id = randomUUID();
    const checkpoint = makeCheckpoint(ws, acting);
    const body: Omit<ReviewAnswer, 'signature'> = {
      format: ANSWER_FORMAT,
      id,
      createdAt: at,
      package: {
        id: pkg.id,
        sha256,
        exporter: {
          personId: pkg.exporter.personId,
          name: exporter.profile.name,
          fingerprint: exporter.profile.fingerprint,
        },
      },
      reviewer: { personId: me.id, profile: profileOf(me) },
      decisions: signed,
      checkpoint,
    };
    const { bytes } = writeSigned(body, acting);
    appendEvent(ws, acting, {
      action: 'review.answer',
      object: { type: 'review_answer', id },
      details: {
        packageId: pkg.id,
        packageSha256: sha256,
        answerSha256: sha256Hex(bytes),
        decisions: signed.map((d) => ({
          findingId: d.findingId,
          decision: d.decision,
          revision: d.revision,
          contentHash: d.contentHash,
          ...(d.comment !== undefined ? { comment: d.comment } : {}),
        })),
        checkpoint: { count: checkpoint.count, headHash: checkpoint.headHash },
      },
    });
    ws.reviewPackages.markAnswered(pkg.id, id, me.id);
    return {
      id,
      bytes,
      decisions: signed.map((d) => ({
        findingId: d.findingId,
        title: byId.get(d.findingId)!.content.title,
        decision: d.decision,
      })),
    };
  });
}

/** The four-eye rule on the reviewer's side: the package names who wrote and who submitted each finding. */
function fourEyes(
  name: string,
  fingerprint: string,
  f: PackageFinding,
  decision: 'approve' | 'reject',
): void {
  const role = f.authors.some((a) => a.fingerprint === fingerprint)
    ? 'edited it'
    : f.submittedBy?.fingerprint === fingerprint
      ? 'submitted it for review'
      : undefined;
  if (role !== undefined)
    throw new FoureyesError(
      'not_permitted',
      `${name} cannot ${decision} finding "${shown(f.content.title)}": they ${role} (four-eye rule: a second person reviews)`,
      { findingId: f.content.id },
    );
}
