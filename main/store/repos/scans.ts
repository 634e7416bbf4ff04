/** Scans: create, list, read with their host runs, finish, and the start-up sweep for interrupted ones. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { FoureyesError } from '../../../shared/model/errors.js';
import {
  SCAN_STATUSES,
  type JsonValue,
  type Scan,
  type ScanWithRuns,
} from '../../../shared/model/workspace.js';
import type { StoreContext } from '../context.js';
import { parseInput } from '../input.js';
import { readEnum, readJson } from '../json.js';
import type { EngagementsRepo } from './engagements.js';
import { ACTIVE_SQL, type HostRunsRepo } from './host-runs.js';

export interface ScanRow {
  id: string;
  engagement_id: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  catalogue_version: string;
  profile: string | null;
  check_ids: string;
  options: string;
}

const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);
const OptionsSchema = z.record(z.string(), JsonValueSchema);
const CheckIdsSchema = z.array(z.string().min(1).max(200));

export const ScanInputSchema = z.strictObject({
  engagementId: z.string().min(1),
  catalogueVersion: z.string().min(1).max(200),
  profile: z.string().min(1).max(100).nullable().optional(),
  checkIds: CheckIdsSchema.max(100_000),
  options: OptionsSchema.optional(),
});
export type ScanInput = z.input<typeof ScanInputSchema>;

const COLUMNS =
  'id, engagement_id, started_at, finished_at, status, catalogue_version, profile, check_ids, options';

export interface InterruptedReport {
  scans: number;
  hostRuns: number;
}

export class ScansRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly engagements: EngagementsRepo,
    private readonly hostRuns: HostRunsRepo,
  ) {}

  private toScan(r: ScanRow): Scan {
    const where = (column: string) => ({ table: 'scan', id: r.id, column });
    return {
      id: r.id,
      engagementId: r.engagement_id,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: readEnum(this.ctx, SCAN_STATUSES, r.status, where('status')),
      catalogueVersion: r.catalogue_version,
      profile: r.profile,
      checkIds: readJson(this.ctx, CheckIdsSchema, r.check_ids, where('check_ids')),
      options: readJson(this.ctx, OptionsSchema, r.options, where('options')),
    };
  }

  /** Starts a scan (status `running`) in an engagement that is not archived. */
  createScan(input: ScanInput): Scan {
    const v = parseInput(ScanInputSchema, input, 'scan');
    return this.ctx.tx(() => {
      this.engagements.requireWritable(v.engagementId);
      const id = randomUUID();
      this.ctx
        .sql(
          `INSERT INTO scan (id, engagement_id, started_at, status, catalogue_version, profile, check_ids, options)
           VALUES (@id, @engagementId, @at, 'running', @catalogueVersion, @profile, @checkIds, @options)`,
        )
        .run({
          id,
          engagementId: v.engagementId,
          at: this.ctx.now(),
          catalogueVersion: v.catalogueVersion,
          profile: v.profile ?? null,
          checkIds: JSON.stringify(v.checkIds),
          options: JSON.stringify(v.options ?? {}),
        });
      return this.require(id);
    });
  }

  get(id: string): Scan | undefined {
    const r = this.ctx.sql<[string], ScanRow>(`SELECT ${COLUMNS} FROM scan WHERE id = ?`).get(id);
    return r && this.toScan(r);
  }

  require(id: string): Scan {
    const s = this.get(id);
    if (!s) throw new FoureyesError('not_found', `scan ${id} does not exist`);
    return s;
  }

  /** A scan with its host runs (in the order they were added), or undefined. */
  getScan(id: string): ScanWithRuns | undefined {
    const scan = this.get(id);
    return scan && { ...scan, hostRuns: this.hostRuns.list(id) };
  }

  /** Scans of an engagement, newest first. */
  /** Id of the newest scan of any engagement, or null when the workspace has none. */
  latestScanId(): string | null {
    const row = this.ctx
      .sql<[], { id: string }>('SELECT id FROM scan ORDER BY started_at DESC, rowid DESC LIMIT 1')
      .get();
    return row?.id ?? null;
  }

  listScans(engagementId: string): Scan[] {
    return this.ctx
      .sql<[string], ScanRow>(
        `SELECT ${COLUMNS} FROM scan WHERE engagement_id = ? ORDER BY started_at DESC, rowid DESC`,
      )
      .all(engagementId)
      .map((r) => this.toScan(r));
  }

  /**
   * Ends a running scan. `done` requires every host run to have ended; `cancelled` cancels the runs that have
   * not (their finished work stays).
   */
  finishScan(id: string, status: 'done' | 'cancelled' = 'done'): Scan {
    return this.ctx.tx(() => {
      const cur = this.require(id);
      if (cur.status !== 'running') throw this.ctx.error(`scan ${id} already ended as ${cur.status}`);
      if (status === 'cancelled') {
        this.hostRuns.endActive('cancelled', id);
      } else {
        const open = this.ctx
          .sql<[string], { target_name: string; status: string }>(
            `SELECT target_name, status FROM host_run
             WHERE scan_id = ? AND status IN ${ACTIVE_SQL} ORDER BY ordinal`,
          )
          .all(id);
        if (open.length > 0) {
          const which = open.map((r) => `${r.target_name} (${r.status})`).join(', ');
          throw this.ctx.error(`scan ${id} cannot be done: host runs still active: ${which}`);
        }
      }
      this.ctx
        .sql<[string, string, string]>('UPDATE scan SET status = ?, finished_at = ? WHERE id = ?')
        .run(status, this.ctx.now(), id);
      return this.require(id);
    });
  }

  /**
   * Start-up sweep after a crash or kill: every scan still `running` and every host run not ended become
   * `interrupted`; finished host runs keep their snapshot and results. Call it once at start-up, before any scan
   * starts, from the one process that owns the workspace: a second process running it would interrupt the
   * first one's live scans.
   */
  markInterrupted(): InterruptedReport {
    return this.ctx.tx(() => {
      const hostRuns = this.hostRuns.endActive('interrupted');
      const scans = this.ctx
        .sql("UPDATE scan SET status = 'interrupted' WHERE status = 'running'")
        .run().changes;
      return { scans, hostRuns };
    });
  }
}
