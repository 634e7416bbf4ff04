/**
 * Host runs: one target within one scan, from `queued` to a terminal status. The end of a run is written in one
 * transaction together with what it produced (snapshot, results), so a crash never leaves a half-written host.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FactSnapshot } from '../../../shared/facts/snapshot.js';
import { ERROR_CODES, FoureyesError, type ErrorInfo } from '../../../shared/model/errors.js';
import {
  HOST_RUN_SOURCES,
  HOST_RUN_STATUSES,
  RUN_PRIVILEGES,
  isTerminalHostRunStatus,
  type HostRun,
  type HostRunSource,
  type HostRunStats,
  type HostRunStatus,
  type RecordedResult,
  type RunPrivilege,
} from '../../../shared/model/workspace.js';
import { ErrorInfoSchema } from '../../../shared/api/schemas/common.js';
import type { StoreContext } from '../context.js';
import { parseInput } from '../input.js';
import { readEnum, readJson } from '../json.js';
import type { ResultsRepo } from './results.js';
import { encodeSnapshot, type SnapshotsRepo } from './snapshots.js';

export interface HostRunRow {
  id: string;
  scan_id: string;
  host_id: string | null;
  ordinal: number;
  target_name: string;
  source: string;
  status: string;
  privilege: string | null;
  started_at: string | null;
  finished_at: string | null;
  error_code: string | null;
  error_message: string | null;
  error_details: string | null;
  stats: string | null;
}

/** What a host run targets: an inventory host (name taken from it unless given), or a named local/import target. */
export interface HostRunTarget {
  hostId?: string | null;
  targetName?: string;
  source: HostRunSource;
}

const StatsSchema: z.ZodType<HostRunStats> = z.object({
  connections: z.number().int().min(0),
  execChannels: z.number().int().min(0),
  bytesIn: z.number().int().min(0),
  bytesOut: z.number().int().min(0),
  durationsMs: z.record(z.string(), z.number().min(0)),
  sudo: z
    .object({
      user: z.string().max(256),
      allowed: z.number().int().min(0),
      commands: z.array(z.string().max(8192)).max(10_000),
    })
    .optional(),
});
const DetailsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** Statuses a run moves through in order before it ends; `markHostRun` only moves forward. */
const PROGRESS: readonly HostRunStatus[] = ['queued', 'connecting', 'collecting', 'evaluating'];
const ACTIVE_SQL = `('queued', 'connecting', 'collecting', 'evaluating')`;

const COLUMNS =
  'id, scan_id, host_id, ordinal, target_name, source, status, privilege, started_at, finished_at, error_code, error_message, error_details, stats';

