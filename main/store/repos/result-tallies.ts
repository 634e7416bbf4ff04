/**
 * Counts of results per verdict and severity, by host run or by scan, computed by SQLite from the covering index
 * result_by_run_keys (schema 0002) without reading a result row. Scores and verdict counts are derived from these
 * (main/engine/score.ts scoreTally), so a scan of any size costs one aggregate query, not one read per host run.
 */
import { SEVERITIES, VERDICTS, zeroVerdictCounts, type Severity, type Verdict } from '../../../shared/model/results.js';
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

/**
 * How many results of scan `s.value` have verdict `v.value` (and severity `w.value`): one range of the covering
 * index per host run, counted without a sort (a GROUP BY over a scan sorts all of its index entries first).
 */
const countInScan = (withSeverity: boolean) =>
  `(SELECT count(*) FROM host_run h CROSS JOIN result r ON r.host_run_id = h.id AND r.verdict = v.value` +
  `${withSeverity ? ' AND r.severity = w.value' : ''} WHERE h.scan_id = s.value)`;

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
   * Counts per host run of the scan, verdict and severity (host runs without results are absent). With `sets`,
   * also how many of each group have their check id in each set (in the same pass: e.g. the catalogue's checks
   * of one family).
   */
  byHostRun(scanId: string, sets: readonly (readonly string[])[] = []): HostRunTally[] {
    if (sets.length > MAX_TALLY_SETS) throw new Error(`at most ${MAX_TALLY_SETS} check-id sets per tally`);
    const extra = sets.map((_, i) => `, sum(r.check_id IN (SELECT value FROM json_each(?))) AS s${i}`).join('');
    // Grouping by ordinal follows the order in which both indexes are read (host_run (scan_id, ordinal), then
    // result_by_run_keys), so SQLite aggregates as it reads, without sorting 25,000 entries first.
    const rows = this.ctx
      .sql<unknown[], Row>(
        `SELECT h.id AS owner, r.verdict, r.severity, count(*) AS n${extra}
         FROM host_run h CROSS JOIN result r ON r.host_run_id = h.id
         WHERE h.scan_id = ? GROUP BY h.ordinal, r.verdict, r.severity`,
      )
      .all(...sets.map((s) => JSON.stringify(s)), scanId);
    return rows.map((r) => ({
      hostRunId: r.owner,
      ...this.tally(r),
      inSets: sets.map((_, i) => r[`s${i}`] ?? 0),
    }));
  }

  /** Counts per scan, verdict and severity for each of `scanIds` (combinations without results are absent). */
  byScan(scanIds: readonly string[]): ScanTally[] {
    if (scanIds.length === 0) return [];
    return this.ctx
      .sql<[string, string, string], Row>(
        `SELECT * FROM (SELECT s.value AS owner, v.value AS verdict, w.value AS severity, ${countInScan(true)} AS n
                        FROM json_each(?) s, json_each(?) v, json_each(?) w) WHERE n > 0`,
      )
      .all(JSON.stringify([...new Set(scanIds)]), JSON.stringify(VERDICTS), JSON.stringify(SEVERITIES))
      .map((r) => ({ scanId: r.owner, ...this.tally(r) }));
  }

  /** Counts per verdict of each of `scanIds` (every verdict present, zero when none). */
  verdictsByScan(scanIds: readonly string[]): Map<string, Record<Verdict, number>> {
    const out = new Map<string, Record<Verdict, number>>();
    if (scanIds.length === 0) return out;
    const rows = this.ctx
      .sql<[string, string], { owner: string; verdict: string; n: number }>(
        `SELECT s.value AS owner, v.value AS verdict, ${countInScan(false)} AS n
         FROM json_each(?) s, json_each(?) v`,
      )
      .all(JSON.stringify([...new Set(scanIds)]), JSON.stringify(VERDICTS));
    for (const r of rows) {
      let c = out.get(r.owner);
      if (!c) out.set(r.owner, (c = zeroVerdictCounts()));
      c[readEnum(this.ctx, VERDICTS, r.verdict, { table: 'result', id: r.owner, column: 'verdict' })] = r.n;
    }
    return out;
  }
}
