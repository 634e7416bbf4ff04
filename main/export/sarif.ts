/**
 * SARIF 2.1.0 of one scan (OASIS, for CI pipelines and code-scanning dashboards): one run whose tool.driver is
 * Foureyes with a rule per check of the catalogue the scan used, and a result per stored result. `kind` says what
 * a verdict is (fail, pass, notApplicable, review for manual, open for an evaluation error); a failure's `level`
 * comes from its severity (critical and high: error, medium: warning, low and info: note), every other kind has
 * level none as SARIF requires. The location is logical: host and check (`db01/sshd-permit-root-login`); the target
 * text (expected, actual, reason, evidence) is in the message and in properties exactly as stored. A waived result
 * carries an accepted external suppression with the waiver's reason. Host runs that did not finish are
 * tool-execution notifications of the invocation.
 */
import type { Check } from '../../shared/checks/schema.js';
import type { Severity, ShownVerdict, Verdict } from '../../shared/model/results.js';
import { resultText, titleOf } from './common.js';
import type { ExportResult, ScanExportData } from './data.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note' | 'none';
type Kind = 'fail' | 'pass' | 'notApplicable' | 'review' | 'open';

export const SARIF_LEVEL: Record<Severity, Level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub's `security-severity` (0-10) per severity. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

const KIND: Record<Verdict, Kind> = { fail: 'fail', pass: 'pass', not_applicable: 'notApplicable', manual: 'review', error: 'open' };

function rule(c: Check) {
  return {
    id: c.id,
    name: c.id,
    shortDescription: { text: c.title },
    fullDescription: { text: c.rationale },
    help: { text: c.remediation.text },
    defaultConfiguration: { level: SARIF_LEVEL[c.severity] },
    properties: {
      tags: [c.family, c.area],
      severity: c.severity,
      'security-severity': SECURITY_SEVERITY[c.severity],
      family: c.family,
      area: c.area,
      references: c.references,
    },
  };
}

function verdictOf(shown: ShownVerdict, stored: Verdict): Kind {
  return KIND[shown === 'waived' ? stored : shown];
}

export function toSarif(d: ScanExportData): object {
  const used = new Set<string>([...d.scan.checkIds, ...d.hostRuns.flatMap((h) => h.results.map((r) => r.checkId))]);
  const ruleIds = [...used].sort();
  const rules = ruleIds.map((id) => {
    const c = d.checks.get(id);
    return c ? rule(c) : { id, name: id, shortDescription: { text: id }, properties: { tags: ['unknown-check'] } };
  });
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const result = (hostName: string, hostKey: string, r: ExportResult) => {
    const kind = verdictOf(r.shown, r.verdict);
    return {
      ruleId: r.checkId,
      ruleIndex: ruleIndex.get(r.checkId)!,
      kind,
      level: kind === 'fail' ? SARIF_LEVEL[r.severity] : 'none',
      message: { text: `${titleOf(d.checks, r.checkId)} (${hostName}): ${resultText(r)}` },
      locations: [
        { logicalLocations: [{ name: r.checkId, fullyQualifiedName: `${hostName}/${r.checkId}`, kind: 'resource' }] },
      ],
      fingerprints: { 'foureyes/host-check/v1': `${hostKey}/${r.checkId}` },
      ...(r.waiver
        ? {
            suppressions: [
              {
                kind: 'external',
                status: 'accepted',
                justification: r.waiver.reason,
                properties: { waiverId: r.waiver.id, owner: r.waiver.owner, expiresOn: r.waiver.expiresOn },
              },
            ],
          }
        : {}),
      properties: {
        host: hostName,
        hostId: r.hostId,
        verdict: r.shown,
        storedVerdict: r.verdict,
        severity: r.severity,
        expected: r.expected,
        actual: r.actual,
        reason: r.reason,
        evidence: r.evidence,
        ...(r.needsPrivilege ? { needsPrivilege: true } : {}),
      },
    };
  };
  const unfinished = d.hostRuns.filter((h) => h.run.state !== 'done');
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: d.tool.name,
            version: d.tool.version,
            semanticVersion: d.tool.version,
            rules,
            properties: { catalogueVersion: d.scan.catalogueVersion },
          },
        },
        automationDetails: { id: `foureyes/${d.scan.id}` },
        invocations: [
          {
            executionSuccessful: d.scan.status === 'done' && unfinished.length === 0,
            startTimeUtc: d.scan.startedAt,
            ...(d.scan.finishedAt ? { endTimeUtc: d.scan.finishedAt } : {}),
            toolExecutionNotifications: unfinished.map((h) => ({
              level: 'error',
              message: {
                text: `${h.run.hostName}: ${h.run.state}${h.run.stoppedIn ? ` while ${h.run.stoppedIn}` : ''}${
                  h.run.error ? `: ${h.run.error.message}` : ''
                }`,
              },
              properties: { host: h.run.hostName, state: h.run.state, error: h.run.error },
            })),
          },
        ],
        results: d.hostRuns.flatMap((h) => h.results.map((r) => result(h.run.hostName, h.run.hostId ?? h.run.hostName, r))),
        properties: {
          engagement: { id: d.engagement.id, name: d.engagement.name },
          scan: { id: d.scan.id, status: d.scan.status, startedAt: d.scan.startedAt, finishedAt: d.scan.finishedAt },
          hosts: d.hostRuns.map((h) => ({
            name: h.run.hostName,
            hostId: h.run.hostId,
            state: h.run.state,
            privilege: h.run.privilege,
            identity: h.run.identity,
          })),
        },
      },
    ],
  };
}