export class HostRunsRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly snapshots: SnapshotsRepo,
    private readonly results: ResultsRepo,
  ) {}

  toHostRun(r: HostRunRow): HostRun {
    const where = (column: string) => ({ table: 'host_run', id: r.id, column });
    const error: ErrorInfo | null =
      r.error_code === null
        ? null
        : {
            code: readEnum(this.ctx, ERROR_CODES, r.error_code, where('error_code')),
            message: r.error_message ?? '',
            ...(r.error_details !== null
              ? { details: readJson(this.ctx, DetailsSchema, r.error_details, where('error_details')) }
              : {}),
          };
    return {
      id: r.id,
      scanId: r.scan_id,
      hostId: r.host_id,
      targetName: r.target_name,
      source: readEnum(this.ctx, HOST_RUN_SOURCES, r.source, where('source')),
      status: readEnum(this.ctx, HOST_RUN_STATUSES, r.status, where('status')),
      privilege:
        r.privilege === null ? null : readEnum(this.ctx, RUN_PRIVILEGES, r.privilege, where('privilege')),
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      error,
      stats: r.stats === null ? null : readJson(this.ctx, StatsSchema, r.stats, where('stats')),
    };
  }

  /** Adds one queued run to a running scan. */
  createHostRun(scanId: string, target: HostRunTarget): HostRun {
    const [run] = this.createHostRuns(scanId, [target]);
    if (!run) throw this.ctx.error('host run was not created');
    return run;
  }

  /** Adds queued runs to a running scan, in order, in one transaction. */
  createHostRuns(scanId: string, targets: readonly HostRunTarget[]): HostRun[] {
    return this.ctx.tx(() => {
      const scan = this.ctx
        .sql<[string], { engagement_id: string; status: string }>(
          'SELECT engagement_id, status FROM scan WHERE id = ?',
        )
        .get(scanId);
      if (!scan) throw new FoureyesError('not_found', `scan ${scanId} does not exist`);
      if (scan.status !== 'running')
        throw this.ctx.error(`scan ${scanId} is ${scan.status}; no host can be added`);
      let ordinal =
        this.ctx
          .sql<[string], { n: number | null }>('SELECT max(ordinal) AS n FROM host_run WHERE scan_id = ?')
          .get(scanId)?.n ?? 0;
      const ids: string[] = [];
      for (const t of targets) {
        const hostId = t.hostId ?? null;
        let name = t.targetName;
        if (hostId !== null) {
          const host = this.ctx
            .sql<[string], { name: string; engagement_id: string }>(
              'SELECT name, engagement_id FROM host WHERE id = ?',
            )
            .get(hostId);
          if (!host || host.engagement_id !== scan.engagement_id) {
            throw new FoureyesError('bad_input', `host ${hostId} is not a host of the scan's engagement`);
          }
          name ??= host.name;
        }
        if (!name) throw new FoureyesError('bad_input', 'a host run needs a host or a target name');
        const id = randomUUID();
        ordinal += 1;
        this.ctx
          .sql(
            `INSERT INTO host_run (id, scan_id, host_id, ordinal, target_name, source, status)
             VALUES (@id, @scanId, @hostId, @ordinal, @name, @source, 'queued')`,
          )
          .run({ id, scanId, hostId, ordinal, name, source: t.source });
        ids.push(id);
      }
      return ids.map((id) => this.require(id));
    });
  }

  get(id: string): HostRun | undefined {
    const r = this.ctx.sql<[string], HostRunRow>(`SELECT ${COLUMNS} FROM host_run WHERE id = ?`).get(id);
    return r && this.toHostRun(r);
  }

  require(id: string): HostRun {
    const r = this.get(id);
    if (!r) throw new FoureyesError('not_found', `host run ${id} does not exist`);
    return r;
  }

  /** Runs of a scan in the order they were added. */
  list(scanId: string): HostRun[] {
    return this.ctx
      .sql<[string], HostRunRow>(`SELECT ${COLUMNS} FROM host_run WHERE scan_id = ? ORDER BY ordinal`)
      .all(scanId)
      .map((r) => this.toHostRun(r));
  }

  /** Number of host runs of each scan (scans without runs are absent). */
  countByScan(scanIds: readonly string[]): Map<string, number> {
    const rows = this.ctx
      .sql<[string], { scan_id: string; n: number }>(
        `SELECT scan_id, count(*) AS n FROM host_run WHERE scan_id IN (SELECT value FROM json_each(?)) GROUP BY scan_id`,
      )
      .all(JSON.stringify(scanIds));
    return new Map(rows.map((r) => [r.scan_id, r.n]));
  }

  /**
   * Moves a run forward (queued -> connecting -> collecting -> evaluating) or cancels it. `startedAt` is set when
   * it leaves `queued`. A run that already ended cannot be marked again; `done` and `failed` are written by
   * `completeHostRun` and `failHostRun`.
   */
  markHostRun(
    id: string,
    status: 'connecting' | 'collecting' | 'evaluating' | 'cancelled',
    opts: { privilege?: RunPrivilege } = {},
  ): HostRun {
    return this.ctx.tx(() => {
      const cur = this.requireActive(id, status);
      if (status !== 'cancelled' && PROGRESS.indexOf(status) < PROGRESS.indexOf(cur.status)) {
        throw this.ctx.error(`host run ${id} cannot go back from ${cur.status} to ${status}`);
      }
      const at = this.ctx.now();
      this.ctx
        .sql(
          `UPDATE host_run SET status = @status, privilege = coalesce(@privilege, privilege),
             started_at = coalesce(started_at, @at), finished_at = CASE WHEN @status = 'cancelled' THEN @at END
           WHERE id = @id`,
        )
        .run({ id, status, privilege: opts.privilege ?? null, at });
      return this.require(id);
    });
  }

  /**
   * Ends a run successfully: snapshot, every result and status `done` in one transaction. If any write fails
   * (a rejected result, a crash) nothing of it is stored and the run keeps its previous status.
   */
  completeHostRun(
    id: string,
    snapshot: FactSnapshot,
    results: readonly RecordedResult[],
    stats: HostRunStats,
    opts: { privilege?: RunPrivilege } = {},
  ): HostRun {
    const encoded = encodeSnapshot(snapshot);
    const statsJson = JSON.stringify(parseInput(StatsSchema, stats, 'host run stats'));
    return this.ctx.tx(() => {
      this.requireActive(id, 'done');
      this.snapshots.insert(id, encoded, snapshot.complete);
      this.results.insertMany(id, results);
      const at = this.ctx.now();
      this.ctx
        .sql(
          `UPDATE host_run SET status = 'done', privilege = coalesce(@privilege, privilege),
             started_at = coalesce(started_at, @at), finished_at = @at, stats = @stats WHERE id = @id`,
        )
        .run({ id, privilege: opts.privilege ?? null, at, stats: statsJson });
      return this.require(id);
    });
  }

  /**
   * Ends a run with an error. Whatever snapshot was collected is kept and marked incomplete (evidence of how
   * far the run got); no results are stored.
   */
  failHostRun(id: string, error: ErrorInfo, partialSnapshot?: FactSnapshot, stats?: HostRunStats): HostRun {
    const encoded = partialSnapshot && encodeSnapshot(partialSnapshot);
    const statsJson = stats ? JSON.stringify(parseInput(StatsSchema, stats, 'host run stats')) : null;
    parseInput(ErrorInfoSchema, error, 'host run error');
    return this.ctx.tx(() => {
      this.requireActive(id, 'failed');
      if (encoded) this.snapshots.insert(id, encoded, false);
      const at = this.ctx.now();
      this.ctx
        .sql(
          `UPDATE host_run SET status = 'failed', started_at = coalesce(started_at, @at), finished_at = @at,
             error_code = @code, error_message = @message, error_details = @details, stats = coalesce(@stats, stats)
           WHERE id = @id`,
        )
        .run({
          id,
          at,
          code: error.code,
          message: error.message,
          details: error.details ? JSON.stringify(error.details) : null,
          stats: statsJson,
        });
      return this.require(id);
    });
  }

  /** Every run not yet ended becomes `status` (used when a scan is cancelled or found interrupted). */
  endActive(status: 'interrupted' | 'cancelled', scanId?: string): number {
    const sql =
      scanId === undefined
        ? `UPDATE host_run SET status = @status, finished_at = CASE WHEN @status = 'cancelled' THEN @at END
           WHERE status IN ${ACTIVE_SQL}`
        : `UPDATE host_run SET status = @status, finished_at = CASE WHEN @status = 'cancelled' THEN @at END
           WHERE status IN ${ACTIVE_SQL} AND scan_id = @scanId`;
    return this.ctx.sql(sql).run({ status, at: this.ctx.now(), ...(scanId !== undefined ? { scanId } : {}) })
      .changes;
  }

  private requireActive(id: string, to: HostRunStatus): HostRun {
    const cur = this.require(id);
    if (isTerminalHostRunStatus(cur.status)) {
      throw this.ctx.error(
        `host run ${id} (${cur.targetName}) already ended as ${cur.status}; cannot mark it ${to}`,
      );
    }
    return cur;
  }
}
