/**
 * Counts of results per verdict and severity, by host run or by scan, computed by SQLite from the covering index
 * result_by_run_keys (schema 0002) without reading a result row. Scores and verdict counts are derived from these
 * (main/engine/score.ts scoreTally), so a scan of any size costs one aggregate query, not one read per host run.
 */
import { SEVERITIES, VERDICTS, type Severity, type Verdict } from '../../../shared/model/results.js';
import type { StoreContext } from '../context.js';
import { readEnum } from '../json.js';

/** How many results have this verdict and severity. */
export interface Tally {
  verdict: Verdict;
  severity: Severity;
  n: number;
}

/** Counts of one host run. `inSets[i]`: how many of the `n` have a check id in the i-th set asked for. */
export interface HostRunTally extends Tally {
  hostRunId: string;
  inSets: number[];
}

export interface ScanTally extends Tally {
  scanId: string;
}

/** At most this many check-id sets per query: each adds one fixed SQL fragment (statement cache key). */
export const MAX_TALLY_SETS = 8;

interface Row {
  owner: string;
  verdict: string;
  severity: string;
  n: number;
  [set: `s${number}`]: number;
}

export class ResultTallies {
  constructor(private readonly ctx: StoreContext) {}

  private tally(r: Row): Tally {
    const where = (column: string) => ({ table: 'result', id: r.owner, column });
    return {
      verdict: readEnum(this.ctx, VERDICTS, r.verdict, where('verdict')),
      severity: readEnum(this.ctx, SEVERITIES, r.severity, where('severity')),
      n: r.n,
    };
  }

  /**
   * Counts per host run of the scan, verdict and severity (host runs without results are absent), in the order
   * the runs were added. With `sets`, also how many of each group have their check id in each set (one pass:
   * e.g. the catalogue's checks of one family).
   */
  byHostRun(scanId: string, sets: readonly (readonly string[])[] = []): HostRunTally[] {
    if (sets.length > MAX_TALLY_SETS) throw new Error(`at most ${MAX_TALLY_SETS} check-id sets per tally`);
    const extra = sets.map((_, i) => `, sum(r.check_id IN (SELECT value FROM json_each(?))) AS s${i}`).join('');
    // Grouping by ordinal follows the order of both indexes used (host_run (scan_id, ordinal), then result_by_run_keys),
    // so SQLite aggregates as it reads, without a sort.
    const rows = this.ctx
      .sql<unknown[], Row>(
        `SELECT h.id AS owner, r.verdict, r.severity, count(*) AS n${extra}
         FROM host_run h CROSS JOIN result r ON r.host_run_id = h.id
         WHERE h.scan_id = ? GROUP BY h.ordinal, r.verdict, r.severity ORDER BY h.ordinal`,
      )
      .all(...sets.map((s) => JSON.stringify(s)), scanId);
    return rows.map((r) => ({
      hostRunId: r.owner,
      ...this.tally(r),
      inSets: sets.map((_, i) => r[`s${i}`] ?? 0),
    }));
  }

  /** Counts per scan, verdict and severity for each of `scanIds` (scans without results are absent). */
  byScan(scanIds: readonly string[]): ScanTally[] {
    if (scanIds.length === 0) return [];
    return this.ctx
      .sql<[string], Row>(
        `SELECT h.scan_id AS owner, r.verdict, r.severity, count(*) AS n
         FROM json_each(?) s CROSS JOIN host_run h ON h.scan_id = s.value CROSS JOIN result r ON r.host_run_id = h.id
         GROUP BY h.scan_id, r.verdict, r.severity`,
      )
      .all(JSON.stringify([...new Set(scanIds)]))
      .map((r) => ({ scanId: r.owner, ...this.tally(r) }));
  }
}
