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
import type { Attachment, Finding, FindingHost, FindingStatus } from '../../shared/model/finding.js';
import type { Workspace } from '../store/db.js';
import type { ScanVerdict } from '../store/repos/finding-hosts.js';
import { contentHash, contentOf, type PartContent } from './content.js';
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

/** A finding with its parts and attachments as read at the start of its merge. */
interface Loaded {
  finding: Finding;
  parts: FindingHost[];
  attachments: Attachment[];
}

/**
 * Merges the results of scan `scanId` into its engagement's findings, in one transaction. The findings of the
 * scan's checks, their parts and attachments are read up front, in three queries; a finding that more than one of
 * the checks goes to is read again for each check after the first (an earlier check's merge may have changed it).
 */
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
    const linked = ws.findings.forChecks(scan.engagementId, [...byCheck.keys()]);
    const ids = [...new Set([...linked.values()].map((l) => l.findingId))];
    const parts = ws.findings.hosts.forFindings(ids);
    const attachments = ws.findings.attachments.forFindings(ids);
    const merged = new Set<string>();
    const load = (checkId: string): Loaded | undefined => {
      const link = linked.get(checkId);
      if (!link) return undefined;
      if (merged.has(link.findingId)) {
        const finding = ws.findings.forCheck(scan.engagementId, checkId)!;
        return { finding, parts: ws.findings.hosts.forFinding(finding.id), attachments: ws.findings.attachments.forFinding(finding.id) };
      }
      merged.add(link.findingId);
      const finding = link.read();
      return { finding, parts: parts.get(finding.id)?.() ?? [], attachments: attachments.get(finding.id)?.() ?? [] };
    };
    const report: GenerateReport = { created: [], revised: [] };
    for (const [checkId, verdicts] of byCheck) {
      const existing = load(checkId);
      if (existing) {
        if (mergeInto(ws, existing, verdicts, catalogue.byId.get(checkId), src)) report.revised.push(existing.finding.id);
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

/**
 * Returns true when the finding's content changed (stored as a new revision). The parts after the merge are those
 * read before it with this scan's sightings applied, and the new ones after them (a new part's id is above every
 * other's): what reading them back would give.
 */
function mergeInto(
  ws: Workspace,
  loaded: Loaded,
  verdicts: readonly ScanVerdict[],
  check: Check | undefined,
  src: ChangeSource,
): boolean {
  const { finding: f, parts, attachments } = loaded;
  const now: PartContent[] = [...parts];
  const changes: { field: string; before: unknown; after: unknown }[] = [];
  // Whether a part this scan saw again now holds other evidence (a change no entry of `changes` names).
  let evidenceChanged = false;
  for (const v of verdicts) {
    const part = partOf(parts, v);
    const s = sighting(v, src.scanId!);
    if (!part) {
      if (v.verdict !== 'fail') continue;
      ws.findings.hosts.add(f.id, v, s);
      now.push({ checkId: v.checkId, hostId: v.hostId, targetName: v.targetName, state: s.state, actual: s.actual, evidence: s.evidence });
      changes.push({ field: 'host', before: null, after: { checkId: v.checkId, host: v.targetName, state: s.state } });
      continue;
    }
    if (part.state !== s.state)
      changes.push({
        field: 'host',
        before: { checkId: part.checkId, host: part.targetName, state: part.state },
        after: { checkId: v.checkId, host: v.targetName, state: s.state },
      });
    if (!sameEvidence(part, s)) evidenceChanged = true;
    ws.findings.hosts.update(part.id, s);
    now[parts.indexOf(part)] = { ...part, state: s.state, actual: s.actual, evidence: s.evidence };
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

  const failing = now.filter((p) => p.state === 'failing').length;
  const status = statusAfterScan(f, failing);
  if (status !== f.status) {
    changes.push({ field: 'status', before: f.status, after: status });
    next.status = status;
    next.statusReason = null;
    next.editedFields = f.editedFields.filter((x) => x !== 'status');
  }

  // Nothing of the content changed (the common rescan: the same hosts in the same states with the same evidence): no
  // new revision, and no need to hash the content before and after to know it.
  if (changes.length === 0 && !evidenceChanged) return false;
  const before = contentHash(contentOf(f, parts, attachments));
  const after = contentHash(contentOf(next, now, attachments));
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

/**
 * True when a part's actual value and evidence are those of the sighting: equal plain JSON is equal values, and so
 * the same evidence hash. Unequal JSON (keys in another order, a line JSON cannot hold) says nothing: the caller then
 * compares the content hashes.
 */
function sameEvidence(part: PartContent, s: { actual: string; evidence: FindingHost['evidence'] }): boolean {
  if (part.actual !== s.actual) return false;
  const finite = (e: FindingHost['evidence']) => e.every((x) => x.line === undefined || Number.isFinite(x.line));
  return finite(part.evidence) && finite(s.evidence) && JSON.stringify(part.evidence) === JSON.stringify(s.evidence);
}

/** The status a scan gives: scans keep the status unless a person set it (a person's "fixed" they confirm). */
function statusAfterScan(f: Finding, failing: number): FindingStatus {
  const byPerson = f.editedFields.includes('status');
  if (failing === 0) return !byPerson || f.status === 'fixed' ? 'verified_fixed' : f.status;
  return !byPerson && f.status === 'verified_fixed' ? 'open' : f.status;
}
