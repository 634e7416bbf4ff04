/**
 * One finding as the fields of a Jira issue, for the CSV (csv.ts) and the REST publisher (main/publish/jira.ts)
 * alike: summary (the title, one line, at most 255 characters), the description in Jira wiki markup (markup.ts),
 * the priority from the severity, labels (`foureyes`, the severity, the check ids and the external id), the
 * components asked for, the due date the finding has, and the affected hosts and approvals the description shows.
 * The external id `foureyes-<20 hex>` is a hash of the engagement and finding ids: the same finding always has the
 * same one, so a re-import or a second publish finds the issue made before. Nothing in the fields changes unless
 * the finding (or its approvals, hosts, check) does: no time of export, so an unchanged finding gives equal fields.
 */
import { createHash } from 'node:crypto';
import type { Check } from '../../../shared/checks/schema.js';
import type { Severity } from '../../../shared/model/results.js';
import { SEVERITIES } from '../../../shared/model/results.js';
import type { Engagement } from '../../../shared/model/workspace.js';
import { boundForm, guardForm } from '../../../shared/text/target-text.js';
import { evidenceText, findingRows } from '../common.js';
import type { ExportFinding } from '../data.js';
import { blockMarkup, bullets, heading, jiraText, table, tableHead, tableRow } from './markup.js';

export type JiraPriority = 'Highest' | 'High' | 'Medium' | 'Low' | 'Lowest';

export const PRIORITY: Record<Severity, JiraPriority> = {
  critical: 'Highest',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Lowest',
};

/** Jira's limits: a summary of 255 characters, a description (a text field) of 32767; kept with a margin. */
export const SUMMARY_MAX = 255;
export const DESCRIPTION_MAX = 32_000;
const LABEL_MAX = 255;
const LABEL_PREFIX = 'foureyes';

export interface JiraFields {
  /** `foureyes-<20 hex>`: the external id, also one of the labels. */
  externalId: string;
  summary: string;
  /** Jira wiki markup. */
  description: string;
  priority: JiraPriority;
  /** Unique, in order: `foureyes`, the severity, the check ids, the external id. */
  labels: string[];
  components: string[];
  /** YYYY-MM-DD, or null when the finding has none. */
  duedate: string | null;
  /** What the description shows of the hosts and approvals (for the CLI's report). */
  hosts: { name: string; state: string }[];
  approvals: { name: string; at: string }[];
  findingId: string;
  title: string;
}

export interface FieldsContext {
  engagement: Pick<Engagement, 'id' | 'name'>;
  checks: ReadonlyMap<string, Check>;
}

export interface FieldsOptions {
  /** Components to set on every issue (none by default). */
  components?: readonly string[];
}

/** The external id of a finding of an engagement: stable across exports and workstations. */
export function externalId(engagementId: string, findingId: string): string {
  const h = createHash('sha256').update(`foureyes-jira/1\n${engagementId}\n${findingId}`).digest('hex');
  return `${LABEL_PREFIX}-${h.slice(0, 20)}`;
}

/**
 * A label as Jira takes one: no white space (each run becomes `_`), hidden characters as their escapes, at most
 * 255 characters; null when nothing is left.
 */
export function jiraLabel(s: string): string | null {
  const v = boundForm(guardForm(s.trim(), false).replace(/\s+/g, '_'), LABEL_MAX);
  return v === '' ? null : v;
}

/** The severity labels, which a publish replaces when the severity changes. */
export const SEVERITY_LABELS: readonly string[] = SEVERITIES;

const HOSTS_MAX = 8000;

