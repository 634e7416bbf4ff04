/** What the CLI prints for a stored scan. */
import type { Catalogue } from '../catalogue/load.js';
import { scoreResults } from '../engine/score.js';
import type { Workspace } from '../store/db.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Severity, Verdict } from '../../shared/model/results.js';
import { privilegeLabel, type SudoUse } from '../../shared/model/workspace.js';
import { sudoLines } from './sudo-report.js';

export interface HostReport {
  name: string;
  status: string;
  /** root, sudo, none, or `restricted sudo (N commands)`. */
  privilege: string | null;
  /** Restricted sudo: the commands sudo ran on the host (its sudo log records each); null otherwise. */
  sudo: SudoUse | null;
  error: { code: string; message: string } | null;
  score: number | null;
  counts: Record<string, number> | null;
  results: { checkId: string; verdict: Verdict; severity: Severity; actual: string; reason: string }[];
}

export interface ScanReport {
  scanId: string;
  status: string;
  catalogueVersion: string;
  hosts: HostReport[];
}

/** Reads a stored scan into the CLI's report shape. */
export function scanReport(ws: Workspace, scanId: string, cat: Catalogue): ScanReport {
  const scan = ws.scans.getScan(scanId);
  if (!scan) throw new FoureyesError('not_found', `scan ${scanId} does not exist`);
  const hosts = scan.hostRuns.map((run): HostReport => {
    const results = ws.results.forHostRun(run.id);
    const s = run.status === 'done' ? scoreResults(results, (id) => cat.byId.get(id)?.severity) : null;
    return {
      name: run.targetName,
      status: run.status,
      privilege: run.privilege === null ? null : privilegeLabel(run.privilege, run.stats?.sudo),
      sudo: run.stats?.sudo ?? null,
      error: run.error ? { code: run.error.code, message: run.error.message } : null,
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
  return { scanId, status: scan.status, catalogueVersion: scan.catalogueVersion, hosts };
}

/** Human-readable output. */
export function printScan(r: ScanReport): void {
  const out: string[] = [`scan ${r.scanId} (${r.status})`];
  for (const h of r.hosts) {
    if (h.status !== 'done') {
      out.push(`\n${h.name}: ${h.status.toUpperCase()}${h.error ? ` — ${h.error.code}: ${h.error.message}` : ''}`);
      continue;
    }
    const c = h.counts ?? {};
    out.push(
      `\n${h.name}: score ${h.score ?? '-'}  pass ${c.pass ?? 0}  fail ${c.fail ?? 0}  manual ${c.manual ?? 0}  ` +
        `n/a ${c.not_applicable ?? 0}  error ${c.error ?? 0}  (privilege ${h.privilege ?? '?'})`,
    );
    out.push(...sudoLines(h.sudo));
    for (const x of h.results) out.push(`  ${x.verdict.padEnd(14)} ${x.severity.padEnd(8)} ${x.checkId}  ${x.actual}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
