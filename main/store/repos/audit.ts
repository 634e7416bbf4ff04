/**
 * The audit trail's rows (schema 0006). Appending is done by main/audit/trail.ts, which computes the hash and the
 * signature; this repository stores and reads rows as they are. Reading for verification does not trust the file:
 * rows come back as SQLite holds them and main/audit/verify.ts checks every column.
 */
import type { StoreContext } from '../context.js';

export interface AuditEventRow {
  seq: number;
  id: string;
  at: string;
  actor_id: string;
  actor_name: string;
  action: string;
  object_type: string;
  object_id: string;
  reason: string | null;
  before: string | null;
  after: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
  signature: string;
}

const COLUMNS =
  'seq, id, at, actor_id, actor_name, action, object_type, object_id, reason, before, after, details, prev_hash, hash, signature';

export class AuditRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Current time as the store writes it. */
  now(): string {
    return this.ctx.now();
  }

  /** The last event's seq and hash, or undefined for an empty trail. */
  head(): { seq: number; hash: string } | undefined {
    return this.ctx
      .sql<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1')
      .get();
  }

  append(row: AuditEventRow): void {
    this.ctx
      .sql(
        `INSERT INTO audit_event (${COLUMNS}) VALUES (@seq, @id, @at, @actor_id, @actor_name, @action, @object_type,
         @object_id, @reason, @before, @after, @details, @prev_hash, @hash, @signature)`,
      )
      .run(row);
  }

  /** Every row in seq order, one at a time (a trail may be long), typed loosely: the file may have been edited. */
  rows(): IterableIterator<Record<string, unknown>> {
    return this.ctx.db
      .prepare(`SELECT ${COLUMNS} FROM audit_event ORDER BY seq`)
      .iterate() as IterableIterator<Record<string, unknown>>;
  }

  /** The stored hash of the event at `seq`, or undefined. */
  hashAt(seq: number): string | undefined {
    return this.ctx.sql<[number], { hash: string }>('SELECT hash FROM audit_event WHERE seq = ?').get(seq)
      ?.hash;
  }

  /** The events about one object, oldest first. */
  forObject(type: string, id: string): AuditEventRow[] {
    return this.ctx
      .sql<[string, string], AuditEventRow>(
        `SELECT ${COLUMNS} FROM audit_event WHERE object_type = ? AND object_id = ? ORDER BY seq`,
      )
      .all(type, id);
  }

  /** Which of the objects `ids` of type `type` have an event with one of `actions` (one query, by index). */
  objectsWithAction(type: string, ids: readonly string[], actions: readonly string[]): Set<string> {
    if (ids.length === 0) return new Set();
    return new Set(
      this.ctx
        .sql<[string, string, string], string>(
          `SELECT DISTINCT object_id FROM audit_event WHERE object_type = ? AND object_id IN (SELECT value FROM json_each(?))
           AND action IN (SELECT value FROM json_each(?))`,
        )
        .pluck(true)
        .all(type, JSON.stringify(ids), JSON.stringify(actions)),
    );
  }

  /** The events of one action, newest first (at most `limit`). */
  forAction(action: string, limit: number): AuditEventRow[] {
    return this.ctx
      .sql<[string, number], AuditEventRow>(
        `SELECT ${COLUMNS} FROM audit_event WHERE action = ? ORDER BY seq DESC LIMIT ?`,
      )
      .all(action, limit);
  }

  /** A page of the events (about one object, when given), newest first, as stored. */
  page(offset: number, limit: number, object?: { type: string; id: string }): AuditEventRow[] {
    return this.ctx
      .sql<[Record<string, unknown>], AuditEventRow>(
        `SELECT ${COLUMNS} FROM audit_event WHERE (@type IS NULL OR (object_type = @type AND object_id = @id))
         ORDER BY seq DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ type: object?.type ?? null, id: object?.id ?? null, limit, offset });
  }

  /** How many events there are (about one object, when given). */
  countFor(object?: { type: string; id: string }): number {
    return this.ctx
      .sql<[Record<string, unknown>], { n: number }>(
        'SELECT count(*) AS n FROM audit_event WHERE (@type IS NULL OR (object_type = @type AND object_id = @id))',
      )
      .get({ type: object?.type ?? null, id: object?.id ?? null })!.n;
  }

  count(): number {
    return this.ctx.sql<[], { n: number }>('SELECT count(*) AS n FROM audit_event').get()!.n;
  }
}
