/**
 * Exporting a review package: the findings of an engagement that are in review, for a reviewer on another
 * workstation. Each finding goes with its content exactly as content.ts hashes it, the hash of each content field,
 * the evidence and attachment bytes behind the hashes in that content, and the people who wrote it; the package
 * carries the exporter's public profile and a signed checkpoint of this workspace's trail, and is signed as a whole
 * by the exporter (format.ts). The export is recorded in the trail (`review.export`) with the SHA-256 of the file
 * and each finding's revision and hash, which is what an answer is later held to (answer-import.ts).
 */
import { randomUUID } from 'node:crypto';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Finding } from '../../shared/model/finding.js';
import { makeCheckpoint } from '../audit/checkpoint.js';
import { appendEvent } from '../audit/trail.js';
import { canonicalJson, currentContent, sha256Hex, type FindingContent } from '../findings/content.js';
import type { Acting } from '../people/acting.js';
import { profileOf } from '../people/people.js';
import type { Workspace } from '../store/db.js';
import {
  CONTENT_FIELDS,
  PACKAGE_FORMAT,
  type PackageFinding,
  type PersonRef,
  type ReviewPackage,
} from './format.js';
import { shown, writeSigned } from './signed-file.js';

export interface ExportOptions {
  engagementId: string;
  /** Only these findings (each must be in review); default: every finding of the engagement in review. */
  findingIds?: readonly string[];
}

export interface ExportedPackage {
  id: string;
  /** The package file. */
  bytes: Buffer;
  findings: { id: string; title: string; revision: number; contentHash: string }[];
}

/** What the trail records of an export, and what an answer is checked against. */
export interface ExportRecord {
  engagementId: string;
  packageSha256: string;
  findings: { id: string; revision: number; contentHash: string }[];
  checkpoint: { count: number; headHash: string };
}

/** Per content field, the SHA-256 of its canonical JSON. */
export function fieldHashes(c: FindingContent): Record<(typeof CONTENT_FIELDS)[number], string> {
  return Object.fromEntries(CONTENT_FIELDS.map((f) => [f, sha256Hex(canonicalJson(c[f]))])) as Record<
    (typeof CONTENT_FIELDS)[number],
    string
  >;
}

export function exportReviewPackage(ws: Workspace, acting: Acting, opts: ExportOptions): ExportedPackage {
  return ws.tx(() => {
    const engagement = ws.engagements.require(opts.engagementId);
    const exporter = ws.people.byId(acting.actor.personId);
    if (!exporter)
      throw new FoureyesError('bad_input', `${acting.actor.name} is not a person of this workspace`);
    const findings = chosen(ws, opts);
    const ref = (personId: string): PersonRef => {
      const p = ws.people.byId(personId);
      if (!p)
        throw new FoureyesError(
          'store',
          `finding author ${personId} is not a person of this workspace: the package cannot name them`,
        );
      return { personId: p.id, name: p.name, fingerprint: p.fingerprint };
    };
    const items: PackageFinding[] = findings.map((f) => packageFinding(ws, f, ref));
    const id = randomUUID();
    const checkpoint = makeCheckpoint(ws, acting);
    const body: Omit<ReviewPackage, 'signature'> = {
      format: PACKAGE_FORMAT,
      id,
      createdAt: ws.audit.now(),
      exporter: { personId: exporter.id, profile: profileOf(exporter) },
      engagement: {
        id: engagement.id,
        name: engagement.name,
        approvalsRequired: ws.findings.approvalsRequired(engagement.id),
      },
      findings: items,
      checkpoint,
    };
    const { bytes } = writeSigned(body, acting);
    const record: ExportRecord = {
      engagementId: engagement.id,
      packageSha256: sha256Hex(bytes),
      findings: items.map((f) => ({ id: f.content.id, revision: f.revision, contentHash: f.contentHash })),
      checkpoint: { count: checkpoint.count, headHash: checkpoint.headHash },
    };
    appendEvent(ws, acting, {
      action: 'review.export',
      object: { type: 'review_package', id },
      details: { ...record },
    });
    return {
      id,
      bytes,
      findings: items.map((f) => ({
        id: f.content.id,
        title: f.content.title,
        revision: f.revision,
        contentHash: f.contentHash,
      })),
    };
  });
}

/** The findings to export: those asked for (each in review, in this engagement), else all in review. */
function chosen(ws: Workspace, opts: ExportOptions): Finding[] {
  if (opts.findingIds === undefined) {
    const all = ws.findings.list(opts.engagementId, { reviewStates: ['in_review'] });
    if (all.length === 0)
      throw new FoureyesError(
        'bad_input',
        'no finding of this engagement is in review: submit findings for review before exporting them',
      );
    return all;
  }
  if (opts.findingIds.length === 0) throw new FoureyesError('bad_input', 'no finding to export was named');
  return [...new Set(opts.findingIds)].map((fid) => {
    const f = ws.findings.require(fid);
    if (f.engagementId !== opts.engagementId)
      throw new FoureyesError(
        'bad_input',
        `finding "${shown(f.title)}" (${fid}) belongs to another engagement`,
      );
    if (f.reviewState !== 'in_review')
      throw new FoureyesError(
        'bad_input',
        `finding "${shown(f.title)}" (${fid}) is ${f.reviewState === 'draft' ? 'a draft' : 'approved'}, not in review: only findings in review are exported`,
      );
    return f;
  });
}

function packageFinding(ws: Workspace, f: Finding, ref: (personId: string) => PersonRef): PackageFinding {
  const { content, hash } = currentContent(ws, f);
  const parts = ws.findings.hosts.forFinding(f.id);
  // content.hosts is sorted; the evidence follows the same order, matched by the hash each part carries.
  const byHash = new Map<string, { checkId: string; name: string; actual: string; evidence: unknown[] }[]>();
  for (const p of parts) {
    const h = sha256Hex(canonicalJson({ actual: p.actual, evidence: p.evidence }));
    const list = byHash.get(`${p.checkId}\0${p.targetName}\0${h}`) ?? [];
    list.push({ checkId: p.checkId, name: p.targetName, actual: p.actual, evidence: p.evidence });
    byHash.set(`${p.checkId}\0${p.targetName}\0${h}`, list);
  }
  const evidence = content.hosts.map((h) =>
    byHash.get(`${h.checkId}\0${h.name}\0${h.evidenceSha256}`)!.shift()!,
  );
  const attachments = ws.findings.attachments.forFinding(f.id).map((a) => ({
    name: a.name,
    mediaType: a.mediaType,
    size: a.size,
    sha256: a.sha256,
    data: ws.findings.attachments.bytes(a.id).toString('base64'),
  }));
  return {
    // FindingContent types severity and status as text; they come from this finding's typed fields
    content: content as PackageFinding['content'],
    revision: f.revision,
    contentHash: hash,
    fieldHashes: fieldHashes(content),
    context: {
      key: f.key,
      catalogueSeverity: f.catalogueSeverity,
      severityReason: f.severityReason,
      statusReason: f.statusReason,
      tags: f.tags,
      customerOwner: f.customerOwner,
      dueDate: f.dueDate,
    },
    evidence: evidence as PackageFinding['evidence'],
    attachments,
    authors: ws.findings.review.authors(f.id).map(ref),
    submittedBy: f.submittedBy === null ? null : ref(f.submittedBy),
  };
}
