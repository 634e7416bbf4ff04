/**
 * What an approver of a waiver signs: the SHA-256 of the canonical JSON (RFC 8785) of what was requested (the
 * waiver's id, engagement, check, host, reason, owner, expiry date, requester and time), in a message of type
 * `foureyes.waiver-approval.v1` (main/approval/signature.ts). A waiver applies only while its approval verifies
 * against its row as stored now: a row edited with plain SQL (another host, a later date, another reason, a
 * signature copied from elsewhere) no longer does, and is shown with why.
 */
import type { PublicKeyOf } from '../people/acting.js';
import { approvalMessage as typedApprovalMessage, contentHashOf, signatureValid } from '../approval/signature.js';
import { daysBetween } from '../../shared/model/waiver-dates.js';
import type { Waiver, WaiverState, WaiverView } from '../../shared/model/waiver.js';

export interface WaiverContent {
  id: string;
  engagementId: string;
  checkId: string;
  hostId: string | null;
  hostName: string | null;
  reason: string;
  owner: string | null;
  expiresOn: string;
  requestedBy: string;
  requestedAt: string;
}

export function waiverContent(w: Omit<WaiverContent, 'requestedBy' | 'requestedAt'> & { requestedBy: { personId: string; at: string } }): WaiverContent {
  return {
    id: w.id,
    engagementId: w.engagementId,
    checkId: w.checkId,
    hostId: w.hostId,
    hostName: w.hostName,
    reason: w.reason,
    owner: w.owner,
    expiresOn: w.expiresOn,
    requestedBy: w.requestedBy.personId,
    requestedAt: w.requestedBy.at,
  };
}

export const waiverHash = (c: WaiverContent): string => contentHashOf(c);

/** The bytes an approver signs to approve waiver `waiverId` with content hash `hash`. */
export const waiverApprovalMessage = (waiverId: string, hash: string): Buffer =>
  typedApprovalMessage('foureyes.waiver-approval.v1', { waiverId, contentHash: hash });

/** Why an approved waiver's approval does not hold for the row as stored, or undefined when it does. */
export function approvalProblem(w: Waiver, publicKeyOf: PublicKeyOf): string | undefined {
  const a = w.approval;
  if (!a) return 'it has no approval';
  const hash = waiverHash(waiverContent(w));
  const who = `the approval by ${a.name} of ${a.at}`;
  if (w.contentHash !== hash || a.contentHash !== hash)
    return `${who} is for other content (the waiver as stored hashes to ${hash.slice(0, 12)}…, approved ${a.contentHash.slice(0, 12)}…)`;
  if (a.personId === w.requestedBy.personId) return `${who} is by the person who requested it`;
  const key = publicKeyOf(a.personId);
  if (!key) return `${who} cannot be checked: no public key is known for ${a.name}`;
  if (!signatureValid(key, waiverApprovalMessage(w.id, hash), a.signature))
    return `${who} has a signature that does not verify with ${a.name}'s key`;
  return undefined;
}

/**
 * Why an approved waiver does not apply: its approval does not hold, or the trail records it revoked or rejected
 * (`ended`: the row was put back to approved with plain SQL); undefined when it applies.
 */
export function applyProblem(w: Waiver, publicKeyOf: PublicKeyOf, ended: ReadonlySet<string>): string | undefined {
  if (ended.has(w.id)) return 'the audit trail records it revoked or rejected, yet the waiver as stored is approved';
  return approvalProblem(w, publicKeyOf);
}

/** The audit actions after which a waiver never applies again. */
export const ENDING_ACTIONS = ['waiver.revoke', 'waiver.reject'] as const;

/** The shown state, days until expiry and whether the waiver applies on `today` (YYYY-MM-DD, UTC). */
export function waiverView(w: Waiver, today: string, publicKeyOf: PublicKeyOf, ended: ReadonlySet<string> = new Set()): WaiverView {
  const daysUntilExpiry = daysBetween(today, w.expiresOn);
  const lapsed = w.state === 'approved' && daysUntilExpiry <= 0;
  const shownState: WaiverState = lapsed ? 'lapsed' : w.state;
  const problem = shownState === 'approved' ? (applyProblem(w, publicKeyOf, ended) ?? null) : null;
  return { ...w, shownState, daysUntilExpiry, applies: shownState === 'approved' && problem === null, problem };
}
