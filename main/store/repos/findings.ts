/**
 * Findings (schema 0007): the finding rows and the map from checks to findings. Host parts, the review records and
 * attachments have their own repositories, reached from here. Rules (who may change what, when approvals are
 * voided) live in main/findings/; this layer stores and reads, validating what it reads back.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  EDITABLE_FIELDS,
  FINDING_STATUSES,
  MAX_APPROVALS_REQUIRED,
  REVIEW_STATES,
  type Finding,
  type ReviewState,
} from '../../../shared/model/finding.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { SEVERITIES, type Severity } from '../../../shared/model/results.js';
import type { StoreContext } from '../context.js';
import { readEnum, readJson } from '../json.js';
import { AttachmentsRepo } from './attachments.js';
import { FindingHostsRepo } from './finding-hosts.js';
import { FindingPagesRepo } from './finding-pages.js';
import { FindingReviewRepo } from './finding-review.js';

export interface FindingRow {
  id: string;
  engagement_id: string;
  key: string;
  title: string;
  severity: string;
  catalogue_severity: string;
  severity_reason: string | null;
  status: string;
  status_reason: string | null;
  recommendation: string;
  notes: string;
  tags: string;
  customer_owner: string | null;
  due_date: string | null;
  review_state: string;
  submitted_by: string | null;
  revision: number;
  edited_fields: string;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

const COLUMNS =
  'id, engagement_id, key, title, severity, catalogue_severity, severity_reason, status, status_reason, recommendation, ' +
  'notes, tags, customer_owner, due_date, review_state, submitted_by, revision, edited_fields, created_at, created_by, ' +
  'updated_at, updated_by';

const Tags = z.array(z.string());
const Edited = z.array(z.enum(EDITABLE_FIELDS));

export interface NewFinding {
  engagementId: string;
  key: string;
  title: string;
  severity: Severity;
  recommendation: string;
  /** The person creating it; null for a finding made by a scan. */
  createdBy: string | null;
}

export class FindingsRepo {
  readonly hosts: FindingHostsRepo;
  readonly review: FindingReviewRepo;
  readonly attachments: AttachmentsRepo;
  readonly pages: FindingPagesRepo;

  constructor(private readonly ctx: StoreContext) {
    this.hosts = new FindingHostsRepo(ctx);
    this.pages = new FindingPagesRepo(ctx);
    this.review = new FindingReviewRepo(ctx);
    this.attachments = new AttachmentsRepo(ctx);
  }

  private toFinding(r: FindingRow): Finding {
    const where = (column: string) => ({ table: 'finding', id: r.id, column });
    return {
      id: r.id,
      engagementId: r.engagement_id,
      key: r.key,
      title: r.title,
      severity: readEnum(this.ctx, SEVERITIES, r.severity, where('severity')),
      catalogueSeverity: readEnum(this.ctx, SEVERITIES, r.catalogue_severity, where('catalogue_severity')),
      severityReason: r.severity_reason,
      status: readEnum(this.ctx, FINDING_STATUSES, r.status, where('status')),
      statusReason: r.status_reason,
      recommendation: r.recommendation,
      notes: r.notes,
      tags: readJson(this.ctx, Tags, r.tags, where('tags')),
      customerOwner: r.customer_owner,
      dueDate: r.due_date,
      reviewState: readEnum(this.ctx, REVIEW_STATES, r.review_state, where('review_state')),
      submittedBy: r.submitted_by,
      revision: r.revision,
      editedFields: readJson(this.ctx, Edited, r.edited_fields, where('edited_fields')),
      createdAt: r.created_at,
      createdBy: r.created_by,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
    };
  }

  get(id: string): Finding | undefined {
    const r = this.ctx.sql<[string], FindingRow>(`SELECT ${COLUMNS} FROM finding WHERE id = ?`).get(id);
    return r && this.toFinding(r);
  }

  require(id: string): Finding {
    const f = this.get(id);
    if (!f) throw new FoureyesError('not_found', `finding ${id} does not exist`);
    return f;
  }

  /** An engagement's findings, by key; optionally only those in some review states. */
  list(engagementId: string, opts: { reviewStates?: readonly ReviewState[] } = {}): Finding[] {
    const states = JSON.stringify(opts.reviewStates ?? REVIEW_STATES);
    return this.ctx
      .sql<[string, string], FindingRow>(
        `SELECT ${COLUMNS} FROM finding
         WHERE engagement_id = ? AND review_state IN (SELECT value FROM json_each(?)) ORDER BY key, id`,
      )
      .all(engagementId, states)
      .map((r) => this.toFinding(r));
  }

