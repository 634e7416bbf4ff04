/**
 * Findings from a scan: the failing results of its completed host runs, one finding per check per engagement with
 * each failing host's part, merged into what earlier scans made. On a re-scan a host that now passes moves its
 * part to fixed (the finding to verified fixed when no host is left failing), a newly failing host joins the
 * existing finding, a host failing again reopens its part. What a person set (title, severity, status, notes,
 * recommendation, ...) is never overwritten; the one exception is a status of "fixed" set by a person, which a scan
 * that finds no host failing confirms as "verified fixed" (from then on the scans keep the status again).
 * Results of runs that did not complete, and verdicts other than pass and fail, change nothing.
 */
import type { Check } from '../../shared/checks/schema.js';
import type { Finding, FindingHost, FindingStatus } from '../../shared/model/finding.js';
import type { Workspace } from '../store/db.js';
import type { ScanVerdict } from '../store/repos/finding-hosts.js';
import { currentContent } from './content.js';
import { audit, storeRevision, type AuditContext, type ChangeSource } from './revise.js';

export interface GenerateReport {
  created: string[];
  /** Findings whose content changed (a new revision). */
  revised: string[];
}

/** What generation needs of the catalogue: titles, remediations (unknown checks get their id as title). */
export interface CheckLookup {
  byId: ReadonlyMap<string, Check>;
}

const partOf = (parts: readonly FindingHost[], v: ScanVerdict): FindingHost | undefined =>
  parts.find((p) =>
    p.checkId === v.checkId && (v.hostId !== null ? p.hostId === v.hostId : p.hostId === null && p.targetName === v.targetName),
  );

/** Merges the results of scan `scanId` into its engagement's findings, in one transaction. */
export function generateFindings(ws: Workspace, scanId: string, catalogue: CheckLookup, ctx?: AuditContext): GenerateReport {
  return ws.tx(() => {
    const scan = ws.scans.require(scanId);
    const src: ChangeSource = { actor: ctx?.acting.actor ?? null, scanId, ...(ctx ? { audit: ctx } : {}) };
    const byCheck = new Map<string, ScanVerdict[]>();
    for (const v of ws.findings.hosts.scanVerdicts(scanId)) {
      const list = byCheck.get(v.checkId);
      if (list) list.push(v);
      else byCheck.set(v.checkId, [v]);
    }
    const report: GenerateReport = { created: [], revised: [] };
    for (const [checkId, verdicts] of byCheck) {
      const existing = ws.findings.forCheck(scan.engagementId, checkId);
      if (existing) {
        if (mergeInto(ws, existing, verdicts, catalogue.byId.get(checkId), src)) report.revised.push(existing.id);
      } else if (verdicts.some((v) => v.verdict === 'fail')) {
        report.created.push(create(ws, scan.engagementId, checkId, verdicts, catalogue.byId.get(checkId), src));
      }
    }
    return report;
  });
}

function create(
  ws: Workspace,
  engagementId: string,
  checkId: string,
  verdicts: readonly ScanVerdict[],
  check: Check | undefined,
  src: ChangeSource,
): string {
  const fails = verdicts.filter((v) => v.verdict === 'fail');
  const f = ws.findings.create({
    engagementId,
    key: checkId,
    title: check?.title ?? checkId,
    severity: fails[0]!.severity,
    recommendation: check?.remediation.text ?? '',
    createdBy: src.actor?.personId ?? null,
  });
  for (const v of fails) ws.findings.hosts.add(f.id, v, sighting(v, src.scanId!));
  const hosts = fails.map((v) => v.targetName);
  ws.findings.review.addChange({
    findingId: f.id,
    actor: src.actor,
    scanId: src.scanId!,
    field: 'finding',
    before: null,
    after: { key: f.key, title: f.title, severity: f.severity, hosts },
    revision: f.revision,
  });
  audit(src, {
    action: 'finding.create',
    object: { type: 'finding', id: f.id },
    after: { key: f.key, title: f.title, severity: f.severity, hosts },
    details: { scanId: src.scanId! },
  });
  return f.id;
}

