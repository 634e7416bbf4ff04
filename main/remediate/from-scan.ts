/**
 * What a remediation playbook is made of, read from a stored scan: its hosts (address, port, user, group) and, per
 * check, the hosts where it failed (waived results left out), with the check as the scan evaluated it: the scan's
 * profile settings are applied again, so a tailored value is the value the playbook writes.
 */
import type { Check } from '../../shared/checks/schema.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { tailorCheck } from '../catalogue/profiles.js';
import type { Workspace } from '../store/db.js';
import { coveringWaiver, type WaiverOverlay } from '../waivers/covers.js';
import type { PlaybookInput, RemediationHost } from './playbook.js';

export interface ScanRemediation {
  input: Omit<PlaybookInput, 'generatedAt' | 'tool'>;
  /** Things the reader should know: checks changed since the scan, failed hosts without results. */
  notes: string[];
}

/** `[user@]host[:port]`, as the command line names a target it was given without an inventory host. */
function targetOf(name: string): { address: string; port: number; user: string } {
  const m = /^(?:([^@\s]+)@)?([^@\s:]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(name);
  if (!m) return { address: name, port: 22, user: 'root' };
  return { address: (m[2] ?? name).replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : 22, user: m[1] ?? 'root' };
}

export function scanRemediation(ws: Workspace, scanId: string, catalogue: Catalogue, waivers?: WaiverOverlay): ScanRemediation {
  const scan = ws.scans.getScan(scanId);
  if (!scan) throw new FoureyesError('not_found', `scan ${scanId} does not exist`);
  const notes: string[] = [];
  // The profile settings the scan ran with, applied again to today's checks.
  const stored = scan.options.profile;
  const settings =
    stored && typeof stored === 'object' && !Array.isArray(stored) && typeof stored.set === 'object' && stored.set && !Array.isArray(stored.set)
      ? (stored.set as Record<string, Record<string, unknown>>)
      : {};
  const checks = new Map<string, Check>();
  for (const c of catalogue.checks) {
    const values = settings[c.id];
    checks.set(c.id, values ? tailorCheck(c, values, `scan ${scanId} profile setting for ${c.id}`) : c);
  }
  const applied = waivers?.(scan.engagementId) ?? { allHosts: [], hostChecks: [], waivers: [] };
  const hosts: RemediationHost[] = [];
  const failing = new Map<string, string[]>();
  const changed = new Set<string>();
  const unknown = new Set<string>();
  for (const run of scan.hostRuns) {
    const host = run.hostId !== null ? ws.hosts.get(run.hostId) : undefined;
    const t = host ? { address: host.address, port: host.port, user: host.user } : targetOf(run.hostName);
    const results = ws.results.forHostRun(run.id);
    if (run.state !== 'done') notes.push(`${run.hostName}: the host run ended ${run.state}; only what it stored is remediated`);
    let any = false;
    for (const r of results) {
      if (r.verdict !== 'fail' || coveringWaiver(applied, run.hostId, r.checkId, r.verdict)) continue;
      const c = checks.get(r.checkId);
      if (!c) {
        unknown.add(r.checkId);
        continue;
      }
      if (!settings[r.checkId] && catalogue.digest(r.checkId) !== r.checkDigest) changed.add(r.checkId);
      const list = failing.get(r.checkId) ?? [];
      list.push(run.hostName);
      failing.set(r.checkId, list);
      any = true;
    }
    if (any) hosts.push({ name: run.hostName, group: host?.tags[0] ?? 'ungrouped', ...t });
  }
  if (changed.size > 0)
    notes.push(`checks changed in the catalogue since the scan (their remediation is today's): ${[...changed].sort().join(', ')}`);
  if (unknown.size > 0)
    notes.push(`checks no longer in the catalogue (give their check pack with --pack): ${[...unknown].sort().join(', ')}`);
  return { input: { scanId, hosts, failing, checks }, notes };
}
