/**
 * What the exports are made from, read from the workspace once: a scan with its engagement, host runs and results
 * (each with the verdict it shows: `waived` where an approved waiver that verifies now covers it, with that waiver),
 * and for the engagement JSON every scan, host, finding (parts, attachments' metadata, authors, approvals, whether
 * it may be in a final report), waiver and person (public profile only). The format builders (sarif.ts, junit.ts,
 * ohdf.ts, engagement-json.ts) are pure functions of these shapes. Nothing secret is read: stored SSH secrets,
 * private keys and attachment bytes stay in the workspace.
 */
import type { Check } from '../../shared/checks/schema.js';
import type { Attachment, Finding, FindingApproval, FindingHost } from '../../shared/model/finding.js';
import type { Person } from '../../shared/model/person.js';
import type { ShownVerdict } from '../../shared/model/results.js';
import type { Waiver } from '../../shared/model/waiver.js';
import type { Engagement, Host, HostRun, Scan, StoredResult } from '../../shared/model/workspace.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { finalReport } from '../findings/report.js';
import type { PublicKeyOf } from '../people/acting.js';
import { publicKeyOf } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';
import { coveringWaiver, waiverOverlay, type AppliedWaivers } from '../waivers/overlay.js';

export interface ExportTool {
  name: 'Foureyes';
  version: string;
}

/** A stored result with the verdict it shows and the waiver that makes it `waived`, if any. */
export interface ExportResult extends StoredResult {
  shown: ShownVerdict;
  waiver: Waiver | null;
}

export interface ExportHostRun {
  run: HostRun;
  results: ExportResult[];
}

/** One scan, for SARIF, JUnit and OHDF. `checks` is the catalogue's (a result of an unknown check has none). */
export interface ScanExportData {
  tool: ExportTool;
  engagement: Engagement;
  scan: Scan;
  hostRuns: ExportHostRun[];
  checks: ReadonlyMap<string, Check>;
}

export interface ExportFinding {
  finding: Finding;
  /** Each host's part as stored, and `waived` for a failing part an applied waiver covers. */
  hosts: (FindingHost & { shown: FindingHost['state'] | 'waived'; waiverId: string | null })[];
  attachments: Attachment[];
  authors: { personId: string; name: string | null }[];
  /** Every approval, live and voided. */
  approvals: FindingApproval[];
  /** Whether a final report holds it now (approved, every approval verifying), and if not why. */
  final: { included: boolean; reason: string | null };
  /** Who approved it and when, as the final report names them (the approvals that verify; empty unless included). */
  approvedBy: { personId: string; name: string; at: string }[];
}

/** One engagement, whole, for the engagement JSON. */
export interface EngagementExportData {
  tool: ExportTool;
  exportedAt: string;
  catalogueVersion: string;
  engagement: Engagement;
  approvalsRequired: number;
  hosts: Host[];
  scans: { scan: Scan; hostRuns: ExportHostRun[] }[];
  findings: ExportFinding[];
  waivers: Waiver[];
  /** The people the engagement's records name (public profile and key: what verifies their signatures). */
  people: Pick<Person, 'id' | 'name' | 'role' | 'email' | 'fingerprint' | 'publicKey' | 'origin'>[];
  checks: ReadonlyMap<string, Check>;
}

function hostRunsOf(ws: Workspace, runs: readonly HostRun[], applied: AppliedWaivers): ExportHostRun[] {
  return runs.map((run) => ({
    run,
    results: ws.results.forHostRun(run.id).map((r): ExportResult => {
      const w = coveringWaiver(applied, run.hostId, r.checkId, r.verdict) ?? null;
      return { ...r, shown: w ? 'waived' : r.verdict, waiver: w };
    }),
  }));
}

export interface ReadOptions {
  tool: ExportTool;
  publicKeyOf?: PublicKeyOf;
  now?: () => Date;
}

