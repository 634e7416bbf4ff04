/**
 * Results of a scan, filtered, sorted and paged by the store in SQL (store/repos/result-pages.ts); only the page's
 * rows come back. Family, area and title are the catalogue's, not the store's: the filters on them become lists of
 * matching check ids passed into the query. The catalogue is fixed for the life of the process, so these lists
 * need no invalidation, and the store stays the only source of truth (no per-scan copy to keep in step with
 * results written by a running scan, hosts removed, or another process). A result whose check the catalogue does
 * not know shows its check id as title, family `hardening` and an empty area, and is filtered as such.
 */
import type { ResultFilterSchema, ResultRow } from '../../shared/api/schemas/results.js';
import type { Family } from '../../shared/model/results.js';
import type { ResultService } from '../api/services.js';
import type { Catalogue } from '../catalogue/load.js';
import type { Workspace } from '../store/db.js';
import type { ResultLine, ResultPageQuery } from '../store/repos/result-pages.js';
import type { WaiverOverlay } from '../waivers/overlay.js';
import { checkDetail } from './check-detail.js';
import { defaultWaivers } from './waivers.js';
import type { z } from 'zod';

type Filter = z.output<typeof ResultFilterSchema>;

/** What a result of an unknown check shows. */
const UNKNOWN = { family: 'hardening' as Family, area: '' };

/** The catalogue's side of a filter: which check ids pass the family/area filters and match the text by title. */
export function catalogueFilter(
  catalogue: Catalogue,
  filter: Filter,
): Pick<ResultPageQuery, 'checks' | 'text'> {
  const out: Pick<ResultPageQuery, 'checks' | 'text'> = {};
  const { families, areas } = filter;
  if (families || areas) {
    const keep = (family: Family, area: string) =>
      (!families || families.includes(family)) && (!areas || areas.includes(area));
    out.checks = {
      in: catalogue.checks.filter((c) => keep(c.family, c.area)).map((c) => c.id),
      ...(keep(UNKNOWN.family, UNKNOWN.area) ? { orNotIn: catalogue.checks.map((c) => c.id) } : {}),
    };
  }
  if (filter.text !== undefined) {
    const needle = filter.text.toLowerCase();
    out.text = {
      contains: filter.text,
      orCheckIds: catalogue.checks.filter((c) => c.title.toLowerCase().includes(needle)).map((c) => c.id),
    };
  }
  return out;
}

export function resultService(
  ws: Workspace,
  catalogue: Catalogue,
  overlay: WaiverOverlay = defaultWaivers(ws).overlay,
): ResultService {
  const toRow = (r: ResultLine): ResultRow => {
    const c = catalogue.byId.get(r.checkId);
    return {
      hostRunId: r.hostRunId,
      hostId: r.hostId,
      hostName: r.targetName,
      checkId: r.checkId,
      title: c?.title ?? r.checkId,
      family: c?.family ?? UNKNOWN.family,
      area: c?.area ?? UNKNOWN.area,
      severity: r.severity,
      verdict: r.verdict,
      reason: r.reason,
      expected: r.expected,
      actual: r.actual,
    };
  };
  return {
    query: ({ scanId, filter, sort, paging }) => {
      const scan = ws.scans.require(scanId);
      const { items, total } = ws.results.page(scanId, {
        ...(filter.verdicts ? { verdicts: filter.verdicts } : {}),
        ...(filter.severities ? { severities: filter.severities } : {}),
        ...(filter.hostIds ? { hostIds: filter.hostIds } : {}),
        ...catalogueFilter(catalogue, filter),
        sort,
        offset: paging.offset,
        limit: paging.limit,
      }, overlay(scan.engagementId));
      return { items: items.map(toRow), total, offset: paging.offset, limit: paging.limit };
    },
    checkDetail: checkDetail(ws, catalogue, overlay),
  };
}