/** The description: fields, approval, affected hosts, why, what to do, notes, evidence; within DESCRIPTION_MAX. */
function description(f: ExportFinding, ctx: FieldsContext, ext: string): string {
  const x = f.finding;
  const check = ctx.checks.get(x.key);
  const parts: string[] = [];
  parts.push(
    heading(3, 'Finding'),
    table(
      ['Field', 'Value'],
      [
        ...Object.values(findingRows(x, ctx.checks)),
        ['Owner', x.customerOwner ?? ''],
        ['Due date', x.dueDate ?? ''],
        ['Tags', x.tags.join(', ')],
        ['Engagement', ctx.engagement.name],
        ['Foureyes', `finding ${x.id}, revision ${x.revision}, ${ext}`],
      ],
      200,
    ),
    heading(3, 'Approval'),
    f.approvedBy.length > 0
      ? bullets(
          f.approvedBy.slice(0, 9).map((a) => `Approved by ${a.name} at ${a.at}`),
          200,
        )
      : jiraText(`Not in a final report: ${f.final.reason ?? 'not approved'}.`, { max: 1000 }),
  );
  // As many hosts as fit in HOSTS_MAX characters of table; the rest counted.
  const lines = [tableHead(['Host', 'State', 'First seen', 'Last seen', 'Found'])];
  let size = lines[0]!.length;
  for (const h of f.hosts) {
    const row = tableRow([h.targetName, h.shown, h.firstSeenAt, h.lastSeenAt, h.actual], 120);
    if (size + row.length + 1 > HOSTS_MAX) break;
    lines.push(row);
    size += row.length + 1;
  }
  parts.push(heading(3, 'Affected hosts'), lines.join('\n'));
  if (f.hosts.length > lines.length - 1)
    parts.push(
      jiraText(`And ${f.hosts.length - lines.length + 1} more hosts: the engagement export lists them all.`),
    );
  if (check?.rationale) parts.push(heading(3, 'Why it matters'), jiraText(check.rationale, { max: 2000 }));
  const recommendation = x.recommendation || check?.remediation.text || '';
  if (recommendation) parts.push(heading(3, 'Recommendation'), jiraText(recommendation, { max: 4000 }));
  if (check) {
    parts.push(heading(3, 'Remediation'), jiraText(check.remediation.text, { max: 2000 }));
    if (check.remediation.shell)
      parts.push(blockMarkup('code', check.remediation.shell, { language: 'bash', max: 1500 }));
    if (check.remediation.ansible)
      parts.push(blockMarkup('code', check.remediation.ansible, { language: 'yaml', max: 1500 }));
  }
  if (x.notes) parts.push(heading(3, 'Notes'), jiraText(x.notes, { max: 5000 }));
  const withEvidence = f.hosts.filter((h) => h.evidence.length > 0);
  if (withEvidence.length > 0) {
    parts.push(heading(3, 'Evidence'));
    let room = DESCRIPTION_MAX - parts.join('\n\n').length - 200;
    for (const [i, h] of withEvidence.entries()) {
      const head = heading(4, h.targetName);
      // What is left shared among the hosts still to show, at least a line each (or a sentence that it is cut).
      const share = Math.floor(room / (withEvidence.length - i)) - head.length - 120;
      if (share < 200) {
        parts.push(
          jiraText(
            `Evidence of ${withEvidence.length - i} more hosts left out for room: the engagement export holds it.`,
          ),
        );
        break;
      }
      const block = blockMarkup('noformat', evidenceText(h.evidence), { max: share });
      parts.push(head, block);
      room -= head.length + block.length + 4;
    }
  }
  return parts.join('\n\n');
}

/** The Jira fields of one finding (see the module comment). */
export function jiraFields(f: ExportFinding, ctx: FieldsContext, o: FieldsOptions = {}): JiraFields {
  const x = f.finding;
  const ext = externalId(ctx.engagement.id, x.id);
  const checkIds = [
    ...new Set([...(ctx.checks.has(x.key) ? [x.key] : []), ...f.hosts.map((h) => h.checkId)]),
  ];
  const labels = [
    ...new Set(
      [LABEL_PREFIX, x.severity, ...checkIds, ext].map(jiraLabel).filter((l): l is string => l !== null),
    ),
  ];
  const components = [
    ...new Set(
      (o.components ?? []).map((c) => boundForm(guardForm(c.trim(), false), 255)).filter((c) => c !== ''),
    ),
  ];
  return {
    externalId: ext,
    summary: boundForm(guardForm(x.title.trim(), false), SUMMARY_MAX).trim() || x.key,
    description: description(f, ctx, ext),
    priority: PRIORITY[x.severity],
    labels,
    components,
    duedate: x.dueDate,
    hosts: f.hosts.map((h) => ({ name: h.targetName, state: h.shown })),
    approvals: f.approvedBy.map((a) => ({ name: a.name, at: a.at })),
    findingId: x.id,
    title: x.title,
  };
}
