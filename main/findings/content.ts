/**
 * What a reviewer approves: the content of a finding as canonical JSON (RFC 8785, the `canonicalize` package) and
 * its SHA-256. The content is what the customer reads and what decided it: title, severity, status, notes,
 * recommendation, each host's part with the hash of its evidence, each attachment's hash, and the revision. Any
 * change to one of them changes the hash, so an approval made before no longer verifies.
 *
 * The signature is over a message that names what it is (`foureyes.finding-approval.v1`), the finding, the
 * revision and the hash, so a signature made for anything else (an audit event, another finding) never passes.
 */
import type { Attachment, Finding, FindingHost } from '../../shared/model/finding.js';
import {
  approvalMessage as typedApprovalMessage,
  canonicalJson,
  contentHashOf,
  sha256Hex,
  signatureValid,
} from '../approval/signature.js';
import type { Workspace } from '../store/db.js';

export { canonicalJson, sha256Hex, signatureValid };

export interface FindingContent {
  id: string;
  title: string;
  severity: string;
  status: string;
  notes: string;
  recommendation: string;
  hosts: { checkId: string; hostId: string | null; name: string; state: string; evidenceSha256: string }[];
  attachments: { name: string; sha256: string }[];
  revision: number;
}

/** What of a host part is content. */
export type PartContent = Pick<FindingHost, 'checkId' | 'hostId' | 'targetName' | 'state' | 'actual' | 'evidence'>;

export function contentOf(f: Finding, parts: readonly PartContent[], attachments: readonly Attachment[]): FindingContent {
  return {
    id: f.id,
    title: f.title,
    severity: f.severity,
    status: f.status,
    notes: f.notes,
    recommendation: f.recommendation,
    hosts: parts
      .map((p) => ({
        checkId: p.checkId,
        hostId: p.hostId,
        name: p.targetName,
        state: p.state,
        evidenceSha256: evidenceSha256(p.actual, p.evidence),
      }))
      .sort((a, b) => cmp(a.checkId, b.checkId) || cmp(a.name, b.name) || cmp(a.hostId ?? '', b.hostId ?? '')),
    attachments: attachments
      .map((a) => ({ name: a.name, sha256: a.sha256 }))
      .sort((a, b) => cmp(a.sha256, b.sha256) || cmp(a.name, b.name)),
    revision: f.revision,
  };
}

/** Hashes of recent parts' evidence, by their plain JSON (equal JSON, equal values, equal canonical JSON). */
const evidenceHashes = new Map<string, string>();
const EVIDENCE_HASHES_KEPT = 2048;

/** SHA-256 of the canonical JSON of a part's actual and evidence (a rescan's content is hashed before and after). */
function evidenceSha256(actual: string, evidence: FindingHost['evidence']): string {
  const value = { actual, evidence };
  // A number JSON cannot hold has no canonical form (an error), and its plain JSON would be that of null.
  if (!evidence.every((e) => e.line === undefined || Number.isFinite(e.line))) return sha256Hex(canonicalJson(value));
  const key = JSON.stringify(value);
  let hash = evidenceHashes.get(key);
  if (hash === undefined) {
    hash = sha256Hex(canonicalJson(value));
    if (evidenceHashes.size >= EVIDENCE_HASHES_KEPT) evidenceHashes.clear();
    evidenceHashes.set(key, hash);
  }
  return hash;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function contentHash(c: FindingContent): string {
  return contentHashOf(c);
}

/** The content and its hash of a stored finding, read now. */
export function currentContent(ws: Workspace, f: Finding): { content: FindingContent; hash: string } {
  const content = contentOf(f, ws.findings.hosts.forFinding(f.id), ws.findings.attachments.forFinding(f.id));
  return { content, hash: contentHash(content) };
}

/** The bytes a reviewer signs to approve revision `revision` of finding `findingId` with content hash `hash`. */
export function approvalMessage(findingId: string, revision: number, hash: string): Buffer {
  return typedApprovalMessage('foureyes.finding-approval.v1', { findingId, revision, contentHash: hash });
}
