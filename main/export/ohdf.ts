/**
 * OHDF (MITRE's Heimdall Data Format, InSpec's exec JSON) of one scan, so results open in Heimdall and the tools
 * built on it: a profile per host run, a control per check with its catalogue title, rationale, check and fix texts,
 * impact from severity (info 0.0, low 0.3, medium 0.5, high 0.7, critical 0.9), tags (severity, family, area, NIST
 * 800-53 and CIS references) and one result: passed, failed, error, or skipped (not applicable, manual, waived)
 * with code_desc (what was expected) and message (what was found, why, the evidence). A waived result also carries
 * waiver_data. Target text is carried exactly as stored. A host run that did not finish has its controls with an
 * `error` result naming why. Schema: test/data/schemas/ohdf-exec-json.json (heimdall2 libs/inspecjs).
 */
import { createHash } from 'node:crypto';
import type { Check } from '../../shared/checks/schema.js';
import type { Severity } from '../../shared/model/results.js';
import { evidenceText, titleOf } from './common.js';
import type { ExportHostRun, ExportResult, ScanExportData } from './data.js';

export const OHDF_IMPACT: Record<Severity, number> = { info: 0, low: 0.3, medium: 0.5, high: 0.7, critical: 0.9 };

type Status = 'passed' | 'failed' | 'skipped' | 'error';

const STATUS: Record<ExportResult['shown'], Status> = {
  pass: 'passed',
  fail: 'failed',
  error: 'error',
  not_applicable: 'skipped',
  manual: 'skipped',
  waived: 'skipped',
};

function skipMessage(r: ExportResult): string | null {
  if (r.shown === 'waived' && r.waiver) return `Waived until ${r.waiver.expiresOn}: ${r.waiver.reason}`;
  if (r.shown === 'not_applicable') return `Not applicable: ${r.reason}`;
  if (r.shown === 'manual') return `Manual: ${r.reason}`;
  return null;
}

function message(r: ExportResult): string {
  const ev = evidenceText(r.evidence);
  return [`Found: ${r.actual}`, r.reason, ...(ev ? ['Evidence:', ev] : [])].join('\n');
}

function tags(c: Check | undefined, r: { severity: Severity }): Record<string, unknown> {
  if (!c) return { severity: r.severity };
  const { cis, nist_800_53, ...other } = c.references;
  return {
    severity: c.severity,
    family: c.family,
    area: c.area,
    nist: nist_800_53 ?? [],
    ...(cis ? { cis } : {}),
    ...Object.fromEntries(Object.entries(other).filter(([, v]) => v !== undefined)),
  };
}

function control(d: ScanExportData, h: ExportHostRun, checkId: string, r: ExportResult | undefined) {
  const c = d.checks.get(checkId);
  const severity = r?.severity ?? c?.severity ?? 'medium';
  const start = h.run.startedAt ?? d.scan.startedAt;
  const unfinished = `Not assessed: the host run ended ${h.run.state}${h.run.stoppedIn ? ` while ${h.run.stoppedIn}` : ''}${
    h.run.error ? `: ${h.run.error.message}` : ''
  }`;
  return {
    id: checkId,
    title: titleOf(d.checks, checkId),
    desc: c?.rationale ?? null,
    descriptions: [
      ...(c ? [{ label: 'default', data: c.rationale }] : []),
      ...(r ? [{ label: 'check', data: r.expected }] : []),
      ...(c ? [{ label: 'fix', data: c.remediation.text }] : []),
    ],
    impact: OHDF_IMPACT[severity],
    refs: [],
    tags: tags(c, { severity }),
    code: null,
    source_location: {},
    results: [
      r
        ? {
            status: STATUS[r.shown],
            code_desc: `${titleOf(d.checks, checkId)}: ${r.expected}`,
            message: message(r),
            skip_message: skipMessage(r),
            start_time: start,
            resource: h.run.hostName,
            ...(r.waiver ? { originalStatus: STATUS[r.verdict] } : {}),
          }
        : { status: 'error' as const, code_desc: titleOf(d.checks, checkId), message: unfinished, start_time: start, resource: h.run.hostName },
    ],
    ...(r?.waiver
      ? {
          waiver_data: {
            justification: r.waiver.reason,
            expiration_date: r.waiver.expiresOn,
            message: `Waiver ${r.waiver.id} approved by ${r.waiver.approval?.name ?? 'unknown'}; owner ${r.waiver.owner ?? 'none'}`,
            run: true,
            skipped_due_to_waiver: false,
          },
        }
      : {}),
  };
}

/** The OHDF (exec JSON) object of a scan. */
export function toOhdf(d: ScanExportData): object {
  const seconds = (a: string | null, b: string | null) => (a && b ? Math.max(0, (Date.parse(b) - Date.parse(a)) / 1000) : null);
  const profiles = d.hostRuns.map((h) => {
    const byCheck = new Map(h.results.map((r) => [r.checkId, r]));
    const ids = h.run.state === 'done' ? h.results.map((r) => r.checkId) : [...d.scan.checkIds];
    const digest = createHash('sha256')
      .update(ids.map((id) => `${id}\0${d.checks.get(id) ? 'known' : 'unknown'}\0${byCheck.get(id)?.checkDigest ?? ''}`).join('\n'))
      .digest('hex');
    return {
      name: h.run.hostName,
      title: `Foureyes assessment of ${h.run.hostName}`,
      maintainer: 'Foureyes',
      summary: `Engagement ${d.engagement.name}, scan ${d.scan.id}, catalogue ${d.scan.catalogueVersion}`,
      version: d.scan.catalogueVersion,
      sha256: digest,
      status: h.run.state === 'done' ? 'loaded' : 'failed',
      status_message: h.run.error?.message ?? null,
      supports: [],
      attributes: [],
      groups: [{ id: `foureyes/${h.run.hostName}`, title: h.run.hostName, controls: ids }],
      controls: ids.map((id) => control(d, h, id, h.run.state === 'done' ? byCheck.get(id) : undefined)),
    };
  });
  const count = (s: Status) => profiles.reduce((n, p) => n + p.controls.filter((c) => c.results[0]?.status === s).length, 0);
  const first = d.hostRuns[0]?.run;
  return {
    platform: {
      name: 'Foureyes',
      release: d.tool.version,
      target_id: d.hostRuns.length === 1 && first ? first.hostName : `${d.engagement.name} (${d.hostRuns.length} hosts)`,
    },
    version: d.tool.version,
    statistics: {
      duration: seconds(d.scan.startedAt, d.scan.finishedAt),
      controls: { passed: { total: count('passed') }, failed: { total: count('failed') }, skipped: { total: count('skipped') } },
    },
    profiles,
    passthrough: {
      tool: d.tool,
      engagement: { id: d.engagement.id, name: d.engagement.name },
      scan: { id: d.scan.id, status: d.scan.status, startedAt: d.scan.startedAt, finishedAt: d.scan.finishedAt },
      hosts: d.hostRuns.map((h) => ({ name: h.run.hostName, state: h.run.state, identity: h.run.identity })),
    },
  };
}