const sighting = (v: ScanVerdict, scanId: string) => ({
  state: v.verdict === 'fail' ? ('failing' as const) : ('fixed' as const),
  scanId,
  resultId: v.resultId,
  actual: v.actual,
  evidence: v.evidence,
});

/** Returns true when the finding's content changed (stored as a new revision). */
function mergeInto(
  ws: Workspace,
  f: Finding,
  verdicts: readonly ScanVerdict[],
  check: Check | undefined,
  src: ChangeSource,
): boolean {
  const before = currentContent(ws, f).hash;
  const parts = ws.findings.hosts.forFinding(f.id);
  const changes: { field: string; before: unknown; after: unknown }[] = [];
  for (const v of verdicts) {
    const part = partOf(parts, v);
    const s = sighting(v, src.scanId!);
    if (!part) {
      if (v.verdict !== 'fail') continue;
      ws.findings.hosts.add(f.id, v, s);
      changes.push({ field: 'host', before: null, after: { checkId: v.checkId, host: v.targetName, state: s.state } });
      continue;
    }
    if (part.state !== s.state)
      changes.push({
        field: 'host',
        before: { checkId: part.checkId, host: part.targetName, state: part.state },
        after: { checkId: v.checkId, host: v.targetName, state: s.state },
      });
    ws.findings.hosts.update(part.id, s);
  }

  const next: Finding = { ...f };
  const edited = new Set(f.editedFields);
  const fromCatalogue = (field: 'title' | 'recommendation', value: string | undefined) => {
    if (value === undefined || edited.has(field) || next[field] === value) return;
    changes.push({ field, before: next[field], after: value });
    next[field] = value;
  };
  fromCatalogue('title', check?.title);
  fromCatalogue('recommendation', check?.remediation.text);
  const severity = verdicts.find((v) => v.verdict === 'fail')?.severity ?? verdicts[0]!.severity;
  if (severity !== f.catalogueSeverity) {
    changes.push({ field: 'catalogueSeverity', before: f.catalogueSeverity, after: severity });
    next.catalogueSeverity = severity;
    if (!edited.has('severity')) {
      changes.push({ field: 'severity', before: f.severity, after: severity });
      next.severity = severity;
    }
  }

  const failing = ws.findings.hosts.forFinding(f.id).filter((p) => p.state === 'failing').length;
  const status = statusAfterScan(f, failing);
  if (status !== f.status) {
    changes.push({ field: 'status', before: f.status, after: status });
    next.status = status;
    next.statusReason = null;
    next.editedFields = f.editedFields.filter((x) => x !== 'status');
  }

  const after = currentContent(ws, next).hash;
  if (after === before) return false;
  next.updatedBy = src.actor?.personId ?? null;
  const revision = f.revision + 1;
  for (const c of changes) ws.findings.review.addChange({ findingId: f.id, actor: src.actor, scanId: src.scanId!, ...c, revision });
  if (changes.length === 0)
    // the same hosts in the same states, with other evidence
    ws.findings.review.addChange({ findingId: f.id, actor: src.actor, scanId: src.scanId!, field: 'evidence', before, after, revision });
  audit(src, {
    action: 'finding.rescan',
    object: { type: 'finding', id: f.id },
    before: { revision: f.revision, contentHash: before },
    after: { revision, changes },
    details: { scanId: src.scanId! },
  });
  storeRevision(ws, f, next, src, 'changed by scan');
  return true;
}

/** The status a scan gives: scans keep the status unless a person set it (a person's "fixed" they confirm). */
function statusAfterScan(f: Finding, failing: number): FindingStatus {
  const byPerson = f.editedFields.includes('status');
  if (failing === 0) return !byPerson || f.status === 'fixed' ? 'verified_fixed' : f.status;
  return !byPerson && f.status === 'verified_fixed' ? 'open' : f.status;
}
