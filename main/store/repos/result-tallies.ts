/**
 * Counts of results per verdict and severity, by host run or by scan, computed by SQLite from the covering index
 * result_by_run_keys (schema 0002) without reading a result row. Scores and verdict counts are derived from these
 * (main/engine/score.ts scoreTally), so a scan of any size costs one aggregate query, not one read per host run.
 */
import {
  SEVERITIES,
  SHOWN_VERDICTS,
  VERDICTS,
  addCount,
  zeroVerdictCounts,
  type Severity,
  type ShownCounts,
  type ShownVerdict,
} from '../../../shared/model/results.js';
import type { StoreContext } from '../context.js';
import { readEnum } from '../json.js';
import { SHOWN_VERDICT_SQL, hasWaivers, waivedParams, type WaivedKeys } from './waived-sql.js';

/** How many results have this verdict (as shown: `waived` when a waiver covers them) and severity. */
export interface Tally {
  verdict: ShownVerdict;
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
      verdict: readEnum(this.ctx, SHOWN_VERDICTS, r.verdict, where('verdict')),
      severity: readEnum(this.ctx, SEVERITIES, r.severity, where('severity')),
      n: r.n,
    };
  }

  /**
   * Counts per host run of the scan, verdict and severity (host runs without results are absent). With `sets`,
   * also how many of each group have their check id in each set (in the same pass: e.g. the catalogue's checks
   * of one family).
   */
  byHostRun(scanId: string, sets: readonly (readonly string[])[] = [], waived?: WaivedKeys): HostRunTally[] {
    if (sets.length > MAX_TALLY_SETS) throw new Error(`at most ${MAX_TALLY_SETS} check-id sets per tally`);
    const extra = sets.map((_, i) => `, sum(r.check_id IN (SELECT value FROM json_each(?))) AS s${i}`).join('');
    const args: unknown[] = [...sets.map((s) => JSON.stringify(s)), scanId];
    // Grouping by ordinal follows the order in which both indexes are read (host_run (scan_id, ordinal), then
    // result_by_run_keys), so SQLite aggregates as it reads, without sorting 25,000 entries first. With waivers the
    // shown verdict is grouped instead (a sort of the scan's index entries, in the same single pass).
    const verdict = hasWaivers(waived) ? SHOWN_VERDICT_SQL : 'r.verdict';
    const rows = this.ctx
      .sql<unknown[], Row>(
        `SELECT h.id AS owner, ${verdict} AS verdict, r.severity AS severity, count(*) AS n${extra}
         FROM host_run h CROSS JOIN result r ON r.host_run_id = h.id
         WHERE h.scan_id = ? GROUP BY h.ordinal, ${verdict}, r.severity`,
      )
      .all(...(hasWaivers(waived) ? [waivedParams(waived), ...args] : args));
    return rows.map((r) => ({
      hostRunId: r.owner,
      ...this.tally(r),
      inSets: sets.map((_, i) => r[`s${i}`] ?? 0),
    }));
  }

  /** Counts per scan, verdict and severity for each of `scanIds` (combinations without results are absent). */
  byScan(scanIds: readonly string[], waived?: WaivedKeys): ScanTally[] {
    if (scanIds.length === 0) return [];
    if (hasWaivers(waived)) return this.shownByScan(scanIds, waived).map((r) => ({ scanId: r.owner, ...this.tally(r) }));
    return this.ctx
      .sql<[string, string, string], Row>(
        `SELECT * FROM (SELECT s.value AS owner, v.value AS verdict, w.value AS severity, ${countInScan(true)} AS n
                        FROM json_each(?) s, json_each(?) v, json_each(?) w) WHERE n > 0`,
      )
      .all(JSON.stringify([...new Set(scanIds)]), JSON.stringify(VERDICTS), JSON.stringify(SEVERITIES))
      .map((r) => ({ scanId: r.owner, ...this.tally(r) }));
  }

  /**
   * With waivers: counts per scan, shown verdict and severity in one pass over the scans' results, grouped by the
   * shown verdict (the stored verdict's index ranges cannot be counted apart once a waiver moves some of them).
   */
  private shownByScan(scanIds: readonly string[], waived: WaivedKeys): Row[] {
    return this.ctx
      .sql<unknown[], Row>(
        `SELECT h.scan_id AS owner, ${SHOWN_VERDICT_SQL} AS verdict, r.severity AS severity, count(*) AS n
         FROM json_each(?) s CROSS JOIN host_run h ON h.scan_id = s.value CROSS JOIN result r ON r.host_run_id = h.id
         GROUP BY h.scan_id, ${SHOWN_VERDICT_SQL}, r.severity`,
      )
      .all(waivedParams(waived), JSON.stringify([...new Set(scanIds)]));
  }

  /** Counts per verdict of each of `scanIds` (every stored verdict present, zero when none; `waived` when any). */
  verdictsByScan(scanIds: readonly string[], waived?: WaivedKeys): Map<string, ShownCounts> {
    const out = new Map<string, ShownCounts>();
    if (scanIds.length === 0) return out;
    if (hasWaivers(waived)) {
      for (const id of scanIds) out.set(id, zeroVerdictCounts());
      for (const r of this.shownByScan(scanIds, waived)) {
        const t = this.tally(r);
        addCount(out.get(r.owner)!, t.verdict, t.n);
      }
      return out;
    }
    const rows = this.ctx
      .sql<[string, string], { owner: string; verdict: string; n: number }>(
        `SELECT s.value AS owner, v.value AS verdict, ${countInScan(false)} AS n
         FROM json_each(?) s, json_each(?) v`,
      )
      .all(JSON.stringify([...new Set(scanIds)]), JSON.stringify(VERDICTS));
    for (const r of rows) {
      let c = out.get(r.owner);
      if (!c) out.set(r.owner, (c = zeroVerdictCounts() as ShownCounts));
      c[readEnum(this.ctx, VERDICTS, r.verdict, { table: 'result', id: r.owner, column: 'verdict' })] = r.n;
    }
    return out;
  }
}
