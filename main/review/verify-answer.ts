/**
 * Verifying a review answer as it arrives: its form (a refusal names the JSON path), the reviewer's key against
 * the stated fingerprint, each approval's signature by that key over the approval message of the finding,
 * revision and content hash it names, the reviewer's signature over the whole, the reviewer's checkpoint, and the
 * bytes (exactly the canonical form). Whether the decisions still fit the findings is decided on applying them.
 */
import { FoureyesError } from '../../shared/model/errors.js';
import { approvalMessage, sha256Hex } from '../findings/content.js';
import { signatureValid } from '../people/keys.js';
import { ANSWER_FORMAT, MAX_ANSWER_BYTES, ReviewAnswerSchema, type ReviewAnswer } from './format.js';
import { checkCanonical, decodeBase64, readSigned, shown } from './signed-file.js';
import {
  checkFileSignature,
  checkSigner,
  checkSignerCheckpoint,
  type CheckedSigner,
} from './verify-signer.js';

const WHAT = 'review answer';

export interface VerifiedAnswer {
  answer: ReviewAnswer;
  reviewer: CheckedSigner;
  sha256: string;
}

const refuse = (path: string, message: string): never => {
  throw new FoureyesError('bad_input', `this ${WHAT} is refused: ${path} ${message}`, { path });
};

export function verifyAnswer(bytes: Uint8Array): VerifiedAnswer {
  const answer = readSigned(bytes, ReviewAnswerSchema, WHAT, MAX_ANSWER_BYTES);
  if (answer.format !== ANSWER_FORMAT) refuse('format', `is not ${ANSWER_FORMAT}`);
  const reviewer = checkSigner(answer.reviewer, 'reviewer', WHAT);
  const seen = new Set<string>();
  answer.decisions.forEach((d, i) => {
    const at = `decisions[${i}]`;
    const which = `(finding ${shown(d.findingId)})`;
    if (seen.has(d.findingId)) refuse(at, `${which} decides a finding decided before in the answer`);
    seen.add(d.findingId);
    if (d.decision === 'reject') {
      if (d.comment === undefined) refuse(`${at}.comment`, `${which} is missing: a rejection says why`);
      if (d.approvalSignature !== undefined)
        refuse(`${at}.approvalSignature`, `${which} is given for a rejection`);
      return;
    }
    if (d.approvalSignature === undefined)
      refuse(`${at}.approvalSignature`, `${which} is missing: an approval is signed`);
    const sig = decodeBase64(d.approvalSignature!, `${at}.approvalSignature`, WHAT);
    if (!signatureValid(reviewer.key, approvalMessage(d.findingId, d.revision, d.contentHash), sig))
      refuse(
        `${at}.approvalSignature`,
        `${which} is not the signature of ${shown(reviewer.profile.name)} (${reviewer.profile.fingerprint}) over revision ${d.revision} with content hash ${d.contentHash.slice(0, 12)}…`,
      );
  });
  checkFileSignature(answer, reviewer, WHAT);
  checkSignerCheckpoint(answer.checkpoint, answer.reviewer.personId, reviewer, WHAT);
  checkCanonical(bytes, answer, WHAT);
  return { answer, reviewer, sha256: sha256Hex(bytes) };
}
