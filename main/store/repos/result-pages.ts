/**
 * One page of a scan's results, filtered, sorted and paged by SQLite: only the page's rows are read in full and
 * handed to JS. What SQL cannot know (the catalogue's family, area and title of a check) arrives as lists of check
 * ids worked out by the caller.
 *
 * Order (total, so consecutive pages never overlap or skip): the sort key, then the host name in locale order (as
 * `localeCompare` orders it), then the check id, then the host run's position in the scan. Severity and verdict
 * sort by rank, not by their text. Sorting by host orders names by UTF-16 code units, as JS `<` does.
 *
 * Text matching folds case exactly as `String.prototype.toLowerCase` does. SQLite's LIKE folds ASCII only, which is
 * the same for a value that is all ASCII (the usual case, and the cheap one); any other value is lower-cased by the
 * connection's `js_lower()` (registered here) before the substring test.
 */
import { z } from 'zod';
import { IdSchema } from '../../../shared/api/schemas/common.js';
import { SEVERITIES, SHOWN_VERDICTS, type Severity, type ShownVerdict } from '../../../shared/model/results.js';
import type { StoreContext } from '../context.js';
import { parseInput } from '../input.js';
import { readEnum } from '../json.js';
import { bindWith, verdictSql, type WaivedKeys } from './waived-sql.js';

export const RESULT_PAGE_SORTS = ['severity', 'verdict', 'host', 'check'] as const;

/**
 * Verdicts from least to most in need of attention: descending puts errors and failures first. A waived result
 * (an accepted risk) ranks above a pass and below a result still to be looked at.
 */
export const VERDICT_RANK: readonly ShownVerdict[] = ['not_applicable', 'pass', 'waived', 'manual', 'fail', 'error'];

const CheckIdList = z.array(z.string().min(1).max(200)).max(100_000);

/** Which results of a scan, in which order, which slice. Filters combine with AND; values within one with OR. */
export const ResultPageQuerySchema = z.strictObject({
  verdicts: z.array(z.enum(SHOWN_VERDICTS)).max(SHOWN_VERDICTS.length).optional(),
  severities: z.array(z.enum(SEVERITIES)).max(SEVERITIES.length).optional(),
  hostIds: z.array(IdSchema).max(10_000).optional(),
  /** Results whose check id is in `in`; when `orNotIn` is given, also those whose check id is not in `orNotIn`. */
  checks: z.strictObject({ in: CheckIdList, orNotIn: CheckIdList.optional() }).optional(),
  /**
   * Results whose check id, host name, actual value or reason contains `contains` (case-insensitive), or whose
   * check id is in `orCheckIds` (what matched elsewhere, e.g. the catalogue's titles).
   */
  text: z.strictObject({ contains: z.string().min(1).max(1000), orCheckIds: CheckIdList }).optional(),
  sort: z.strictObject({ by: z.enum(RESULT_PAGE_SORTS), dir: z.enum(['asc', 'desc']) }),
  offset: z.number().int().min(0),
  limit: z.number().int().min(1).max(100_000),
});
export type ResultPageQuery = z.input<typeof ResultPageQuerySchema>;

/** A result as a table row shows it: no evidence, with its host run's target name and host. */
export interface ResultLine {
  hostRunId: string;
  hostId: string | null;
  targetName: string;
  checkId: string;
  /** As shown: `waived` when a waiver covers it (the stored verdict is untouched). */
  verdict: ShownVerdict;
  severity: Severity;
  expected: string;
  actual: string;
  reason: string;
}

interface LineRow {
  host_run_id: string;
  host_id: string | null;
  target_name: string;
  check_id: string;
  verdict: string;
  severity: string;
  expected: string;
  actual: string;
  reason: string;
}

interface RunRow {
  id: string;
  host_id: string | null;
  target_name: string;
}

const rankSql = (column: string, order: readonly string[]) =>
  `CASE ${column} ${order.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} END`;

const primary = (by: (typeof RESULT_PAGE_SORTS)[number], verdict: string): string =>
  ({
    severity: rankSql('r.severity', SEVERITIES),
    verdict: rankSql(verdict, VERDICT_RANK),
    host: 'j.value',
    check: 'r.check_id',
  })[by];

/**
 * Whether `column` contains the needle, ignoring case as JS does; binds a LIKE pattern, then the needle. length()
 * counts characters up to a NUL, octet_length() bytes: they agree only for ASCII without NUL.
 */
const contains = (column: string) =>
  `CASE WHEN length(${column}) = octet_length(${column}) THEN ${column} LIKE ? ESCAPE '\\' ` +
  `ELSE instr(js_lower(${column}), ?) > 0 END`;

/** A LIKE pattern for "contains `needle`", its wildcards escaped. */
const likeContains = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const IN_LIST = (column: string) => `${column} IN (SELECT value FROM json_each(?))`;

/** Dense ranks of the runs' names under `compare` (equal names share a rank). */
function nameRanks(runs: readonly RunRow[], compare: (a: string, b: string) => number): Map<string, number> {
  const sorted = [...runs].sort((a, b) => compare(a.target_name, b.target_name));
  const out = new Map<string, number>();
  let rank = 0;
  sorted.forEach((r, i) => {
    if (i > 0 && compare(sorted[i - 1]!.target_name, r.target_name) !== 0) rank++;
    out.set(r.id, rank);
  });
  return out;
}

const codeUnitOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const localeOrder = (a: string, b: string) => a.localeCompare(b);

export class ResultPages {
  constructor(private readonly ctx: StoreContext) {
    ctx.db.function('js_lower', { deterministic: true }, (s: unknown) =>
      typeof s === 'string' ? s.toLowerCase() : s,
    );
  }

