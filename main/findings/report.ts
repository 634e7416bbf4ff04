/**
 * What a report marked final may contain: approved findings only, each with who approved it and when. Every
 * approval is checked again against the finding as stored now (the workspace is a file anyone can edit): it must
 * be for the current revision and content hash, signed by the key the workspace holds for the reviewer, and the
 * reviewer must not be an author or the submitter. A finding whose approvals do not add up to the engagement's
 * number is left out and named with the reason.
 */
import { severityRank } from '../../shared/model/results.js';
import type { Attachment, Finding, FindingApproval, FindingHost } from '../../shared/model/finding.js';
import type { PublicKeyOf } from '../people/acting.js';
import type { Workspace } from '../store/db.js';
import { approvalMessage, currentContent, signatureValid } from './content.js';

export interface ReportFinding {
  finding: Finding;
  hosts: FindingHost[];
  attachments: Attachment[];
  contentHash: string;
  approvedBy: { personId: string; name: string; at: string }[];
}

export interface ExcludedFinding {
  findingId: string;
  title: string;
  /** Why it is left out, naming each approval that failed. */
  reason: string;
}

export interface FinalReport {
  engagementId: string;
  approvalsRequired: number;
  findings: ReportFinding[];
  /** Findings marked approved whose approvals do not verify. */
  excluded: ExcludedFinding[];
  /** Findings not approved (draft or in review): never in a final report. */
  notApproved: number;
}

/** Why one approval does not count for finding `f` with content hash `hash`, or undefined when it does. */
function approvalProblem(
  a: FindingApproval,
  f: Finding,
  hash: string,
  reviewers: { authors: readonly string[] },
  publicKeyOf: PublicKeyOf,
): string | undefined {
  const who = `the approval by ${a.reviewerName} of ${a.at}`;
  if (a.revision !== f.revision) return `${who} is for revision ${a.revision}, the finding is at ${f.revision}`;
  if (a.contentHash !== hash) return `${who} is for other content (hash ${a.contentHash.slice(0, 12)}…, now ${hash.slice(0, 12)}…)`;
  if (reviewers.authors.includes(a.reviewerId) || f.submittedBy === a.reviewerId)
    return `${who} is by an author or the submitter of the finding`;
  const key = publicKeyOf(a.reviewerId);
  if (!key) return `${who} cannot be checked: no public key is known for ${a.reviewerName}`;
  if (!signatureValid(key, approvalMessage(f.id, f.revision, hash), a.signature))
    return `${who} has a signature that does not verify with ${a.reviewerName}'s key`;
  return undefined;
}

export function finalReport(ws: Workspace, engagementId: string, publicKeyOf: PublicKeyOf): FinalReport {
  ws.engagements.require(engagementId);
  const required = ws.findings.approvalsRequired(engagementId);
  const findings: ReportFinding[] = [];
  const excluded: ExcludedFinding[] = [];
  const all = ws.findings.list(engagementId);
  for (const f of all.filter((x) => x.reviewState === 'approved')) {
    const { hash } = currentContent(ws, f);
    const authors = ws.findings.review.authors(f.id);
    const good = new Map<string, FindingApproval>();
    const problems: string[] = [];
    for (const a of ws.findings.review.approvals(f.id)) {
      const p = approvalProblem(a, f, hash, { authors }, publicKeyOf);
      if (p !== undefined) problems.push(p);
      else if (!good.has(a.reviewerId)) good.set(a.reviewerId, a);
    }
    if (good.size < required || problems.length > 0) {
      const count = `${good.size} of the ${required} approval(s) required verify`;
      excluded.push({ findingId: f.id, title: f.title, reason: [...problems, count].join('; ') });
      continue;
    }
    findings.push({
      finding: f,
      hosts: ws.findings.hosts.forFinding(f.id),
      attachments: ws.findings.attachments.forFinding(f.id),
      contentHash: hash,
      approvedBy: [...good.values()].map((a) => ({ personId: a.reviewerId, name: a.reviewerName, at: a.at })),
    });
  }
  findings.sort(
    (a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity) || (a.finding.key < b.finding.key ? -1 : 1),
  );
  return {
    engagementId,
    approvalsRequired: required,
    findings,
    excluded,
    notApproved: all.filter((x) => x.reviewState !== 'approved').length,
  };
}
