/**
 * Scans: create, list, read with their host runs, finish, and the sweep for scans whose owner is gone. A scan is
 * owned by the process that started it (repos/owners.ts): only that process moves its runs or ends it, and a
 * reader sees a running scan whose owner is gone as `interrupted` before anyone has written so.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { FoureyesError } from '../../../shared/model/errors.js';
import {
  SCAN_STATUSES,
  isTerminalHostRunState,
  type JsonValue,
  type Scan,
  type ScanWithRuns,
} from '../../../shared/model/workspace.js';
import type { StoreContext } from '../context.js';
import { parseInput } from '../input.js';
import { readEnum, readJson } from '../json.js';
import type { EngagementsRepo } from './engagements.js';
import { ACTIVE_SQL, type HostRunsRepo } from './host-runs.js';
import type { OwnersRepo } from './owners.js';

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
  owner_id: string | null;
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
  'id, engagement_id, started_at, finished_at, status, catalogue_version, profile, check_ids, options, owner_id';

export interface InterruptedReport {
  scans: number;
  hostRuns: number;
}

export class ScansRepo {
  /** Scans this connection started (ended as interrupted if still running when it closes). */
  private readonly started = new Set<string>();

  constructor(
    private readonly ctx: StoreContext,
    private readonly engagements: EngagementsRepo,
    private readonly hostRuns: HostRunsRepo,
    private readonly owners: OwnersRepo,
  ) {}

  /** A running scan whose owner is gone reads as interrupted (what the next writer will store). */
  private orphaned(r: ScanRow): boolean {
    return r.status === 'running' && !this.owners.liveness(r.owner_id).alive;
  }

  private toScan(r: ScanRow): Scan {
    const where = (column: string) => ({ table: 'scan', id: r.id, column });
    return {
      id: r.id,
      engagementId: r.engagement_id,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: this.orphaned(r) ? 'interrupted' : readEnum(this.ctx, SCAN_STATUSES, r.status, where('status')),
      catalogueVersion: r.catalogue_version,
      profile: r.profile,
      checkIds: readJson(this.ctx, CheckIdsSchema, r.check_ids, where('check_ids')),
      options: readJson(this.ctx, OptionsSchema, r.options, where('options')),
    };
  }

  /**
   * Starts a scan (status `running`) in an engagement that is not archived, owned by this process, which keeps
   * its heartbeat while the scan runs.
   */
  createScan(input: ScanInput): Scan {
    const v = parseInput(ScanInputSchema, input, 'scan');
    const scan = this.ctx.tx(() => {
      this.engagements.requireWritable(v.engagementId);
      this.owners.register();
      const id = randomUUID();
      this.ctx
        .sql(
          `INSERT INTO scan (id, engagement_id, started_at, status, catalogue_version, profile, check_ids, options, owner_id)
           VALUES (@id, @engagementId, @at, 'running', @catalogueVersion, @profile, @checkIds, @options, @owner)`,
        )
        .run({
          id,
          owner: this.owners.myId,
          engagementId: v.engagementId,
          at: this.ctx.now(),
          catalogueVersion: v.catalogueVersion,
          profile: v.profile ?? null,
          checkIds: JSON.stringify(v.checkIds),
          options: JSON.stringify(v.options ?? {}),
        });
      return this.require(id);
    });
    this.started.add(scan.id);
    this.owners.keepBeating();
    return scan;
  }

  private row(id: string): ScanRow | undefined {
    return this.ctx.sql<[string], ScanRow>(`SELECT ${COLUMNS} FROM scan WHERE id = ?`).get(id);
  }

  get(id: string): Scan | undefined {
    const r = this.row(id);
    return r && this.toScan(r);
  }

  require(id: string): Scan {
    const s = this.get(id);
    if (!s) throw new FoureyesError('not_found', `scan ${id} does not exist`);
    return s;
  }

  /**
   * A scan with its host runs (in the order they were added), or undefined. Read only: a scan whose owner is
   * gone shows as interrupted, its unfinished runs too (stopped where they were), as the next writer will store.
   */
  getScan(id: string): ScanWithRuns | undefined {
    const r = this.row(id);
    if (!r) return undefined;
    const runs = this.hostRuns.list(id);
    const orphaned = this.orphaned(r);
    return {
      ...this.toScan(r),
      hostRuns: orphaned
        ? runs.map((h) =>
            isTerminalHostRunState(h.state) ? h : { ...h, state: 'interrupted' as const, stoppedIn: h.state },
          )
        : runs,
    };
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
    const scan = this.ctx.tx(() => {
      const cur = this.row(id);
      if (!cur) throw new FoureyesError('not_found', `scan ${id} does not exist`);
      if (cur.status !== 'running') throw this.ctx.error(`scan ${id} already ended as ${cur.status}`);
      this.requireOwned(cur);
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
    this.started.delete(id);
    return scan;
  }

  /** Refuses when another process owns the scan (alive or not: a gone owner's scan is the sweep's to end). */
  private requireOwned(r: ScanRow): void {
    if (r.owner_id === this.owners.myId) return;
    throw this.ctx.error(
      `scan ${r.id} is run by ${this.owners.describe(r.owner_id)}, not by this process; only its owner may end it`,
    );
  }

  /**
   * The sweep of whichever process opens the workspace for writing: every scan still `running` whose owner is
   * gone (lease.ts: its process ended, or no heartbeat for long when it cannot be checked) and its unfinished host
   * runs become `interrupted`; finished host runs keep their snapshot and results. Scans of live owners, this
   * process's and other processes', are left alone.
   */
  markInterrupted(): InterruptedReport {
    return this.ctx.tx(() => {
      let scans = 0;
      let hostRuns = 0;
      const running = this.ctx
        .sql<[], ScanRow>(`SELECT ${COLUMNS} FROM scan WHERE status = 'running'`)
        .all();
      for (const r of running) {
        if (!this.orphaned(r)) continue;
        hostRuns += this.hostRuns.endActive('interrupted', r.id, { sweep: true });
        scans += this.ctx.sql("UPDATE scan SET status = 'interrupted' WHERE id = ?").run(r.id).changes;
      }
      this.owners.forgetGone();
      return { scans, hostRuns };
    });
  }

  /** Ends as interrupted the scans this connection started and left running (at close). */
  interruptOwnLeftovers(): number {
    const ids = [...this.started];
    this.started.clear();
    if (ids.length === 0) return 0;
    return this.ctx.tx(() => {
      let n = 0;
      for (const id of ids) {
        const r = this.row(id);
        if (r?.status !== 'running' || r.owner_id !== this.owners.myId) continue;
        this.hostRuns.endActive('interrupted', id, { sweep: true });
        n += this.ctx.sql("UPDATE scan SET status = 'interrupted' WHERE id = ?").run(id).changes;
      }
      return n;
    });
  }
}
