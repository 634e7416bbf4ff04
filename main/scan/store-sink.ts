/** A ScanSink that writes each host's outcome into a workspace as it ends. */
import type { Check } from '../../shared/checks/schema.js';
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import { FoureyesError, type ErrorInfo } from '../../shared/model/errors.js';
import type { CheckResult } from '../../shared/model/results.js';
import type { HostRunSource, HostRunStats, JsonValue, RecordedResult, RunPrivilege, Scan } from '../../shared/model/workspace.js';
import { builtinCatalogueDir, builtinCatalogueOf, type Catalogue } from '../catalogue/catalogue.js';
import type { AttestationAnswer } from '../engine/context.js';
import type { ScanAnswer, ScanCheckDefinition } from '../store/repos/scan-definitions.js';
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

/**
 * The checks of a scan whose definition the built-in catalogue does not hold at the same digest: those of a check
 * pack and those a profile tailored. When the built-in catalogue cannot be read, every check is kept.
 */
export function definitionsBeyondBuiltin(checks: readonly Check[], catalogue: Catalogue): ScanCheckDefinition[] {
  let builtin: Catalogue | undefined;
  try {
    builtin = builtinCatalogueOf(builtinCatalogueDir());
  } catch {
    builtin = undefined;
  }
  const out: ScanCheckDefinition[] = [];
  for (const c of checks) {
    const digest = catalogue.digest(c.id);
    const shipped = builtin?.byId.has(c.id) === true;
    if (shipped && builtin?.digest(c.id) === digest) continue;
    out.push({ checkId: c.id, digest, origin: shipped ? 'tailored' : 'pack', definition: c });
  }
  return out;
}

/** The answers that decide the scan's attestation checks. */
export function answersUsed(checks: readonly Check[], answers: ReadonlyMap<string, AttestationAnswer> | undefined): ScanAnswer[] {
  if (!answers) return [];
  return checks.flatMap((c) => {
    const a = c.rule.type === 'attestation' ? answers.get(c.id) : undefined;
    return a ? [{ checkId: c.id, ...a }] : [];
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
    /** The attestation answers the evaluation uses (stored with the scan, as the definitions beyond the built-in). */
    answers?: ReadonlyMap<string, AttestationAnswer>;
  },
): StoreSink {
  const twice = duplicateName(o.hosts.map((h) => h.name));
  if (twice !== undefined) throw new FoureyesError('bad_input', `host ${twice} is listed twice; nothing was scanned`);
  const definitions = definitionsBeyondBuiltin(o.checks, o.catalogue);
  const answers = answersUsed(o.checks, o.answers);
  const scan = ws.tx(() => {
    const s = ws.scans.createScan({
      engagementId: o.engagementId,
      catalogueVersion: o.catalogue.version,
      checkIds: o.checks.map((c) => c.id),
      ...(o.profile !== undefined ? { profile: o.profile } : {}),
      ...(o.options ? { options: o.options } : {}),
    });
    ws.scanDefinitions.insertChecks(s.id, definitions);
    ws.scanDefinitions.insertAnswers(s.id, answers);
    return s;
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
