/**
 * Findings the way a list and a review queue ask for them (schema 0007): filtered, sorted and cut in SQL, each with
 * its hosts counted and its live approvals, so only the page's findings are read. Severity and status sort by rank,
 * not by their text; ties by title (case folded), then id, so consecutive pages never overlap or skip.
 */
import { FINDING_STATUSES, type FindingStatus, type ReviewState } from '../../../shared/model/finding.js';
import { SEVERITIES, type Severity } from '../../../shared/model/results.js';
import type { StoreContext } from '../context.js';

export const FINDING_PAGE_SORTS = ['severity', 'title', 'status', 'updated'] as const;

export interface FindingPageQuery {
  /** One engagement's findings; absent: every engagement's. */
  engagementId?: string;
  severities?: readonly Severity[];
  statuses?: readonly FindingStatus[];
  reviewStates?: readonly ReviewState[];
  /** A part on one of these hosts, or on a target of one of these names. */
  hostIds?: readonly string[];
  hostNames?: readonly string[];
  /** The customer's owner, exactly; null matches findings without one. */
  owners?: readonly (string | null)[];
  /** Only findings in review that this person may approve (not an author, not the submitter, not yet approved by them). */
  reviewableBy?: string;
  /** Leave out findings of archived engagements. */
  activeEngagementsOnly?: boolean;
  sort: { by: (typeof FINDING_PAGE_SORTS)[number]; dir: 'asc' | 'desc' };
  offset: number;
  limit: number;
}

/**
 * Failing parts shown as waived: checks waived on every host of an engagement ([engagementId, checkId]) and on one
 * host ([hostId, checkId]).
 */
export interface WaivedParts {
  allHosts: readonly (readonly [string, string])[];
  hostChecks: readonly (readonly [string, string])[];
}

/** One finding of a page: its id, and what the list shows beside the finding itself. */
export interface FindingPageLine {
  id: string;
  /** Distinct targets with a failing part no waiver covers, and with one a waiver covers. */
  failingHosts: number;
  waivedHosts: number;
  allHosts: number;
  failingNames: string[];
  approvals: number;
  approvalsRequired: number;
}

const rank = (column: string, values: readonly string[]) =>
  `CASE ${column} ${values.map((v, i) => `WHEN '${v}' THEN ${i}`).join(' ')} END`;

const ORDER: Record<FindingPageQuery['sort']['by'], string> = {
  severity: rank('f.severity', SEVERITIES),
  status: rank('f.status', FINDING_STATUSES),
  title: 'f.title COLLATE NOCASE',
  updated: 'f.updated_at',
};

const WHERE = `
  WHERE (@engagement IS NULL OR f.engagement_id = @engagement)
    AND (@severities IS NULL OR f.severity IN (SELECT value FROM json_each(@severities)))
    AND (@statuses IS NULL OR f.status IN (SELECT value FROM json_each(@statuses)))
    AND (@reviewStates IS NULL OR f.review_state IN (SELECT value FROM json_each(@reviewStates)))
    AND ((@hostIds IS NULL AND @hostNames IS NULL) OR EXISTS (
      SELECT 1 FROM finding_host h WHERE h.finding_id = f.id AND (
        h.host_id IN (SELECT value FROM json_each(coalesce(@hostIds, '[]')))
        OR h.target_name IN (SELECT value FROM json_each(coalesce(@hostNames, '[]'))))))
    AND (@owners IS NULL OR f.customer_owner IN (SELECT value FROM json_each(@owners))
      OR (f.customer_owner IS NULL AND EXISTS (SELECT 1 FROM json_each(@owners) WHERE type = 'null')))
    AND (@reviewer IS NULL OR (f.review_state = 'in_review'
      AND coalesce(f.submitted_by, '') <> @reviewer
      AND NOT EXISTS (SELECT 1 FROM finding_author a WHERE a.finding_id = f.id AND a.person_id = @reviewer)
      AND NOT EXISTS (SELECT 1 FROM finding_approval p
                      WHERE p.finding_id = f.id AND p.reviewer_id = @reviewer AND p.voided_at IS NULL)))
    AND (@active = 0 OR e.archived_at IS NULL)`;

