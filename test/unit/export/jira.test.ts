/**
 * The Jira fields and CSV of the export fixture (a real workspace with hostile target text, a finding approved
 * under the four-eye rule, 1 MiB evidence): markup escaping by example, priorities from severities, labels with
 * the external id (the same for the same engagement and finding, another for another), the due date, components,
 * a description within Jira's limit that cuts the evidence and says so, and the CSV's columns.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEngagementExport, type EngagementExportData } from '../../../main/export/data.js';
import { toJiraCsv } from '../../../main/export/jira/csv.js';
import {
  DESCRIPTION_MAX,
  PRIORITY,
  externalId,
  jiraFields,
  jiraLabel,
} from '../../../main/export/jira/fields.js';
import { blockMarkup, jiraText } from '../../../main/export/jira/markup.js';
import { SEVERITIES } from '../../../shared/model/results.js';
import { HOSTILE_TARGET, TIME, exportFixture, type ExportFixture } from './fixture.js';

let fx: ExportFixture;
let data: EngagementExportData;
const TOOL = { name: 'Foureyes' as const, version: '0.1.0' };

beforeAll(() => {
  fx = exportFixture();
  data = readEngagementExport(fx.ws, fx.engagementId, fx.catalogue, { tool: TOOL, now: () => TIME });
});
afterAll(() => fx?.cleanup());

describe('Jira markup', () => {
  it('escapes every markup character, a backslash and an ampersand, line-start headings and addresses', () => {
    expect(jiraText('*bold* _em_ -del- +ins+ ^sup^ ~sub~ ??cite?? !img.png! #1')).toBe(
      '\\*bold\\* \\_em\\_ \\-del\\- \\+ins\\+ \\^sup\\^ \\~sub\\~ \\?\\?cite\\?\\? \\!img.png\\! \\#1',
    );
    expect(jiraText('{code}x{code} [a|http://evil.example] [~admin] ||h|| {{m}}')).toBe(
      '\\{code\\}x\\{code\\} \\[a\\|http&#58;//evil.example\\] \\[\\~admin\\] \\|\\|h\\|\\| \\{\\{m\\}\\}',
    );
    expect(jiraText('h1. Title\n  bq. quote\nh7. no\nmailto:x@y')).toBe(
      '&#104;1. Title\n  &#98;q. quote\nh7. no\nmailto&#58;x@y',
    );
    expect(jiraText('a\\\\b &#92; &amp;')).toBe('a&#92;&#92;b &amp;\\#92; &amp;amp;');
  });

  it('makes hidden characters visible; inline text keeps to one line', () => {
    expect(jiraText('a\u001b[31m\u202eb\r\nc')).toBe('a&#92;x1b\\[31m&#92;xe2&#92;x80&#92;xaeb&#92;x0d\nc');
    expect(jiraText('a\nb\tc', { inline: true })).toBe('a&#92;x0ab\tc');
  });

  it('cuts to a bound, never inside an escape', () => {
    const s = jiraText(`${'x'.repeat(10)}\\x1b${'y'.repeat(20)}`, { max: 14 });
    expect(s).toBe(`${'x'.repeat(10)}…`);
    expect(jiraText('*'.repeat(100), { max: 21 })).toBe(`${'\\*'.repeat(10)}…`);
  });

  it('splits a block wherever the text holds a start of {code or {noformat', () => {
    expect(blockMarkup('noformat', 'a{noformat}b')).toBe(
      '{noformat}a{no{noformat}\n{noformat}format}b{noformat}',
    );
    expect(blockMarkup('code', 'x {code} y {CODE:java}', { language: 'bash' })).toBe(
      '{code:bash}x {co{code}\n{code:bash}de} y {CO{code}\n{code:bash}DE:java}{code}',
    );
    expect(blockMarkup('noformat', '')).toBe('{noformat}{noformat}');
  });
});

describe('Jira fields of a finding', () => {
  it('priority from severity, labels with the external id, due date and components', () => {
    expect(PRIORITY).toEqual({
      critical: 'Highest',
      high: 'High',
      medium: 'Medium',
      low: 'Low',
      info: 'Lowest',
    });
    const ctx = { engagement: data.engagement, checks: data.checks };
    const f = data.findings.find((x) => x.finding.id === fx.findingId)!;
    for (const severity of SEVERITIES) {
      const j = jiraFields({ ...f, finding: { ...f.finding, severity } }, ctx);
      expect(j.priority).toBe(PRIORITY[severity]);
      expect(j.labels[1]).toBe(severity);
    }
    const j = jiraFields({ ...f, finding: { ...f.finding, dueDate: '2027-03-01' } }, ctx, {
      components: [' Web team ', 'Ops', 'Ops'],
    });
    const ext = externalId(fx.engagementId, fx.findingId);
    expect(ext).toMatch(/^foureyes-[0-9a-f]{20}$/);
    expect(j.externalId).toBe(ext);
    expect(j.labels).toEqual(['foureyes', f.finding.severity, fx.checks.fail, ext]);
    expect(j.duedate).toBe('2027-03-01');
    expect(j.components).toEqual(['Web team', 'Ops']);
    expect(j.summary).toBe(f.finding.title);
    expect(j.approvals.map((a) => a.name)).toEqual(['Bea']);
    expect(j.hosts.map((h) => h.name).sort()).toEqual(['db01', HOSTILE_TARGET, 'web01'].sort());
    expect(jiraFields(f, ctx).duedate).toBeNull();
    // Stable: the same finding read again gives equal fields; another engagement another id.
    const again = readEngagementExport(fx.ws, fx.engagementId, fx.catalogue, {
      tool: TOOL,
      now: () => new Date(),
    });
    expect(
      jiraFields(
        again.findings.find((x) => x.finding.id === fx.findingId)!,
        ctx,
      ),
    ).toEqual(jiraFields(f, ctx));
    expect(externalId('other', fx.findingId)).not.toBe(ext);
    expect(jiraLabel(' a b\tc\u001b ')).toBe('a_b_c\\x1b');
    expect(jiraLabel('   ')).toBeNull();
  });

  it('a description within Jira limit: 1 MiB of evidence cut with a line saying so, markup of target text escaped', () => {
    const f = data.findings.find((x) => x.finding.id === fx.findingId)!;
    const j = jiraFields(f, { engagement: data.engagement, checks: data.checks });
    expect(j.description.length).toBeLessThanOrEqual(DESCRIPTION_MAX);
    expect(j.description).toMatch(/more characters: the engagement export holds them all\)\{noformat\}/);
    expect(j.description).toContain('h3. Affected hosts');
    expect(j.description).toContain('* Approved by Bea at ');
    // The hostile host name, escaped: its `]]`, ESC and bidi override as text.
    expect(j.description).toContain('imp<ort>&amp;\\]\\]>&#92;x1b\\[0m&#92;xe2&#92;x80&#92;xae01');
    // eslint-disable-next-line no-control-regex
    expect(j.description).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202a-\u202e]/);
  });

  it('the summary is one line of at most 255 characters', () => {
    const f = data.findings[0]!;
    const j = jiraFields(
      { ...f, finding: { ...f.finding, title: `  a\nb${'z'.repeat(400)}` } },
      { engagement: data.engagement, checks: data.checks },
    );
    expect(j.summary).toHaveLength(255);
    expect(j.summary.startsWith('a\\x0ab')).toBe(true);
    expect(j.summary.endsWith('…')).toBe(true);
  });
});

describe('Jira CSV of the engagement', () => {
  it('has the importer columns, one row per finding, Labels and Component repeated', () => {
    const { issues, csv } = toJiraCsv(data, { components: ['Web', 'Ops'] });
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual([
      'Summary',
      'Issue Id',
      'Priority',
      'Due Date',
      'Description',
      ...Array(Math.max(...issues.map((i) => i.labels.length))).fill('Labels'),
      'Component',
      'Component',
    ]);
    expect(rows).toHaveLength(data.findings.length + 1);
    const row = rows[1 + issues.findIndex((i) => i.findingId === fx.findingId)]!;
    expect(row.slice(0, 3)).toEqual([
      issues.find((i) => i.findingId === fx.findingId)!.summary,
      externalId(fx.engagementId, fx.findingId),
      'Highest',
    ]);
    expect(row.slice(-2)).toEqual(['Web', 'Ops']);
    expect(csv.startsWith('"Summary","Issue Id",')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('final: only the findings a final report holds', () => {
    const two = structuredClone(data);
    const draft = structuredClone(two.findings[0]!);
    draft.finding.id = 'draft-1';
    draft.final = { included: false, reason: 'its review state is draft, not approved' };
    two.findings.push(draft);
    expect(toJiraCsv(two).issues.map((i) => i.findingId)).toEqual([fx.findingId, 'draft-1']);
    expect(toJiraCsv(two, { final: true }).issues.map((i) => i.findingId)).toEqual([fx.findingId]);
  });
});
