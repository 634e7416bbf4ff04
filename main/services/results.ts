/**
 * Results of a scan. The store filters by verdict, severity and host; family, area and text need the catalogue's
 * metadata, so they are applied here, then sorting and paging.
 */
import type { ResultRow } from '../../shared/api/schemas/results.js';
import { SEVERITIES } from '../../shared/model/results.js';
import type { ResultService } from '../api/services.js';
import type { Catalogue } from '../catalogue/load.js';
import type { Workspace } from '../store/db.js';
import { checkDetail } from './check-detail.js';

const rank = {
  severity: (r: ResultRow) => SEVERITIES.indexOf(r.severity),
  // Worst first when descending: error, fail, manual, pass, not_applicable.
  verdict: (r: ResultRow) => ['not_applicable', 'pass', 'manual', 'fail', 'error'].indexOf(r.verdict),
} as const;

export function resultService(ws: Workspace, catalogue: Catalogue): ResultService {
  return {
    query: ({ scanId, filter, sort, paging }) => {
      ws.scans.require(scanId);
      const stored = ws.results.forScan(scanId, {
        ...(filter.verdicts ? { verdicts: filter.verdicts } : {}),
        ...(filter.severities ? { severities: filter.severities } : {}),
        ...(filter.hostIds ? { hostIds: filter.hostIds } : {}),
      });
      const text = filter.text?.toLowerCase();
      const rows: ResultRow[] = [];
      for (const r of stored) {
        const c = catalogue.byId.get(r.checkId);
        const row: ResultRow = {
          hostRunId: r.hostRunId,
          hostId: r.hostId,
          hostName: r.targetName,
          checkId: r.checkId,
          title: c?.title ?? r.checkId,
          family: c?.family ?? 'hardening',
          area: c?.area ?? '',
          severity: r.severity,
          verdict: r.verdict,
          reason: r.reason,
          expected: r.expected,
          actual: r.actual,
        };
        if (filter.families && !filter.families.includes(row.family)) continue;
        if (filter.areas && !filter.areas.includes(row.area)) continue;
        if (text !== undefined) {
          const hay = [row.checkId, row.title, row.hostName, row.actual, row.reason].join('\n').toLowerCase();
          if (!hay.includes(text)) continue;
        }
        rows.push(row);
      }
      const dir = sort.dir === 'asc' ? 1 : -1;
      const key = (r: ResultRow): number | string =>
        sort.by === 'host' ? r.hostName : sort.by === 'check' ? r.checkId : rank[sort.by](r);
      rows.sort((a, b) => {
        const ka = key(a);
        const kb = key(b);
        const c = ka < kb ? -1 : ka > kb ? 1 : 0;
        return c !== 0 ? c * dir : a.hostName.localeCompare(b.hostName) || a.checkId.localeCompare(b.checkId);
      });
      return {
        items: rows.slice(paging.offset, paging.offset + paging.limit),
        total: rows.length,
        offset: paging.offset,
        limit: paging.limit,
      };
    },
    checkDetail: checkDetail(ws, catalogue),
  };
}