/** A distinct target of a finding: the inventory host, or the name of a target outside it. */
const TARGET = `coalesce(h.host_id, '~' || h.target_name)`;

/** A part an approved waiver covers (main/waivers/overlay.ts): bound as two JSON arrays of pairs. */
const WAIVED = `(json_array(f.engagement_id, h.check_id) IN (SELECT value FROM json_each(@waivedAll))
  OR json_array(h.host_id, h.check_id) IN (SELECT value FROM json_each(@waivedHosts)))`;

export class FindingPagesRepo {
  constructor(private readonly ctx: StoreContext) {}

  private params(q: FindingPageQuery) {
    const list = (v: readonly unknown[] | undefined) => (v === undefined ? null : JSON.stringify(v));
    return {
      engagement: q.engagementId ?? null,
      severities: list(q.severities),
      statuses: list(q.statuses),
      reviewStates: list(q.reviewStates),
      hostIds: list(q.hostIds),
      hostNames: list(q.hostNames),
      owners: list(q.owners),
      reviewer: q.reviewableBy ?? null,
      active: q.activeEngagementsOnly ? 1 : 0,
    };
  }

  /** The page's findings in order, and how many match in all. */
  page(
    q: FindingPageQuery,
    listedNames: number,
    waived: WaivedParts = { allHosts: [], hostChecks: [] },
  ): { lines: FindingPageLine[]; total: number } {
    const dir = q.sort.dir === 'asc' ? 'ASC' : 'DESC';
    const rows = this.ctx
      .sql<
        [Record<string, unknown>],
        {
          id: string;
          failing: number;
          waived: number;
          hosts: number;
          names: string;
          approvals: number;
          required: number;
        }
      >(
        `SELECT f.id,
           (SELECT count(DISTINCT ${TARGET}) FROM finding_host h
              WHERE h.finding_id = f.id AND h.state = 'failing' AND NOT ${WAIVED}) AS failing,
           (SELECT count(DISTINCT ${TARGET}) FROM finding_host h
              WHERE h.finding_id = f.id AND h.state = 'failing' AND ${WAIVED}) AS waived,
           (SELECT count(DISTINCT ${TARGET}) FROM finding_host h WHERE h.finding_id = f.id) AS hosts,
           (SELECT json_group_array(n) FROM (SELECT DISTINCT h.target_name AS n FROM finding_host h
              WHERE h.finding_id = f.id AND h.state = 'failing' AND NOT ${WAIVED} ORDER BY n LIMIT @names)) AS names,
           (SELECT count(DISTINCT p.reviewer_id) FROM finding_approval p
              WHERE p.finding_id = f.id AND p.voided_at IS NULL AND p.revision = f.revision) AS approvals,
           e.approvals_required AS required
         FROM finding f JOIN engagement e ON e.id = f.engagement_id
         ${WHERE}
         ORDER BY ${ORDER[q.sort.by]} ${dir}, f.title COLLATE NOCASE ASC, f.id ASC
         LIMIT @limit OFFSET @offset`,
      )
      .all({
        ...this.params(q),
        names: listedNames,
        limit: q.limit,
        offset: q.offset,
        waivedAll: JSON.stringify(waived.allHosts),
        waivedHosts: JSON.stringify(waived.hostChecks),
      });
    const total = this.ctx
      .sql<[Record<string, unknown>], { n: number }>(
        `SELECT count(*) AS n FROM finding f JOIN engagement e ON e.id = f.engagement_id ${WHERE}`,
      )
      .get(this.params(q))!.n;
    return {
      total,
      lines: rows.map((r) => ({
        id: r.id,
        failingHosts: r.failing,
        waivedHosts: r.waived,
        allHosts: r.hosts,
        failingNames: (JSON.parse(r.names) as unknown[]).filter((n): n is string => typeof n === 'string'),
        approvals: r.approvals,
        approvalsRequired: r.required,
      })),
    };
  }

  /** Ids of findings starting with `prefix` (at most `limit`), for a command line that takes a short id. */
  idsStartingWith(prefix: string, limit: number): string[] {
    return this.ctx
      .sql<[number, string, number], { id: string }>(
        'SELECT id FROM finding WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT ?',
      )
      .all(prefix.length, prefix, limit)
      .map((r) => r.id);
  }
}
