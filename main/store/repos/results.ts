/**
 * Results: one row per (host run, check). Written only together with their host run's completion (see
 * HostRunsRepo.completeHostRun); read per host run or per scan with filters.
 */
import { z } from 'zod';
import { IdSchema } from '../../../shared/api/schemas/common.js';
import {
  SEVERITIES,
  VERDICTS,
  severityRank,
  zeroVerdictCounts,
  type ShownCounts,
  type Severity,
  type Verdict,
} from '../../../shared/model/results.js';
import type { RecordedResult, StoredResult } from '../../../shared/model/workspace.js';
import { constraintKind, sqlBool, type StoreContext } from '../context.js';
import { parseInput } from '../input.js';
import { readEnum, readJson } from '../json.js';
import { EvidenceColumn } from './finding-hosts.js';
import { ResultPages, type ResultLine, type ResultPageQuery } from './result-pages.js';
import { ResultTallies, type HostRunTally, type ScanTally } from './result-tallies.js';
import type { WaivedKeys } from './waived-sql.js';

export interface ResultSqlRow {
  id: number;
  host_run_id: string;
  check_id: string;
  check_digest: string;
  verdict: string;
  severity: string;
  expected: string;
  actual: string;
  reason: string;
  evidence: string;
  needs_privilege: number;
}

type ScanResultSqlRow = ResultSqlRow & { target_name: string; host_id: string | null };


/** Which results of a scan to return. Filters combine with AND; values within one filter with OR. */
export const ResultQuerySchema = z.strictObject({
  verdicts: z.array(z.enum(VERDICTS)).max(VERDICTS.length).optional(),
  severities: z.array(z.enum(SEVERITIES)).max(SEVERITIES.length).optional(),
  /** Only results at or above this severity. */
  minSeverity: z.enum(SEVERITIES).optional(),
  hostIds: z.array(IdSchema).max(10_000).optional(),
  hostRunIds: z.array(IdSchema).max(10_000).optional(),
  checkIds: z.array(z.string().min(1).max(200)).max(10_000).optional(),
  /** Paging: at most `limit` results, after skipping `offset`. */
  limit: z.number().int().min(1).max(1_000_000).optional(),
  offset: z.number().int().min(0).optional(),
});
export type ResultQuery = z.input<typeof ResultQuerySchema>;

export type VerdictCounts = Record<Verdict, number>;

const COLUMNS =
  'r.id, r.host_run_id, r.check_id, r.check_digest, r.verdict, r.severity, r.expected, r.actual, r.reason, r.evidence, r.needs_privilege';

export class ResultsRepo {
  private readonly pages: ResultPages;
  private readonly tallies: ResultTallies;

  constructor(private readonly ctx: StoreContext) {
    this.pages = new ResultPages(ctx);
    this.tallies = new ResultTallies(ctx);
  }

  /**
   * One page of a scan's results, filtered and sorted in SQL, and the number matching (result-pages.ts). With
   * `waived` (main/waivers/overlay.ts), the results it covers show as `waived`; so do the tallies below.
   */
  page(scanId: string, query: ResultPageQuery, waived?: WaivedKeys): { items: ResultLine[]; total: number } {
    return this.pages.page(scanId, query, waived);
  }

  /** Counts per host run, verdict and severity, optionally per check-id set (result-tallies.ts). */
  tallyByHostRun(scanId: string, sets?: readonly (readonly string[])[], waived?: WaivedKeys): HostRunTally[] {
    return this.tallies.byHostRun(scanId, sets, waived);
  }

  /** Counts per scan, verdict and severity (result-tallies.ts). */
  tallyByScan(scanIds: readonly string[], waived?: WaivedKeys): ScanTally[] {
    return this.tallies.byScan(scanIds, waived);
  }

  /** Counts per verdict of each scan (result-tallies.ts). */
  verdictsByScan(scanIds: readonly string[], waived?: WaivedKeys): Map<string, ShownCounts> {
    return this.tallies.verdictsByScan(scanIds, waived);
  }

  private toResult(r: ResultSqlRow, run: { target_name: string; host_id: string | null }): StoredResult {
    const where = (column: string) => ({ table: 'result', id: r.id, column });
    const needsPrivilege = r.needs_privilege === 1;
    return {
      id: r.id,
      hostRunId: r.host_run_id,
      hostName: run.target_name,
      hostId: run.host_id,
      checkId: r.check_id,
      checkDigest: r.check_digest,
      verdict: readEnum(this.ctx, VERDICTS, r.verdict, where('verdict')),
      severity: readEnum(this.ctx, SEVERITIES, r.severity, where('severity')),
      expected: r.expected,
      actual: r.actual,
      reason: r.reason,
      evidence: readJson(this.ctx, EvidenceColumn, r.evidence, where('evidence')),
      ...(needsPrivilege ? { needsPrivilege } : {}),
    };
  }