  /** The finding a check's failures go to in an engagement, if any. */
  forCheck(engagementId: string, checkId: string): Finding | undefined {
    const r = this.ctx
      .sql<[string, string], FindingRow>(
        `SELECT ${COLUMNS.split(', ').map((c) => `f.${c}`).join(', ')} FROM finding_check c
         JOIN finding f ON f.id = c.finding_id WHERE c.engagement_id = ? AND c.check_id = ?`,
      )
      .get(engagementId, checkId);
    return r && this.toFinding(r);
  }

  /**
   * `forCheck` of many checks in one query: check id -> its finding's id and reader (the rows are read now, each
   * one is validated when its reader is called, as `forCheck` would when asked for it).
   */
  forChecks(engagementId: string, checkIds: readonly string[]): Map<string, { findingId: string; read: () => Finding }> {
    const rows = this.ctx
      .sql<[string, string], FindingRow & { linked_check: string }>(
        `SELECT c.check_id AS linked_check, ${COLUMNS.split(', ').map((c) => `f.${c}`).join(', ')} FROM finding_check c
         JOIN finding f ON f.id = c.finding_id
         WHERE c.engagement_id = ? AND c.check_id IN (SELECT value FROM json_each(?))`,
      )
      .all(engagementId, JSON.stringify(checkIds));
    return new Map(rows.map((r) => [r.linked_check, { findingId: r.id, read: () => this.toFinding(r) }]));
  }

  /** Creates a draft finding at revision 1 and sends `checkIds` (default: its key) to it. */
  create(n: NewFinding, checkIds: readonly string[] = [n.key]): Finding {
    const id = randomUUID();
    const now = this.ctx.now();
    this.ctx
      .sql(
        `INSERT INTO finding (id, engagement_id, key, title, severity, catalogue_severity, recommendation,
                              created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, n.engagementId, n.key, n.title, n.severity, n.severity, n.recommendation, now, n.createdBy, now, n.createdBy);
    const link = this.ctx.sql('INSERT INTO finding_check (engagement_id, check_id, finding_id) VALUES (?, ?, ?)');
    for (const c of checkIds) link.run(n.engagementId, c, id);
    return this.require(id);
  }

  /** Writes every changeable column of `f`, updated now (the caller decides what changed and records it). */
  save(f: Finding): Finding {
    this.ctx
      .sql(
        `UPDATE finding SET title = @title, severity = @severity, catalogue_severity = @catalogueSeverity,
           severity_reason = @severityReason, status = @status, status_reason = @statusReason,
           recommendation = @recommendation, notes = @notes, tags = @tags, customer_owner = @customerOwner,
           due_date = @dueDate, review_state = @reviewState, submitted_by = @submittedBy, revision = @revision,
           edited_fields = @editedFields, updated_at = @updatedAt, updated_by = @updatedBy
         WHERE id = @id`,
      )
      .run({
        id: f.id,
        title: f.title,
        severity: f.severity,
        catalogueSeverity: f.catalogueSeverity,
        severityReason: f.severityReason,
        status: f.status,
        statusReason: f.statusReason,
        recommendation: f.recommendation,
        notes: f.notes,
        tags: JSON.stringify(f.tags),
        customerOwner: f.customerOwner,
        dueDate: f.dueDate,
        reviewState: f.reviewState,
        submittedBy: f.submittedBy,
        revision: f.revision,
        editedFields: JSON.stringify(f.editedFields),
        updatedAt: this.ctx.now(),
        updatedBy: f.updatedBy,
      });
    return this.require(f.id);
  }

  /** Distinct approvers a finding of the engagement needs. */
  approvalsRequired(engagementId: string): number {
    const n = this.ctx
      .sql<[string], { n: number }>('SELECT approvals_required AS n FROM engagement WHERE id = ?')
      .get(engagementId)?.n;
    if (n === undefined) throw new FoureyesError('not_found', `engagement ${engagementId} does not exist`);
    return n;
  }

  setApprovalsRequired(engagementId: string, n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > MAX_APPROVALS_REQUIRED)
      throw new FoureyesError('bad_input', `approvals required must be a whole number from 1 to ${MAX_APPROVALS_REQUIRED} (got ${n})`);
    this.approvalsRequired(engagementId);
    this.ctx.sql('UPDATE engagement SET approvals_required = ? WHERE id = ?').run(n, engagementId);
  }
}
