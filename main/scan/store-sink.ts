/** A ScanSink that writes each host's outcome into a workspace as it ends. */
import type { Check } from '../../shared/checks/schema.js';
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import { FoureyesError, type ErrorInfo } from '../../shared/model/errors.js';
import type { CheckResult } from '../../shared/model/results.js';
import type { HostRunSource, HostRunStats, JsonValue, RecordedResult, RunPrivilege, Scan } from '../../shared/model/workspace.js';
import type { Catalogue } from '../catalogue/load.js';
import { identityFromSnapshot } from '../collector/identity.js';
import { generateFindings } from '../findings/generate.js';
import type { AuditContext } from '../findings/revise.js';
import type { Workspace } from '../store/db.js';
import type { ScanSink } from './runner.js';

export interface StoreSink extends ScanSink {
  readonly scan: Scan;
  /** Host name -> host run id. */
  readonly runIds: ReadonlyMap<string, string>;
  /** Marks the scan done (or cancelled), then merges its failing results into the engagement's findings. */
  finish(status?: 'done' | 'cancelled'): Scan;
}

/** Adds severity and definition digest to the engine's results. */
export function recordResults(results: readonly CheckResult[], catalogue: Catalogue): RecordedResult[] {
  return results.map((r) => {
    const check = catalogue.byId.get(r.checkId) as Check;
    return { ...r, severity: check.severity, checkDigest: catalogue.digest(r.checkId) };
  });
}

/** The first name given twice, or undefined. */
export function duplicateName(names: Iterable<string>): string | undefined {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) return n;
    seen.add(n);
  }
  return undefined;
}

/**
 * Creates the scan and its queued host runs, then records each host as the runner reports it. A host listed twice
 * is refused before anything is stored (the runner would refuse it too, after the scan was written).
 */
export function createStoreSink(
  ws: Workspace,
  o: {
    engagementId: string;
    catalogue: Catalogue;
    checks: readonly Check[];
    hosts: readonly { name: string; source: HostRunSource; hostId?: string | null }[];
    options?: Record<string, JsonValue>;
    /** The profile the checks come from (its id; the options hold its digest, disables and settings). */
    profile?: string;
    /** Who runs the scan: the findings it creates or revises are recorded in the trail, signed by them. */
    audit?: AuditContext;
  },
): StoreSink {
  const twice = duplicateName(o.hosts.map((h) => h.name));
  if (twice !== undefined) throw new FoureyesError('bad_input', `host ${twice} is listed twice; nothing was scanned`);
  const scan = ws.scans.createScan({
    engagementId: o.engagementId,
    catalogueVersion: o.catalogue.version,
    checkIds: o.checks.map((c) => c.id),
    ...(o.profile !== undefined ? { profile: o.profile } : {}),
    ...(o.options ? { options: o.options } : {}),
  });
  const runs = ws.hostRuns.createHostRuns(
    scan.id,
    o.hosts.map((h) => ({ targetName: h.name, source: h.source, hostId: h.hostId ?? null })),
  );
  const runIds = new Map<string, string>();
  o.hosts.forEach((h, i) => runIds.set(h.name, (runs[i] as { id: string }).id));
  const idOf = (name: string): string => {
    const id = runIds.get(name);
    if (!id) throw new Error(`no host run for ${name}`);
    return id;
  };
  return {
    scan,
    runIds,
    hostState(name, state) {
      ws.hostRuns.markHostRun(idOf(name), state);
    },
    hostIdentity(name, identity) {
      ws.hostRuns.recordIdentity(idOf(name), identity);
    },
    hostDone(name: string, snapshot: FactSnapshot, results: CheckResult[], stats: HostRunStats, privilege: RunPrivilege) {
      ws.hostRuns.completeHostRun(idOf(name), snapshot, recordResults(results, o.catalogue), stats, {
        privilege,
        identity: identityFromSnapshot(snapshot),
      });
    },
    hostFailed(name: string, error: ErrorInfo, partial?: FactSnapshot) {
      ws.hostRuns.failHostRun(idOf(name), error, partial);
    },
    finish(status = 'done') {
      const done = ws.scans.finishScan(scan.id, status);
      // Its own transaction, after the scan's: a fault here is reported and never leaves the scan running.
      try {
        generateFindings(ws, scan.id, o.catalogue, o.audit);
      } catch (e) {
        process.stderr.write(`scan ${scan.id}: findings not updated: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      return done;
    },
  };
}
