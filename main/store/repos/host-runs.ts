/**
 * Host runs: one target within one scan, from `queued` to a terminal status. The end of a run is written in one
 * transaction together with what it produced (snapshot, results), so a crash never leaves a half-written host.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FactSnapshot } from '../../../shared/facts/snapshot.js';
import { ERROR_CODES, FoureyesError, type ErrorInfo } from '../../../shared/model/errors.js';
import { boundIdentity, type TargetIdentity } from '../../../shared/model/identity.js';
import {
  ACTIVE_HOST_RUN_STATES,
  HOST_RUN_SOURCES,
  HOST_RUN_STATES,
  RUN_PRIVILEGES,
  isTerminalHostRunState,
  zeroHostRunCounts,
  type HostRun,
  type HostRunSource,
  type HostRunStats,
  type HostRunState,
  type RecordedResult,
  type RunPrivilege,
} from '../../../shared/model/workspace.js';
import { ErrorInfoSchema } from '../../../shared/api/schemas/common.js';
import { TargetIdentitySchema } from '../../../shared/api/schemas/scans.js';
import type { StoreContext } from '../context.js';
import { parseInput } from '../input.js';
import { readEnum, readJson } from '../json.js';
import type { OwnersRepo } from './owners.js';
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
  stopped_in: string | null;
  identity: string | null;
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
  sudoNotObtained: z.string().max(4096).optional(),
});
const IdentitySchema: z.ZodType<TargetIdentity> = TargetIdentitySchema.strict() as z.ZodType<TargetIdentity>;
/** Merges a JSON identity given as @identity (null: keep what is stored). */
const IDENTITY_SET = `identity = CASE WHEN @identity IS NULL THEN identity
  ELSE json_patch(coalesce(identity, '{}'), @identity) END`;

function identityJson(identity: TargetIdentity | undefined): string | null {
  const b = identity && boundIdentity(identity);
  return b && Object.keys(b).length > 0 ? JSON.stringify(b) : null;
}
const DetailsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** Statuses a run moves through in order before it ends; `markHostRun` only moves forward. */
const PROGRESS: readonly HostRunState[] = ACTIVE_HOST_RUN_STATES;
/** The active statuses as an SQL list (constants from the one list, no value from outside). */
export const ACTIVE_SQL = `(${ACTIVE_HOST_RUN_STATES.map((s) => `'${s}'`).join(', ')})`;

const COLUMNS =
  'id, scan_id, host_id, ordinal, target_name, source, status, privilege, started_at, finished_at, error_code, error_message, error_details, stopped_in, identity, stats';

/** A failed run of a scan with its reason (for scan summaries). */
export interface HostRunFailure {
  scanId: string;
  hostRunId: string;
  targetName: string;
  stoppedIn: (typeof ACTIVE_HOST_RUN_STATES)[number] | null;
  error: ErrorInfo;
}

