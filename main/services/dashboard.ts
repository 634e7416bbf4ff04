/**
 * Dashboard of an engagement: per-host scores and counts for one scan, breakdowns, and the trend over scans.
 *
 * Nothing here reads a result row. The chosen scan is counted once per host run, verdict and severity, with how
 * many of each group belong to each family of the catalogue (one aggregate query); hosts, families and severities
 * are sums over those groups. The trend counts every other finished scan per verdict and severity in one more
 * query. Scores come from the counts (scoreTally), each result weighed by its own stored severity.
 */
import type { z } from 'zod';
import type { DashboardHostSchema } from '../../shared/api/schemas/results.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { FAMILIES, SEVERITIES, addCount, zeroVerdictCounts, type ShownCounts } from '../../shared/model/results.js';
import type { DashboardService } from '../api/services.js';
import type { Catalogue } from '../catalogue/load.js';
import { scoreTally } from '../engine/score.js';
import type { Workspace } from '../store/db.js';
import type { HostRunTally, Tally } from '../store/repos/result-tallies.js';
import type { WaiverOverlay } from '../waivers/overlay.js';
import { defaultWaivers, type ExpiringWaivers } from './waivers.js';

type DashboardHost = z.infer<typeof DashboardHostSchema>;

/** Inventory hosts without a run in the scan that a summary lists by name (the rest are counted). */
export const MAX_UNSCANNED_LISTED = 1000;

function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const x of xs) {
    const list = out.get(key(x));
    if (list) list.push(x);
    else out.set(key(x), [x]);
  }
  return out;
}

export function dashboardService(
  ws: Workspace,
  catalogue: Catalogue,
  waivers: { overlay: WaiverOverlay; expiringSoon: (engagementId: string) => ExpiringWaivers } = defaultWaivers(ws),
): DashboardService {
  const { overlay } = waivers;
  // Check ids of each family but hardening, which takes the rest: its own checks and any the catalogue does not
  // know. Each set costs a lookup per result in the query, so a family without checks gets none.
  const fallback = 'hardening';
  const counted = FAMILIES.filter((f) => f !== fallback && catalogue.checks.some((c) => c.family === f));
  const familySets = counted.map((f) => catalogue.checks.filter((c) => c.family === f).map((c) => c.id));

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
      // Waivers that apply now: their results count as waived, not failed (main/engine/score.ts).
      const waived = overlay(engagementId);
      const tally: HostRunTally[] = chosen !== null ? ws.results.tallyByHostRun(chosen, familySets, waived) : [];
      const runs = chosen !== null ? ws.hostRuns.list(chosen) : [];
      const byRun = groupBy(tally, (t) => t.hostRunId);

      const host = (run: (typeof runs)[number] | undefined) => {
        const s = scoreTally(run ? (byRun.get(run.id) ?? []) : []);
        return {
          hostRunId: run?.id ?? null,
          state: run ? run.state : null,
          error: run?.error ?? null,
          stoppedIn: run?.stoppedIn ?? null,
          score: s.score,
          counts: s.counts,
        };
      };
      // A host's first run in the scan, as runs.find would pick it.
      const runOf = new Map<string, (typeof runs)[number]>();
      for (const r of runs) if (r.hostId !== null && !runOf.has(r.hostId)) runOf.set(r.hostId, r);
      // The scan's hosts (bounded by the scan), and of the inventory's other hosts the first MAX_UNSCANNED_LISTED by
      // name with how many there are in all: an engagement of 150,000 hosts is not one reply of 150,000 rows.
      const scanned = ws.hosts.names([...runOf.keys()]);
      const others = ws.hosts.namesExcept(engagementId, [...runOf.keys()], MAX_UNSCANNED_LISTED);
      const hosts: DashboardHost[] = [...scanned, ...others.hosts]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((h) => ({ hostId: h.id, hostName: h.name, ...host(runOf.get(h.id)) }));
      // Runs whose host was removed since keep their place, without a host id.
      const known = new Set(scanned.map((h) => h.id));
      for (const run of runs.filter((r) => r.hostId === null || !known.has(r.hostId))) {
        hosts.push({ hostId: null, hostName: run.hostName, ...host(run) });
      }

      const byFamily = FAMILIES.map((family) => ({ family, counts: zeroVerdictCounts() as ShownCounts }));
      const bySeverity = SEVERITIES.map((severity) => ({ severity, counts: zeroVerdictCounts() as ShownCounts }));
      for (const t of tally) {
        let rest = t.n;
        t.inSets.forEach((n, i) => {
          addCount(byFamily[FAMILIES.indexOf(counted[i]!)]!.counts, t.verdict, n);
          rest -= n;
        });
        addCount(byFamily[FAMILIES.indexOf(fallback)]!.counts, t.verdict, rest);
        addCount(bySeverity[SEVERITIES.indexOf(t.severity)]!.counts, t.verdict, t.n);
      }

      // The chosen scan's totals are already counted; the other finished scans take one query together.
      const byScan = groupBy<Tally & { scanId: string }, string>(
        ws.results.tallyByScan(finished.filter((s) => s.id !== chosen).map((s) => s.id), waived),
        (t) => t.scanId,
      );
      if (chosen !== null) byScan.set(chosen, tally.map((t) => ({ ...t, scanId: chosen })));
      const trend = finished.map((s) => {
        const sc = scoreTally(byScan.get(s.id) ?? []);
        return { scanId: s.id, startedAt: s.startedAt, score: sc.score, counts: sc.counts };
      });
      return {
        scanId: chosen,
        hosts,
        unlistedHosts: others.total - others.hosts.length,
        byFamily,
        bySeverity,
        trend,
        waiversExpiring: waivers.expiringSoon(engagementId),
      };
    },
  };
}
