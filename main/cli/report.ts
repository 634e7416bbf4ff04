/**
 * What the CLI prints for a stored scan: the report shape (also the `--json` output, complete: every host with
 * its state, where a failed one stopped and why, what the target says it is, every result) and its text form.
 */
import type { Catalogue } from '../catalogue/load.js';
import { scoreResults } from '../engine/score.js';
import type { Workspace } from '../store/db.js';
import { FoureyesError, type ErrorInfo } from '../../shared/model/errors.js';
import type { TargetIdentity } from '../../shared/model/identity.js';
import type { Severity, ShownVerdict } from '../../shared/model/results.js';
import { coveringWaiver, type WaiverOverlay } from '../waivers/covers.js';
import { scanOutcome } from '../../shared/model/scan-outcome.js';
import {
  privilegeLabel,
  zeroHostRunCounts,
  type SudoUse,
  type ActiveHostRunState,
  type HostRunSource,
  type HostRunState,
} from '../../shared/model/workspace.js';

export { formatScan, printScan } from './report-text.js';

export interface HostReport {
  name: string;
  status: HostRunState;
  /** ssh, local (this machine) or import. */
  source: HostRunSource;
  /** root, sudo, none, or `restricted sudo (N commands)`. */
  privilege: string | null;
  /** Restricted sudo: the commands sudo ran on the host (its sudo log records each); null otherwise. */
  sudo: SudoUse | null;
  /** sudo was requested (--sudo) and not obtained: why; null otherwise. The run's exit code is then 2. */
  sudoNotObtained: string | null;
  error: ErrorInfo | null;
  /** The state a failed, cancelled or interrupted run was in when it ended. */
  stoppedIn: ActiveHostRunState | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** What the target says it is (hostname, OS release, kernel, SSH banner and identification). Untrusted. */
  identity: TargetIdentity | null;
  score: number | null;
  counts: Record<string, number> | null;
  /** `verdict` as shown: `waived` when an approved waiver covers the check on this host (then out of --fail-on). */
  results: { checkId: string; verdict: ShownVerdict; severity: Severity; actual: string; reason: string }[];
}

export interface ScanReport {
  scanId: string;
  status: string;
  /** The scan's state in words: "done", "done, 1 of 1 host failed". */
  outcome: string;
  /** Host runs per state. */
  hostStates: Record<HostRunState, number>;
  catalogueVersion: string;
  hosts: HostReport[];
}

/**
 * Reads a stored scan into the CLI's report shape, with the waivers of its engagement that apply now (`waivers`:
 * cli/waivers-now.ts; without it, none).
 */
export function scanReport(ws: Workspace, scanId: string, cat: Catalogue, waivers?: WaiverOverlay): ScanReport {
  const scan = ws.scans.getScan(scanId);
  if (!scan) throw new FoureyesError('not_found', `scan ${scanId} does not exist`);
  const applied = waivers?.(scan.engagementId) ?? { allHosts: [], hostChecks: [], waivers: [] };
  const hostStates = zeroHostRunCounts();
  const hosts = scan.hostRuns.map((run): HostReport => {
    hostStates[run.state] += 1;
    const results = ws.results.forHostRun(run.id).map((r) => ({
      ...r,
      verdict: coveringWaiver(applied, run.hostId, r.checkId, r.verdict) ? ('waived' as const) : r.verdict,
    }));
    const s = run.state === 'done' ? scoreResults(results, (id) => cat.byId.get(id)?.severity) : null;
    return {
      name: run.hostName,
      status: run.state,
      source: run.source,
      privilege: run.privilege === null ? null : privilegeLabel(run.privilege, run.stats?.sudo),
      sudo: run.stats?.sudo ?? null,
      sudoNotObtained: run.stats?.sudoNotObtained ?? null,
      error: run.error,
      stoppedIn: run.stoppedIn,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      identity: run.identity,
      score: s?.score ?? null,
      counts: s?.counts ?? null,
      results: results.map((r) => ({
        checkId: r.checkId,
        verdict: r.verdict,
        severity: r.severity,
        actual: r.actual,
        reason: r.reason,
      })),
    };
  });
  return {
    scanId,
    status: scan.status,
    outcome: scanOutcome(scan.status, hostStates).text,
    hostStates,
    catalogueVersion: scan.catalogueVersion,
    hosts,
  };
}
