/**
 * Findings as a person works on them: read, edit, attach files, and the review (review.ts) and the final report
 * (report.ts). Every command takes the acting person, runs in one transaction, records each change in the
 * finding's history and hands one event to the audit trail (RecordAudit) in that same transaction. A change to the
 * reviewed content makes a new revision and voids approvals of the old one (revise.ts).
 */
import type { Acting, PublicKeyOf } from '../people/acting.js';
import type { RecordAudit } from '../audit/types.js';
import {
  EDITABLE_FIELDS,
  FindingEditSchema,
  ReasonSchema,
  STATUSES_NEEDING_REASON,
  type Attachment,
  type EditableField,
  type Finding,
  type FindingApproval,
  type FindingChange,
  type FindingEdit,
  type FindingHost,
} from '../../shared/model/finding.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Workspace } from '../store/db.js';
import { parseInput } from '../store/input.js';
import { checkAttachment } from './attachment-input.js';
import { sha256Hex } from './content.js';
import { audit, storeRevision, type ChangeSource } from './revise.js';
import { reviewCommands, type ReviewCommands } from './review.js';
import { finalReport, type FinalReport } from './report.js';

export interface FindingDetail {
  finding: Finding;
  hosts: FindingHost[];
  attachments: Attachment[];
  authors: string[];
  approvals: FindingApproval[];
}

export interface EditOptions {
  /** Why: required for a severity other than the catalogue's, and for false positive or accepted risk. */
  reason?: string;
  /** Refuse the edit when the finding has moved on since the editor read it. */
  expectedRevision?: number;
}

export interface FindingService extends ReviewCommands {
  list(engagementId: string): Finding[];
  get(findingId: string): FindingDetail;
  history(findingId: string): FindingChange[];
  edit(acting: Acting, findingId: string, changes: FindingEdit, opts?: EditOptions): Finding;
  attach(acting: Acting, findingId: string, file: { name: string; bytes: Uint8Array }, opts?: EditOptions): Attachment;
  detach(acting: Acting, attachmentId: string, opts?: EditOptions): Finding;
  attachmentBytes(attachmentId: string): { attachment: Attachment; bytes: Buffer };
  /** Approved findings whose approvals verify, with who approved each and when; the others named with why. */
  finalReportFindings(engagementId: string): FinalReport;
}

