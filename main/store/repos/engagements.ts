/** Engagements: create, list, read, change, archive. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { textInput } from '../../../shared/api/schemas/common.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import type { Engagement } from '../../../shared/model/workspace.js';
import { parseInput } from '../input.js';
import type { StoreContext } from '../context.js';

export interface EngagementRow {
  id: string;
  name: string;
  customer: string | null;
  description: string | null;
  scope: string | null;
  created_at: string;
  archived_at: string | null;
}

export const EngagementInputSchema = z.strictObject({
  name: textInput(200, 'Engagement name'),
  customer: textInput(200, 'Customer').nullable().optional(),
  description: textInput(4000, 'Description').nullable().optional(),
  scope: textInput(20_000, 'Scope').nullable().optional(),
});
export type EngagementInput = z.input<typeof EngagementInputSchema>;

const EngagementChangesSchema = EngagementInputSchema.partial().refine(
  (c) => Object.keys(c).length > 0,
  'at least one field to change expected',
);
export type EngagementChanges = z.input<typeof EngagementChangesSchema>;

export function toEngagement(r: EngagementRow): Engagement {
  return {
    id: r.id,
    name: r.name,
    customer: r.customer,
    description: r.description,
    scope: r.scope,
    createdAt: r.created_at,
    archivedAt: r.archived_at,
  };
}

const COLUMNS = 'id, name, customer, description, scope, created_at, archived_at';

export class EngagementsRepo {
  constructor(private readonly ctx: StoreContext) {}

  create(input: EngagementInput): Engagement {
    const v = parseInput(EngagementInputSchema, input, 'engagement');
    const row: EngagementRow = {
      id: randomUUID(),
      name: v.name,
      customer: v.customer ?? null,
      description: v.description ?? null,
      scope: v.scope ?? null,
      created_at: this.ctx.now(),
      archived_at: null,
    };
    this.ctx
      .sql<[EngagementRow]>(
        `INSERT INTO engagement (${COLUMNS})
         VALUES (@id, @name, @customer, @description, @scope, @created_at, @archived_at)`,
      )
      .run(row);
    return toEngagement(row);
  }

  /** Newest first; archived ones only when asked. */
  list(opts: { includeArchived?: boolean } = {}): Engagement[] {
    const rows = this.ctx
      .sql<[number], EngagementRow>(
        `SELECT ${COLUMNS} FROM engagement WHERE (? = 1 OR archived_at IS NULL) ORDER BY created_at DESC, rowid DESC`,
      )
      .all(opts.includeArchived ? 1 : 0);
    return rows.map(toEngagement);
  }

  get(id: string): Engagement | undefined {
    const row = this.ctx
      .sql<[string], EngagementRow>(`SELECT ${COLUMNS} FROM engagement WHERE id = ?`)
      .get(id);
    return row && toEngagement(row);
  }

  /** Like `get`, but a missing engagement is a `not_found` error. */
  require(id: string): Engagement {
    const e = this.get(id);
    if (!e) throw new FoureyesError('not_found', `engagement ${id} does not exist`);
    return e;
  }

  /** Like `require`, and refuses an archived engagement (archived engagements are read-only). */
  requireWritable(id: string): Engagement {
    const e = this.require(id);
    if (e.archivedAt !== null)
      throw new FoureyesError('bad_input', `engagement "${e.name}" is archived (read-only)`);
    return e;
  }

  update(id: string, changes: EngagementChanges): Engagement {
    const c = parseInput(EngagementChangesSchema, changes, 'engagement changes');
    const cur = this.requireWritable(id);
    const next = { ...cur, ...c };
    this.ctx
      .sql<[string, string | null, string | null, string | null, string]>(
        'UPDATE engagement SET name = ?, customer = ?, description = ?, scope = ? WHERE id = ?',
      )
      .run(next.name, next.customer ?? null, next.description ?? null, next.scope ?? null, id);
    return this.require(id);
  }

  /** Archives the engagement; archiving twice keeps the first time. */
  archive(id: string): Engagement {
    this.require(id);
    this.ctx
      .sql<[string, string]>('UPDATE engagement SET archived_at = coalesce(archived_at, ?) WHERE id = ?')
      .run(this.ctx.now(), id);
    return this.require(id);
  }

  unarchive(id: string): Engagement {
    this.require(id);
    this.ctx.sql<[string]>('UPDATE engagement SET archived_at = NULL WHERE id = ?').run(id);
    return this.require(id);
  }
}