  /**
   * Inserts the results of one host run. Call inside the transaction that completes the run: a rejected row
   * (bad verdict, duplicate check) throws and takes the whole transaction with it.
   */
  insertMany(hostRunId: string, results: readonly RecordedResult[]): void {
    const stmt = this.ctx.sql(
      `INSERT INTO result (host_run_id, check_id, check_digest, verdict, severity, expected, actual, reason, evidence,
                           needs_privilege)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of results) {
      try {
        // Positional parameters: some thousands of rows a scan, bound faster than by name.
        stmt.run(
          hostRunId,
          r.checkId,
          r.checkDigest,
          r.verdict,
          r.severity,
          r.expected,
          r.actual,
          r.reason,
          JSON.stringify(r.evidence),
          sqlBool(r.needsPrivilege),
        );
      } catch (e) {
        const kind = constraintKind(e);
        if (!kind) throw e;
        const why =
          kind === 'SQLITE_CONSTRAINT_UNIQUE'
            ? 'a second result for the same check'
            : `rejected (${(e as Error).message}; verdict "${r.verdict}", severity "${r.severity}")`;
        throw this.ctx.error(`host run ${hostRunId}: result for check "${r.checkId}": ${why}`);
      }
    }
  }

  /** Results of one host run, by check id. */
  forHostRun(hostRunId: string): StoredResult[] {
    return this.ctx
      .sql<[string], ScanResultSqlRow>(
        `SELECT ${COLUMNS}, h.target_name, h.host_id FROM result r JOIN host_run h ON h.id = r.host_run_id
         WHERE r.host_run_id = ? ORDER BY r.check_id`,
      )
      .all(hostRunId)
      .map((r) => this.toResult(r, r));
  }

  /** Results of a scan in host-run order then by check id, optionally filtered and paged. */
  forScan(scanId: string, query: ResultQuery = {}): StoredResult[] {
    const q = parseInput(ResultQuerySchema, query, 'result filter');
    const { where, params } = this.scanFilter(scanId, q);
    return this.ctx
      .sql<unknown[], ScanResultSqlRow>(
        `SELECT ${COLUMNS}, h.target_name, h.host_id FROM result r JOIN host_run h ON h.id = r.host_run_id
         WHERE ${where} ORDER BY h.ordinal, r.check_id LIMIT ? OFFSET ?`,
      )
      .all(...params, q.limit ?? -1, q.offset ?? 0)
      .map((r) => this.toResult(r, r));
  }

  /** How many results of a scan match the filter (paging ignored). */
  countForScan(scanId: string, query: ResultQuery = {}): number {
    const q = parseInput(ResultQuerySchema, query, 'result filter');
    const { where, params } = this.scanFilter(scanId, q);
    return this.ctx
      .sql<unknown[], { n: number }>(
        `SELECT count(*) AS n FROM result r JOIN host_run h ON h.id = r.host_run_id WHERE ${where}`,
      )
      .get(...params)!.n;
  }

  private scanFilter(
    scanId: string,
    q: z.output<typeof ResultQuerySchema>,
  ): { where: string; params: unknown[] } {
    let severities = q.severities;
    if (q.minSeverity !== undefined) {
      const min = severityRank(q.minSeverity);
      const atLeast = SEVERITIES.filter((s) => severityRank(s) >= min);
      severities = severities ? severities.filter((s) => atLeast.includes(s)) : [...atLeast];
    }
    // Each present filter adds one fixed condition with one bound JSON array, so the SQL text (the statement
    // cache key) takes at most 2^5 shapes and values never reach it.
    const conds = ['h.scan_id = ?'];
    const params: unknown[] = [scanId];
    const add = (column: string, values: readonly string[] | undefined) => {
      if (values === undefined) return;
      conds.push(`${column} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(values));
    };
    add('r.verdict', q.verdicts);
    add('r.severity', severities as Severity[] | undefined);
    add('h.host_id', q.hostIds);
    add('r.host_run_id', q.hostRunIds);
    add('r.check_id', q.checkIds);
    return { where: conds.join(' AND '), params };
  }

  /** Number of results per verdict for each host run of a scan (host runs without results are absent). */
  verdictCounts(scanId: string): Map<string, VerdictCounts> {
    const rows = this.ctx
      .sql<[string], { host_run_id: string; verdict: string; n: number }>(
        `SELECT r.host_run_id, r.verdict, count(*) AS n FROM result r JOIN host_run h ON h.id = r.host_run_id
         WHERE h.scan_id = ? GROUP BY r.host_run_id, r.verdict`,
      )
      .all(scanId);
    const out = new Map<string, VerdictCounts>();
    for (const r of rows) {
      let c = out.get(r.host_run_id);
      if (!c) {
        c = zeroVerdictCounts();
        out.set(r.host_run_id, c);
      }
      c[readEnum(this.ctx, VERDICTS, r.verdict, { table: 'result', id: r.host_run_id, column: 'verdict' })] =
        r.n;
    }
    return out;
  }
}
