/** Dashboard of an engagement: per-host scores and counts for one scan, breakdowns, and the trend over scans. */
import { FAMILIES, SEVERITIES, type Family } from '../../shared/model/results.js';
import type { StoredResult } from '../../shared/model/workspace.js';
import type { DashboardService } from '../api/services.js';
import type { Catalogue } from '../catalogue/load.js';
import { scoreResults } from '../engine/score.js';
import type { Workspace } from '../store/db.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { DashboardHostSchema } from '../../shared/api/schemas/results.js';
import type { z } from 'zod';

type DashboardHost = z.infer<typeof DashboardHostSchema>;

const score = (rs: readonly StoredResult[]) => {
  const sev = new Map(rs.map((r) => [r.checkId, r.severity]));
  return scoreResults(rs, (id) => sev.get(id));
};

export function dashboardService(ws: Workspace, catalogue: Catalogue): DashboardService {
  return {
    summary: ({ engagementId, scanId }) => {
      ws.engagements.require(engagementId);
      const scans = ws.scans.listScans(engagementId);
      const finished = scans.filter((s) => s.status === 'done').sort((a, b) => a.startedAt.localeCompare(b.startedAt));
      let chosen = finished.at(-1)?.id ?? null;
      if (scanId !== undefined) {
        const s = ws.scans.require(scanId);
        if (s.engagementId !== engagementId) throw new FoureyesError('bad_input', `scan ${scanId} is not in this engagement`);
        chosen = s.id;
      }
      const results = chosen !== null ? ws.results.forScan(chosen) : [];
      const runs = chosen !== null ? ws.hostRuns.list(chosen) : [];
      const byRun = new Map<string, StoredResult[]>();
      for (const r of results) byRun.set(r.hostRunId, [...(byRun.get(r.hostRunId) ?? []), r]);

      const hosts: DashboardHost[] = ws.hosts.list(engagementId).map((h) => {
        const run = runs.find((r) => r.hostId === h.id);
        const s = score(run ? (byRun.get(run.id) ?? []) : []);
        return {
          hostId: h.id,
          hostName: h.name,
          hostRunId: run?.id ?? null,
          state: run ? run.status : null,
          score: s.score,
          counts: s.counts,
        };
      });
      // Runs whose host was removed since keep their place, without a host id.
      for (const run of runs.filter((r) => r.hostId === null || !hosts.some((h) => h.hostId === r.hostId))) {
        const s = score(byRun.get(run.id) ?? []);
        hosts.push({
          hostId: null,
          hostName: run.targetName,
          hostRunId: run.id,
          state: run.status,
          score: s.score,
          counts: s.counts,
        });
      }
      const familyOf = (id: string): Family => catalogue.byId.get(id)?.family ?? 'hardening';
      const byFamily = FAMILIES.map((family) => ({
        family,
        counts: score(results.filter((r) => familyOf(r.checkId) === family)).counts,
      }));
      const bySeverity = SEVERITIES.map((severity) => ({
        severity,
        counts: score(results.filter((r) => r.severity === severity)).counts,
      }));
      const trend = finished.map((s) => {
        const sc = score(ws.results.forScan(s.id));
        return { scanId: s.id, startedAt: s.startedAt, score: sc.score, counts: sc.counts };
      });
      return { scanId: chosen, hosts, byFamily, bySeverity, trend };
    },
  };
}