  /**
   * The slice `offset .. offset + limit` of the matching results, in order, and how many match in all. With
   * `waived`, results it covers show, filter and sort as `waived` (waived-sql.ts), in the same statements.
   */
  page(scanId: string, query: ResultPageQuery, waived?: WaivedKeys): { items: ResultLine[]; total: number } {
    const q = parseInput(ResultPageQuerySchema, query, 'result page query');
    // One read transaction: the count and the page see the same results even if another process adds some.
    return this.ctx.db.transaction(() => this.read(scanId, q, waived)).deferred();
  }

  private read(
    scanId: string,
    q: z.output<typeof ResultPageQuerySchema>,
    waived: WaivedKeys | undefined,
  ): { items: ResultLine[]; total: number } {
    const verdict = verdictSql(waived);
    let runs = this.ctx
      .sql<[string], RunRow>('SELECT id, host_id, target_name FROM host_run WHERE scan_id = ? ORDER BY ordinal')
      .all(scanId);
    if (q.hostIds) {
      const wanted = new Set(q.hostIds);
      runs = runs.filter((r) => r.host_id !== null && wanted.has(r.host_id));
    }
    // The outer loop runs over the scan's host runs, each carrying its name's rank for the ORDER BY.
    const ranks = nameRanks(runs, q.sort.by === 'host' ? codeUnitOrder : localeOrder);
    const from = `FROM json_each(?) j CROSS JOIN host_run h ON h.id = j.key CROSS JOIN result r ON r.host_run_id = h.id`;
    const conds = ['h.scan_id = ?'];
    const params: unknown[] = [JSON.stringify(Object.fromEntries(ranks)), scanId];
    if (q.verdicts) {
      conds.push(IN_LIST(verdict));
      params.push(JSON.stringify(q.verdicts));
    }
    if (q.severities) {
      conds.push(IN_LIST('r.severity'));
      params.push(JSON.stringify(q.severities));
    }
    if (q.checks) {
      if (q.checks.orNotIn) {
        conds.push(`(${IN_LIST('r.check_id')} OR NOT ${IN_LIST('r.check_id')})`);
        params.push(JSON.stringify(q.checks.in), JSON.stringify(q.checks.orNotIn));
      } else {
        conds.push(IN_LIST('r.check_id'));
        params.push(JSON.stringify(q.checks.in));
      }
    }
    if (q.text) {
      const needle = q.text.contains.toLowerCase();
      const namedRuns = runs.filter((r) => r.target_name.toLowerCase().includes(needle)).map((r) => r.id);
      const like = likeContains(needle);
      conds.push(
        `(${IN_LIST('r.check_id')} OR ${IN_LIST('r.host_run_id')} OR ${contains('r.check_id')}` +
          ` OR ${contains('r.actual')} OR ${contains('r.reason')})`,
      );
      params.push(JSON.stringify(q.text.orCheckIds), JSON.stringify(namedRuns), like, needle, like, needle, like, needle);
    }
    const where = conds.join(' AND ');
    const order = `ORDER BY ${primary(q.sort.by, verdict)} ${q.sort.dir === 'asc' ? 'ASC' : 'DESC'}, j.value, r.check_id, h.ordinal`;
    const countSql = `SELECT count(*) AS n ${from} WHERE ${where}`;
    const count = () => this.ctx.sql<unknown[], { n: number }>(countSql).get(...bindWith(countSql, waived, params))!.n;
    let ids: number[];
    let total: number;
    if (q.text) {
      // The text test reads every row of the scan: count in the same pass rather than in a second one.
      const hitSql = `SELECT r.id AS id, count(*) OVER () AS total ${from} WHERE ${where} ${order} LIMIT ? OFFSET ?`;
      const hits = this.ctx
        .sql<unknown[], { id: number; total: number }>(hitSql)
        .all(...bindWith(hitSql, waived, [...params, q.limit, q.offset]));
      ids = hits.map((h) => h.id);
      total = hits[0]?.total ?? (q.offset === 0 ? 0 : count());
    } else {
      // Without text everything comes from the covering index: a count is cheap, a window over all rows is not.
      total = count();
      if (total <= q.offset) return { items: [], total };
      const idSql = `SELECT r.id ${from} WHERE ${where} ${order} LIMIT ? OFFSET ?`;
      ids = this.ctx
        .sql<unknown[], number>(idSql)
        .pluck(true)
        .all(...bindWith(idSql, waived, [...params, q.limit, q.offset]));
    }
    const rowSql = `SELECT r.host_run_id, h.host_id, h.target_name, r.check_id, ${verdict} AS verdict, r.severity,
         r.expected, r.actual, r.reason
         FROM json_each(?) p CROSS JOIN result r ON r.id = p.value CROSS JOIN host_run h ON h.id = r.host_run_id
         ORDER BY p.key`;
    const rows = this.ctx.sql<unknown[], LineRow>(rowSql).all(...bindWith(rowSql, waived, [JSON.stringify(ids)]));
    return { items: rows.map((r) => this.toLine(r)), total };
  }

  private toLine(r: LineRow): ResultLine {
    const where = (column: string) => ({ table: 'result', id: `${r.host_run_id}/${r.check_id}`, column });
    return {
      hostRunId: r.host_run_id,
      hostId: r.host_id,
      targetName: r.target_name,
      checkId: r.check_id,
      verdict: readEnum(this.ctx, SHOWN_VERDICTS, r.verdict, where('verdict')),
      severity: readEnum(this.ctx, SEVERITIES, r.severity, where('severity')),
      expected: r.expected,
      actual: r.actual,
      reason: r.reason,
    };
  }
}
