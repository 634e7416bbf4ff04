/**
 * Host parts of findings (schema 0007, `finding_host`), and the results of a scan that generation reads: the
 * failing and passing verdicts of its completed host runs.
 */
import { z } from 'zod';
import { HOST_PART_STATES, type FindingHost, type HostPartState } from '../../../shared/model/finding.js';
import { SEVERITIES, type Evidence, type Severity } from '../../../shared/model/results.js';
import type { StoreContext } from '../context.js';
import { readEnum, readersBy, readJson, withExactCheck } from '../json.js';

interface PartRow {
  id: number;
  finding_id: string;
  check_id: string;
  host_id: string | null;
  target_name: string;
  state: string;
  first_scan_id: string | null;
  last_scan_id: string | null;
  result_id: number | null;
  actual: string;
  evidence: string;
  first_seen_at: string;
  last_seen_at: string;
  fixed_at: string | null;
}

const COLUMNS =
  'id, finding_id, check_id, host_id, target_name, state, first_scan_id, last_scan_id, result_id, actual, evidence, ' +
  'first_seen_at, last_seen_at, fixed_at';

const EVIDENCE_KEYS = ['factId', 'path', 'line', 'excerpt'];

/** An evidence list as the schema below gives it back: its keys in the schema's order, none other, of their types. */
function exactEvidence(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const e of value as unknown[]) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return false;
    let at = 0;
    for (const k of Object.keys(e)) {
      const i = EVIDENCE_KEYS.indexOf(k, at);
      if (i < 0) return false;
      at = i + 1;
    }
    const o = e as Record<string, unknown>;
    if (typeof o.factId !== 'string' || typeof o.excerpt !== 'string') return false;
    if (Object.hasOwn(o, 'path') && typeof o.path !== 'string') return false;
    if (Object.hasOwn(o, 'line') && (typeof o.line !== 'number' || !Number.isFinite(o.line))) return false;
  }
  return true;
}

export const EvidenceColumn: z.ZodType<Evidence[]> = withExactCheck(
  z.array(z.object({ factId: z.string(), path: z.string().optional(), line: z.number().optional(), excerpt: z.string() })),
  exactEvidence,
);

/** A failing or passing result of a completed host run of one scan. */
export interface ScanVerdict {
  resultId: number;
  checkId: string;
  verdict: 'fail' | 'pass';
  severity: Severity;
  actual: string;
  evidence: Evidence[];
  hostId: string | null;
  targetName: string;
}

/** What the last scan saw of one part. */
export interface PartSighting {
  state: HostPartState;
  scanId: string;
  resultId: number;
  actual: string;
  evidence: Evidence[];
}

export class FindingHostsRepo {
  constructor(private readonly ctx: StoreContext) {}

  private toPart(r: PartRow): FindingHost {
    const where = (column: string) => ({ table: 'finding_host', id: r.id, column });
    return {
      id: r.id,
      checkId: r.check_id,
      hostId: r.host_id,
      targetName: r.target_name,
      state: readEnum(this.ctx, HOST_PART_STATES, r.state, where('state')),
      firstScanId: r.first_scan_id,
      lastScanId: r.last_scan_id,
      resultId: r.result_id,
      actual: r.actual,
      evidence: readJson(this.ctx, EvidenceColumn, r.evidence, where('evidence')),
      firstSeenAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
      fixedAt: r.fixed_at,
    };
  }

  /** A finding's parts by check, then host name (all of them, or the page `offset`, `limit`). */
  forFinding(findingId: string, page: { offset: number; limit: number } = { offset: 0, limit: -1 }): FindingHost[] {
    return this.ctx
      .sql<[string, number, number], PartRow>(
        `SELECT ${COLUMNS} FROM finding_host WHERE finding_id = ?
         ORDER BY check_id, target_name, coalesce(host_id, ''), id LIMIT ? OFFSET ?`,
      )
      .all(findingId, page.limit, page.offset)
      .map((r) => this.toPart(r));
  }

