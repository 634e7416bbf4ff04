/**
 * The findings of an engagement as a CSV file for Jira's CSV importer: one header row, then one row per finding
 * with the fields of fields.ts. The columns are Summary, Issue Id (the external id, which the importer maps to its
 * issue id), Priority, Due Date (YYYY-MM-DD: give the importer that date format), Description (wiki markup),
 * then Labels and Component repeated as several columns of the same name, one value each, as the importer takes
 * several values of one field. The external id is a label too, so a later import or `foureyes publish jira`
 * finds the issue (JQL `labels = "foureyes-…"`). Written by csv-stringify (RFC 4180: every field quoted, quotes
 * doubled, CRLF between records). Every cell goes through `csvCell`, the one neutraliser against formula injection
 * when the file is opened in a spreadsheet.
 */
import { stringify } from 'csv-stringify/sync';
import type { EngagementExportData } from '../data.js';
import { jiraFields, type FieldsOptions, type JiraFields } from './fields.js';

/** What a spreadsheet reads as the start of a formula (or of a cell it runs as one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell as the file holds it: one that a spreadsheet would take as a formula gets a leading `'`. */
export function csvCell(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

export interface JiraCsvOptions extends FieldsOptions {
  /** Only findings a final report holds. */
  final?: boolean;
}

/** The header and rows (each cell as given to csvCell, before it) of the CSV of `issues`. */
export function csvTable(issues: readonly JiraFields[]): string[][] {
  const labels = Math.max(1, ...issues.map((i) => i.labels.length));
  const components = Math.max(1, ...issues.map((i) => i.components.length));
  const fill = (values: readonly string[], n: number) => [
    ...values,
    ...Array<string>(n - values.length).fill(''),
  ];
  return [
    [
      'Summary',
      'Issue Id',
      'Priority',
      'Due Date',
      'Description',
      ...Array<string>(labels).fill('Labels'),
      ...Array<string>(components).fill('Component'),
    ],
    ...issues.map((i) => [
      i.summary,
      i.externalId,
      i.priority,
      i.duedate ?? '',
      i.description,
      ...fill(i.labels, labels),
      ...fill(i.components, components),
    ]),
  ];
}

/** The issues' fields and the CSV text (see the module comment). */
export function toJiraCsv(
  d: EngagementExportData,
  o: JiraCsvOptions = {},
): { issues: JiraFields[]; csv: string } {
  const ctx = { engagement: d.engagement, checks: d.checks };
  const issues = d.findings.filter((f) => !o.final || f.final.included).map((f) => jiraFields(f, ctx, o));
  const csv = stringify(
    csvTable(issues).map((r) => r.map(csvCell)),
    { quoted: true, quoted_empty: true, record_delimiter: 'windows' },
  );
  return { issues, csv };
}