export function findingService(ws: Workspace, deps: { recordAudit: RecordAudit; publicKeyOf: PublicKeyOf }): FindingService {
  const source = (acting: Acting): ChangeSource => ({ actor: acting.actor, audit: { acting, record: deps.recordAudit } });

  /** The finding, writable and at the revision the caller expects. */
  const open = (findingId: string, expectedRevision?: number): Finding => {
    const f = ws.findings.require(findingId);
    ws.engagements.requireWritable(f.engagementId);
    if (expectedRevision !== undefined && expectedRevision !== f.revision)
      throw new FoureyesError(
        'bad_input',
        `finding "${f.title}" changed meanwhile (revision ${f.revision}, expected ${expectedRevision}): read it again`,
      );
    return f;
  };

  const reason = (opts: EditOptions | undefined): string | undefined =>
    opts?.reason === undefined ? undefined : parseInput(ReasonSchema, opts.reason, 'reason');

  const edit: FindingService['edit'] = (acting, findingId, changes, opts) => {
    const c = parseInput(FindingEditSchema, changes, 'finding changes');
    const why = reason(opts);
    return ws.tx(() => {
      const f = open(findingId, opts?.expectedRevision);
      const next: Finding = { ...f, updatedBy: acting.actor.personId };
      const edited = new Set<EditableField>(f.editedFields);
      const changed: { field: EditableField; before: unknown; after: unknown; reason?: string }[] = [];
      for (const field of EDITABLE_FIELDS) {
        const value = c[field];
        if (value === undefined || JSON.stringify(value) === JSON.stringify(f[field])) continue;
        changed.push({ field, before: f[field], after: value });
        (next as unknown as Record<string, unknown>)[field] = value;
        edited.add(field);
      }
      if (changed.length === 0) return f;
      for (const ch of changed) {
        if (ch.field === 'severity') {
          if (next.severity === next.catalogueSeverity) {
            // back to the catalogue's: scans keep it current again
            next.severityReason = null;
            edited.delete('severity');
          } else {
            if (why === undefined)
              throw new FoureyesError(
                'bad_input',
                `severity ${next.severity} instead of the catalogue's ${next.catalogueSeverity} needs a reason`,
              );
            next.severityReason = why;
            ch.reason = why;
          }
        }
        if (ch.field === 'status') {
          if (next.status === 'verified_fixed')
            throw new FoureyesError('bad_input', 'status "verified fixed" is set by a scan that finds no host failing, not by hand');
          if (STATUSES_NEEDING_REASON.includes(next.status)) {
            if (why === undefined) throw new FoureyesError('bad_input', `status ${next.status.replace('_', ' ')} needs a reason`);
            ch.reason = why;
          }
          next.statusReason = STATUSES_NEEDING_REASON.includes(next.status) ? (why ?? null) : null;
        }
      }
      if (why !== undefined) for (const ch of changed) ch.reason ??= why;
      next.editedFields = EDITABLE_FIELDS.filter((x) => edited.has(x));
      const revision = f.revision + 1;
      for (const ch of changed)
        ws.findings.review.addChange({ findingId, actor: acting.actor, ...ch, revision });
      ws.findings.review.addAuthor(findingId, acting.actor.personId);
      const src = source(acting);
      audit(src, {
        action: 'finding.edit',
        object: { type: 'finding', id: findingId },
        ...(why !== undefined ? { reason: why } : {}),
        before: Object.fromEntries(changed.map((ch) => [ch.field, ch.before])),
        after: Object.fromEntries(changed.map((ch) => [ch.field, ch.after])),
        details: { revision },
      });
      return storeRevision(ws, f, next, src, 'edited');
    });
  };

  const attach: FindingService['attach'] = (acting, findingId, file, opts) => {
    const { name, mediaType, bytes } = checkAttachment(file);
    const sha256 = sha256Hex(bytes);
    return ws.tx(() => {
      const f = open(findingId, opts?.expectedRevision);
      const a = ws.findings.attachments.add({ findingId, name, mediaType, sha256, bytes, addedBy: acting.actor.personId });
      const after = { id: a.id, name, mediaType, size: a.size, sha256 };
      changedBy(acting, f, 'attachment', null, after, 'finding.attach');
      return a;
    });
  };

  const detach: FindingService['detach'] = (acting, attachmentId, opts) =>
    ws.tx(() => {
      const a = ws.findings.attachments.require(attachmentId);
      const f = open(a.findingId, opts?.expectedRevision);
      ws.findings.attachments.remove(attachmentId);
      const before = { id: a.id, name: a.name, mediaType: a.mediaType, size: a.size, sha256: a.sha256 };
      return changedBy(acting, f, 'attachment', before, null, 'finding.detach');
    });

  /** Records a change that is not a field (an attachment) and stores the new revision. */
  function changedBy(acting: Acting, f: Finding, field: string, before: unknown, after: unknown, action: string): Finding {
    const revision = f.revision + 1;
    ws.findings.review.addChange({ findingId: f.id, actor: acting.actor, field, before, after, revision });
    ws.findings.review.addAuthor(f.id, acting.actor.personId);
    const src = source(acting);
    audit(src, { action, object: { type: 'finding', id: f.id }, before, after, details: { revision } });
    return storeRevision(ws, f, { ...f, updatedBy: acting.actor.personId }, src, `${field} ${after === null ? 'removed' : 'added'}`);
  }

  return {
    list: (engagementId) => {
      ws.engagements.require(engagementId);
      return ws.findings.list(engagementId);
    },
    get: (findingId) => {
      const finding = ws.findings.require(findingId);
      return {
        finding,
        hosts: ws.findings.hosts.forFinding(findingId),
        attachments: ws.findings.attachments.forFinding(findingId),
        authors: ws.findings.review.authors(findingId),
        approvals: ws.findings.review.approvals(findingId, { all: true }),
      };
    },
    history: (findingId) => {
      ws.findings.require(findingId);
      return ws.findings.review.changes(findingId);
    },
    edit,
    attach,
    detach,
    attachmentBytes: (attachmentId) => ({
      attachment: ws.findings.attachments.require(attachmentId),
      bytes: ws.findings.attachments.bytes(attachmentId),
    }),
    ...reviewCommands(ws, deps, source),
    finalReportFindings: (engagementId) => finalReport(ws, engagementId, deps.publicKeyOf),
  };
}