  /**
   * `forFinding` (all parts) of many findings in one query: finding id -> its parts' reader (the rows are read now,
   * validated when the reader is called). A finding without parts is absent.
   */
  forFindings(findingIds: readonly string[]): Map<string, () => FindingHost[]> {
    const rows = this.ctx
      .sql<[string], PartRow>(
        `SELECT ${COLUMNS} FROM finding_host WHERE finding_id IN (SELECT value FROM json_each(?))
         ORDER BY finding_id, check_id, target_name, coalesce(host_id, ''), id`,
      )
      .all(JSON.stringify(findingIds));
    return readersBy(rows, (r) => r.finding_id, (r) => this.toPart(r));
  }

  count(findingId: string): number {
    return this.ctx.sql<[string], { n: number }>('SELECT count(*) AS n FROM finding_host WHERE finding_id = ?').get(findingId)!.n;
  }

  /** Adds a failing part seen first by `s.scanId`. */
  add(findingId: string, part: { checkId: string; hostId: string | null; targetName: string }, s: PartSighting): void {
    const now = this.ctx.now();
    this.ctx
      .sql(
        `INSERT INTO finding_host (finding_id, check_id, host_id, target_name, state, first_scan_id, last_scan_id,
                                   result_id, actual, evidence, first_seen_at, last_seen_at, fixed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        findingId,
        part.checkId,
        part.hostId,
        part.targetName,
        s.state,
        s.scanId,
        s.scanId,
        s.resultId,
        s.actual,
        JSON.stringify(s.evidence),
        now,
        now,
        s.state === 'fixed' ? now : null,
      );
  }

  /** Records what a later scan saw of part `id`. */
  update(id: number, s: PartSighting): void {
    const now = this.ctx.now();
    this.ctx
      .sql(
        `UPDATE finding_host SET state = ?, last_scan_id = ?, result_id = ?, actual = ?, evidence = ?, last_seen_at = ?,
           fixed_at = CASE WHEN ? = 'fixed' THEN coalesce(fixed_at, ?) ELSE NULL END
         WHERE id = ?`,
      )
      .run(s.state, s.scanId, s.resultId, s.actual, JSON.stringify(s.evidence), now, s.state, now, id);
  }

  /**
   * The failing results of the scan's completed host runs, and the passing ones of checks that already have a
   * finding in the engagement (other verdicts decide nothing here; a pass elsewhere has nothing to fix).
   */
  scanVerdicts(scanId: string): ScanVerdict[] {
    const rows = this.ctx
      .sql<
        [string],
        {
          id: number;
          check_id: string;
          verdict: string;
          severity: string;
          actual: string;
          evidence: string;
          host_id: string | null;
          target_name: string;
        }
      >(
        `SELECT r.id, r.check_id, r.verdict, r.severity, r.actual, r.evidence, h.host_id, h.target_name
         FROM result r JOIN host_run h ON h.id = r.host_run_id JOIN scan s ON s.id = h.scan_id
         WHERE h.scan_id = ? AND h.status = 'done'
           AND (r.verdict = 'fail' OR (r.verdict = 'pass' AND EXISTS (
             SELECT 1 FROM finding_check c WHERE c.engagement_id = s.engagement_id AND c.check_id = r.check_id)))
         ORDER BY r.check_id, h.ordinal`,
      )
      .all(scanId);
    return rows.map((r) => {
      const where = (column: string) => ({ table: 'result', id: r.id, column });
      return {
        resultId: r.id,
        checkId: r.check_id,
        verdict: r.verdict === 'fail' ? 'fail' : 'pass',
        severity: readEnum(this.ctx, SEVERITIES, r.severity, where('severity')),
        actual: r.actual,
        evidence: readJson(this.ctx, EvidenceColumn, r.evidence, where('evidence')),
        hostId: r.host_id,
        targetName: r.target_name,
      };
    });
  }
}