/** A stored scan and what its exports need. */
export function readScanExport(ws: Workspace, scanId: string, catalogue: Catalogue, o: ReadOptions): ScanExportData {
  const scan = ws.scans.getScan(scanId);
  if (!scan) throw new FoureyesError('not_found', `scan ${scanId} does not exist in ${ws.path}`);
  const applied = waiverOverlay(ws, o.publicKeyOf ?? publicKeyOf(ws), o.now)(scan.engagementId);
  const { hostRuns, ...rest } = scan;
  return {
    tool: o.tool,
    engagement: ws.engagements.require(scan.engagementId),
    scan: rest,
    hostRuns: hostRunsOf(ws, hostRuns, applied),
    checks: catalogue.byId,
  };
}

/** A whole engagement: every scan (oldest first) with its results, hosts, findings, waivers and people. */
export function readEngagementExport(
  ws: Workspace,
  engagementId: string,
  catalogue: Catalogue,
  o: ReadOptions,
): EngagementExportData {
  const engagement = ws.engagements.require(engagementId);
  const keys = o.publicKeyOf ?? publicKeyOf(ws);
  const now = o.now ?? (() => new Date());
  const applied = waiverOverlay(ws, keys, now)(engagementId);
  const scans = ws.scans
    .listScans(engagementId)
    .reverse()
    .map((s) => {
      const full = ws.scans.getScan(s.id);
      if (!full) throw new FoureyesError('not_found', `scan ${s.id} does not exist in ${ws.path}`);
      const { hostRuns, ...scan } = full;
      return { scan, hostRuns: hostRunsOf(ws, hostRuns, applied) };
    });
  const report = finalReport(ws, engagementId, keys);
  const included = new Map(report.findings.map((f) => [f.finding.id, f.approvedBy]));
  const excluded = new Map(report.excluded.map((f) => [f.findingId, f.reason]));
  const personIds = new Set<string>();
  const findings = ws.findings.list(engagementId).map((finding): ExportFinding => {
    const authors = ws.findings.review.authors(finding.id);
    const approvals = ws.findings.review.approvals(finding.id, { all: true });
    for (const id of authors) personIds.add(id);
    for (const a of approvals) personIds.add(a.reviewerId);
    for (const id of [finding.createdBy, finding.updatedBy, finding.submittedBy]) if (id) personIds.add(id);
    const attachments = ws.findings.attachments.forFinding(finding.id);
    for (const a of attachments) personIds.add(a.addedBy);
    return {
      finding,
      hosts: ws.findings.hosts.forFinding(finding.id).map((p) => {
        const w = p.state === 'failing' ? coveringWaiver(applied, p.hostId, p.checkId, 'fail') : undefined;
        return { ...p, shown: w ? 'waived' : p.state, waiverId: w?.id ?? null };
      }),
      attachments,
      authors: authors.map((id) => ({ personId: id, name: ws.people.byId(id)?.name ?? null })),
      approvals,
      final: included.has(finding.id)
        ? { included: true, reason: null }
        : {
            included: false,
            reason:
              excluded.get(finding.id) ?? `its review state is ${finding.reviewState.replace('_', ' ')}, not approved`,
          },
      approvedBy: included.get(finding.id) ?? [],
    };
  });
  const waivers = ws.waivers.list(engagementId);
  for (const w of waivers)
    for (const d of [w.requestedBy, w.approval, w.rejection, w.revocation]) if (d) personIds.add(d.personId);
  const people = [...personIds]
    .map((id) => ws.people.byId(id))
    .filter((p): p is Person => p !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ id, name, role, email, fingerprint, publicKey, origin }) => ({ id, name, role, email, fingerprint, publicKey, origin }));
  return {
    tool: o.tool,
    exportedAt: now().toISOString(),
    catalogueVersion: catalogue.version,
    engagement,
    approvalsRequired: ws.findings.approvalsRequired(engagementId),
    hosts: ws.hosts.list(engagementId),
    scans,
    findings,
    waivers,
    people,
    checks: catalogue.byId,
  };
}