export class HostRunsRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly snapshots: SnapshotsRepo,
    private readonly results: ResultsRepo,
    private readonly owners: OwnersRepo,
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
      hostName: r.target_name,
      source: readEnum(this.ctx, HOST_RUN_SOURCES, r.source, where('source')),
      state: readEnum(this.ctx, HOST_RUN_STATES, r.status, where('status')),
      privilege:
        r.privilege === null ? null : readEnum(this.ctx, RUN_PRIVILEGES, r.privilege, where('privilege')),
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      error,
      stoppedIn:
        r.stopped_in === null
          ? null
          : readEnum(this.ctx, ACTIVE_HOST_RUN_STATES, r.stopped_in, where('stopped_in')),
      identity:
        r.identity === null ? null : readJson(this.ctx, IdentitySchema, r.identity, where('identity')),
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
        .sql<[string], { engagement_id: string; status: string; owner_id: string | null }>(
          'SELECT engagement_id, status, owner_id FROM scan WHERE id = ?',
        )
        .get(scanId);
      if (!scan) throw new FoureyesError('not_found', `scan ${scanId} does not exist`);
      if (scan.status !== 'running')
        throw this.ctx.error(`scan ${scanId} is ${scan.status}; no host can be added`);
      this.requireOwner(scanId, scan.owner_id);
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

  /** Host runs of each scan per status, every status present (scans without runs are absent). */
  statesByScan(scanIds: readonly string[]): Map<string, Record<HostRunState, number>> {
    const rows = this.ctx
      .sql<[string], { scan_id: string; status: string; n: number }>(
        `SELECT scan_id, status, count(*) AS n FROM host_run WHERE scan_id IN (SELECT value FROM json_each(?))
         GROUP BY scan_id, status`,
      )
      .all(JSON.stringify(scanIds));
    const out = new Map<string, Record<HostRunState, number>>();
    for (const r of rows) {
      const status = readEnum(this.ctx, HOST_RUN_STATES, r.status, {
        table: 'host_run',
        id: r.scan_id,
        column: 'status',
      });
      let counts = out.get(r.scan_id);
      if (!counts) out.set(r.scan_id, (counts = zeroHostRunCounts()));
      counts[status] += r.n;
    }
    return out;
  }

  /** Per host: how its latest run with a known privilege ran (root, sudo, none) and when that run ended. */
  lastPrivileges(
    hostIds: readonly string[],
  ): { hostId: string; privilege: RunPrivilege; finishedAt: string | null }[] {
    const rows = this.ctx
      .sql<[string], { id: string; host_id: string; privilege: string; finished_at: string | null }>(
        `SELECT id, host_id, privilege, finished_at FROM (
           SELECT r.id, r.host_id, r.privilege, r.finished_at,
                  row_number() OVER (PARTITION BY r.host_id ORDER BY s.started_at DESC, r.rowid DESC) AS k
           FROM host_run r JOIN scan s ON s.id = r.scan_id
           WHERE r.privilege IS NOT NULL AND r.host_id IN (SELECT value FROM json_each(?))
         ) WHERE k = 1`,
      )
      .all(JSON.stringify(hostIds));
    return rows.map((r) => ({
      hostId: r.host_id,
      privilege: readEnum(this.ctx, RUN_PRIVILEGES, r.privilege, {
        table: 'host_run',
        id: r.id,
        column: 'privilege',
      }),
      finishedAt: r.finished_at,
    }));
  }

  /** The first `perScan` failed runs of each scan, in scan order, with their reasons. */
  failuresByScan(scanIds: readonly string[], perScan: number): HostRunFailure[] {
    const rows = this.ctx
      .sql<[string, number], HostRunRow>(
        `SELECT ${COLUMNS} FROM (
           SELECT *, row_number() OVER (PARTITION BY scan_id ORDER BY ordinal) AS k FROM host_run
           WHERE status = 'failed' AND scan_id IN (SELECT value FROM json_each(?))
         ) WHERE k <= ? ORDER BY scan_id, ordinal`,
      )
      .all(JSON.stringify(scanIds), perScan);
    return rows.map((r) => {
      const run = this.toHostRun(r);
      return {
        scanId: run.scanId,
        hostRunId: run.id,
        targetName: run.hostName,
        stoppedIn: run.stoppedIn,
        error: run.error ?? { code: 'internal', message: 'failed without a recorded reason' },
      };
    });
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
      if (status !== 'cancelled' && PROGRESS.indexOf(status) < PROGRESS.indexOf(cur.state)) {
        throw this.ctx.error(`host run ${id} cannot go back from ${cur.state} to ${status}`);
      }
      const at = this.ctx.now();
      this.ctx
        .sql(
          `UPDATE host_run SET status = @status, privilege = coalesce(@privilege, privilege),
             started_at = coalesce(started_at, @at), finished_at = CASE WHEN @status = 'cancelled' THEN @at END,
             stopped_in = CASE WHEN @status = 'cancelled' THEN status END
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
    opts: { privilege?: RunPrivilege; identity?: TargetIdentity } = {},
  ): HostRun {
    const encoded = encodeSnapshot(snapshot);
    const identity = identityJson(opts.identity);
    const statsJson = JSON.stringify(parseInput(StatsSchema, stats, 'host run stats'));
    return this.ctx.tx(() => {
      this.requireActive(id, 'done');
      this.snapshots.insert(id, encoded, snapshot.complete);
      this.results.insertMany(id, results);
      const at = this.ctx.now();
      this.ctx
        .sql(
          `UPDATE host_run SET status = 'done', privilege = coalesce(@privilege, privilege),
             started_at = coalesce(started_at, @at), finished_at = @at, stats = @stats, ${IDENTITY_SET}
           WHERE id = @id`,
        )
        .run({ id, privilege: opts.privilege ?? null, at, stats: statsJson, identity });
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
          `UPDATE host_run SET status = 'failed', stopped_in = status, started_at = coalesce(started_at, @at), finished_at = @at,
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

  /**
   * Adds what the target said it is to a run (merged with what was recorded before: the SSH greeting at connect,
   * the collected identity facts at the end). Bounded here, whoever calls. Only while the run is active.
   */
  recordIdentity(id: string, identity: TargetIdentity): HostRun {
    const json = identityJson(identity);
    return this.ctx.tx(() => {
      const cur = this.requireActive(id, 'identified');
      if (json === null) return cur;
      this.ctx.sql(`UPDATE host_run SET ${IDENTITY_SET} WHERE id = @id`).run({ id, identity: json });
      return this.require(id);
    });
  }

  /**
   * Every run of a scan not yet ended becomes `status` (a scan cancelled, or found interrupted). Only the scan's
   * owner may, but for the sweep of a scan whose owner is gone (`sweep`, decided by the caller).
   */
  endActive(status: 'interrupted' | 'cancelled', scanId: string, opts: { sweep?: boolean } = {}): number {
    if (!opts.sweep) this.requireOwner(scanId, this.ownerOf(scanId));
    return this.ctx
      .sql(
        `UPDATE host_run SET status = @status, stopped_in = status,
           finished_at = CASE WHEN @status = 'cancelled' THEN @at END
         WHERE status IN ${ACTIVE_SQL} AND scan_id = @scanId`,
      )
      .run({ status, at: this.ctx.now(), scanId }).changes;
  }

  private ownerOf(scanId: string): string | null {
    return (
      this.ctx.sql<[string], { owner_id: string | null }>('SELECT owner_id FROM scan WHERE id = ?').get(scanId)
        ?.owner_id ?? null
    );
  }

  /** Refuses a change to a scan another process owns: only the owner writes a live scan's runs. */
  private requireOwner(scanId: string, ownerId: string | null): void {
    if (ownerId === this.owners.myId) return;
    throw this.ctx.error(
      `scan ${scanId} is run by ${this.owners.describe(ownerId)}, not by this process; only its owner may change it`,
    );
  }

  private requireActive(id: string, to: HostRunState | 'identified'): HostRun {
    const cur = this.require(id);
    if (isTerminalHostRunState(cur.state)) {
      throw this.ctx.error(
        `host run ${id} (${cur.hostName}) already ended as ${cur.state}; cannot mark it ${to}`,
      );
    }
    this.requireOwner(cur.scanId, this.ownerOf(cur.scanId));
    return cur;
  }
}
