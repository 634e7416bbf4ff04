/**
 * The record around a finding (schema 0007): its authors, its history of changes and its approvals. Approvals are
 * voided, never deleted, so the history keeps every decision.
 */
import type { FindingApproval, FindingChange } from '../../../shared/model/finding.js';
import type { StoreContext } from '../context.js';

interface ChangeRow {
  id: number;
  finding_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  scan_id: string | null;
  field: string;
  before: string | null;
  after: string | null;
  reason: string | null;
  revision: number;
}

interface ApprovalRow {
  id: number;
  finding_id: string;
  reviewer_id: string;
  reviewer_name: string;
  revision: number;
  content_hash: string;
  signature: string;
  at: string;
  voided_at: string | null;
  voided_why: string | null;
}

/** One change to record: by a person (`actor`) or by a scan (`scanId`). */
export interface NewChange {
  findingId: string;
  actor: { personId: string; name: string } | null;
  scanId?: string;
  field: string;
  before: unknown;
  after: unknown;
  reason?: string | null;
  revision: number;
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));

export class FindingReviewRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Adds a person to the finding's authors (once; the first time is kept). */
  addAuthor(findingId: string, personId: string): void {
    this.ctx
      .sql('INSERT INTO finding_author (finding_id, person_id, first_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(findingId, personId, this.ctx.now());
  }

  authors(findingId: string): string[] {
    return this.ctx
      .sql<[string], { person_id: string }>(
        'SELECT person_id FROM finding_author WHERE finding_id = ? ORDER BY first_at, person_id',
      )
      .all(findingId)
      .map((r) => r.person_id);
  }

  addChange(c: NewChange): void {
    this.ctx
      .sql(
        `INSERT INTO finding_change (finding_id, at, actor_id, actor_name, scan_id, field, before, after, reason, revision)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        c.findingId,
        this.ctx.now(),
        c.actor?.personId ?? null,
        c.actor?.name ?? null,
        c.scanId ?? null,
        c.field,
        json(c.before),
        json(c.after),
        c.reason ?? null,
        c.revision,
      );
  }

  /** The finding's history, oldest first (all of it, or the page `offset`, `limit`). */
  changes(findingId: string, page: { offset: number; limit: number } = { offset: 0, limit: -1 }): FindingChange[] {
    return this.ctx
      .sql<[string, number, number], ChangeRow>(
        `SELECT id, finding_id, at, actor_id, actor_name, scan_id, field, before, after, reason, revision
         FROM finding_change WHERE finding_id = ? ORDER BY id LIMIT ? OFFSET ?`,
      )
      .all(findingId, page.limit, page.offset)
      .map((r) => {
        let before: unknown;
        let after: unknown;
        try {
          before = parse(r.before);
          after = parse(r.after);
        } catch {
          throw this.ctx.error(`finding_change ${r.id}: before or after is not valid JSON`);
        }
        return {
          id: r.id,
          findingId: r.finding_id,
          at: r.at,
          actorId: r.actor_id,
          actorName: r.actor_name,
          scanId: r.scan_id,
          field: r.field,
          before,
          after,
          reason: r.reason,
          revision: r.revision,
        };
      });
  }

  changeCount(findingId: string): number {
    return this.ctx.sql<[string], { n: number }>('SELECT count(*) AS n FROM finding_change WHERE finding_id = ?').get(findingId)!.n;
  }

  /** `at`: when the reviewer approved, if not now (an approval made on another workstation). */
  addApproval(a: Omit<FindingApproval, 'id' | 'at' | 'voidedAt' | 'voidedWhy'> & { at?: string }): FindingApproval {
    const at = a.at ?? this.ctx.now();
    const r = this.ctx
      .sql(
        `INSERT INTO finding_approval (finding_id, reviewer_id, reviewer_name, revision, content_hash, signature, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.findingId, a.reviewerId, a.reviewerName, a.revision, a.contentHash, a.signature, at);
    const { at: _given, ...rest } = a;
    return { ...rest, id: Number(r.lastInsertRowid), at, voidedAt: null, voidedWhy: null };
  }

  /** Approvals of a finding, oldest first; only those not voided unless `all`. */
  approvals(findingId: string, opts: { all?: boolean } = {}): FindingApproval[] {
    return this.ctx
      .sql<[string, number], ApprovalRow>(
        `SELECT id, finding_id, reviewer_id, reviewer_name, revision, content_hash, signature, at, voided_at, voided_why
         FROM finding_approval WHERE finding_id = ? AND (? = 1 OR voided_at IS NULL) ORDER BY id`,
      )
      .all(findingId, opts.all ? 1 : 0)
      .map((r) => ({
        id: r.id,
        findingId: r.finding_id,
        reviewerId: r.reviewer_id,
        reviewerName: r.reviewer_name,
        revision: r.revision,
        contentHash: r.content_hash,
        signature: r.signature,
        at: r.at,
        voidedAt: r.voided_at,
        voidedWhy: r.voided_why,
      }));
  }

  /** Voids every live approval of the finding; returns how many. */
  voidApprovals(findingId: string, why: string): number {
    return this.ctx
      .sql('UPDATE finding_approval SET voided_at = ?, voided_why = ? WHERE finding_id = ? AND voided_at IS NULL')
      .run(this.ctx.now(), why, findingId).changes;
  }
}
