/**
 * Property: whatever text a target or a person puts into a finding (title, notes, recommendation, tags, host names,
 * what was found, evidence: Jira markup, `{code}` and `{noformat}`, `|`, `=cmd`, leading tab or CR, newlines,
 * bidi overrides, C0 controls, lone surrogates, long text), the Jira CSV parses back with csv-parse (RFC 4180,
 * strict) to exactly the neutralised cells, holds every field quoted, no cell that starts like a formula, and one
 * Labels column per label; and Jira markup escaping leaves nothing the renderer could read as markup: once the
 * escapes are removed, no markup character, backslash, `&`, heading or quote start, or address remains, and what is
 * left reads as the text with its hidden characters visible. Code and noformat blocks, read as Jira reads them (up
 * to the first end tag), give the text back.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEngagementExport, type EngagementExportData } from '../../../main/export/data.js';
import { csvCell, csvTable, toJiraCsv } from '../../../main/export/jira/csv.js';
import { DESCRIPTION_MAX, SUMMARY_MAX } from '../../../main/export/jira/fields.js';
import { blockMarkup, blockParts, jiraText, MARKUP_CHARS } from '../../../main/export/jira/markup.js';
import { guardForm } from '../../../shared/text/target-text.js';
import { TIME, exportFixture, type ExportFixture } from './fixture.js';

let fx: ExportFixture;
let base: EngagementExportData;

beforeAll(() => {
  fx = exportFixture();
  base = readEngagementExport(fx.ws, fx.engagementId, fx.catalogue, {
    tool: { name: 'Foureyes', version: '0.1.0' },
    now: () => TIME,
  });
});
afterAll(() => fx?.cleanup());

const piece = fc.oneof(
  fc.constantFrom(
    '{code}',
    '{code:java}',
    '{CODE}',
    '{noformat}',
    '{no',
    '{',
    '}',
    '{{mono}}',
    '{color:red}',
    '{html}<b>x</b>{html}',
    '[link|http://evil.example/]',
    '[~admin]',
    '|',
    '||',
    '*bold*',
    '_em_',
    '-del-',
    '+ins+',
    '^sup^',
    '~sub~',
    '??cite??',
    '!img.png!',
    '#',
    '----',
    'h1. ',
    'h6.',
    'bq. ',
    '\nh2. x',
    '\n  bq. y',
    '\n# item',
    '\n* item',
    '=cmd|"/c calc"!A1',
    '=',
    '+',
    '-',
    '@',
    '\t',
    '\r',
    '\r\n',
    '\n',
    '"',
    ',',
    "'",
    '\\',
    '\\\\',
    '\\x41',
    '&#92;',
    '&amp;',
    '&',
    'http://x.example',
    'mailto:a@b',
    '\u0000',
    '\u0007',
    '\u001b[31m',
    '\u007f\u0085',
    '\u202e',
    '\u2066\u2069',
    '\u200f',
    '\u2028',
    '\ufffe',
    '\ud800',
    '\udc80',
    '\u{1F600}',
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
);
const hostile = fc.array(piece, { maxLength: 10 }).map((a) => a.join(''));
const long = fc
  .tuple(hostile, fc.integer({ min: 1, max: 12_000 }), piece)
  .map(([a, n, b]) => `${a}${b.repeat(n)}`);
const text = fc.oneof({ weight: 9, arbitrary: hostile }, { weight: 1, arbitrary: long });

interface Texts {
  title: string;
  notes: string;
  recommendation: string;
  tag: string;
  host: string;
  actual: string;
  evidence: string;
  component: string;
}

function inject(d: EngagementExportData, s: Texts): EngagementExportData {
  const data = structuredClone(d);
  const f = data.findings[0]!;
  f.finding.title = s.title;
  f.finding.notes = s.notes;
  f.finding.recommendation = s.recommendation;
  f.finding.tags = [s.tag];
  const h = f.hosts[0]!;
  h.targetName = s.host;
  h.actual = s.actual;
  h.evidence = [{ factId: 'sshd.config', path: s.host, line: 1, excerpt: s.evidence }];
  data.findings.push(structuredClone(f));
  return data;
}

/** The text the renderer shows for escaped markup: `\X` as X, our character references as their characters. */
const unescape = (m: string): string =>
  m.replace(/\\([\s\S])|&#(\d+);|&amp;/g, (all, c: string | undefined, n: string | undefined) =>
    c !== undefined ? c : n !== undefined ? String.fromCharCode(Number(n)) : '&',
  );

/** What is left once the escapes `\X` (X a markup character) and the references made by jiraText are removed. */
const residue = (m: string): string => m.replace(/\\[{}[\]|*_\-+^~?!#]|&#(?:92|104|98|58);|&amp;/g, '');

/**
 * The markup a description holds besides the text: its blocks (read as Jira reads them, to the first end tag) and
 * escapes removed, what is left may hold `*` only as a bullet, `|` only in table rows, and no other markup
 * character; every line is a heading, a table row, a bullet, a block's end or text.
 */
function strayMarkup(d: string): string[] {
  let rest = '';
  for (let at = 0; at < d.length;) {
    const open = /\{(code:[a-z]+|noformat)\}/g;
    open.lastIndex = at;
    const m = open.exec(d);
    if (!m) {
      rest += d.slice(at);
      break;
    }
    rest += d.slice(at, m.index);
    const close = m[1] === 'noformat' ? '{noformat}' : '{code}';
    const end = d.indexOf(close, m.index + m[0].length);
    if (end < 0) return [`unclosed ${m[0]}`];
    rest += 'BLOCK';
    at = end + close.length;
  }
  const out: string[] = [];
  for (const line of residue(rest).split('\n')) {
    const body = line.replace(/^\* /, '').replace(/^h[34]\. /, '');
    const cells = /^\|\|?.*\|$/.test(body) ? body.replace(/\|/g, '') : body;
    if (/[{}[\]|*_\-+^~?!#\\]/.test(cells)) out.push(line);
  }
  return out;
}

const LONE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Every field of `raw` quoted: a record is `"…"` fields (quotes doubled inside) joined by `,`, ended by CRLF. */
const ALL_QUOTED = /^(?:"(?:[^"]|"")*"(?:,|\r\n))*$/;

describe('Jira markup over arbitrary text', () => {
  it('leaves nothing the renderer reads as markup, and reads back as the visible text', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (s, inline) => {
        const m = jiraText(s, { inline });
        const left = residue(m);
        for (const c of `${MARKUP_CHARS}\\&`)
          expect(left.includes(c), `${JSON.stringify(c)} in ${JSON.stringify(m)}`).toBe(false);
        expect(m).not.toMatch(/^[ \t]*(h[1-6]\.|bq\.)/m);
        expect(m).not.toMatch(/:\/\/|mailto:/i);
        expect(m).not.toMatch(LONE);
        if (inline) expect(m).not.toMatch(/[\n\r]/);
        expect(unescape(m)).toBe(guardForm(s, !inline));
        const cut = jiraText(s, { inline, max: 50 });
        expect(cut.length).toBeLessThanOrEqual(50);
        expect(residue(cut)).not.toMatch(/[{}[\]|*_\-+^~?!#\\&]/);
      }),
      { numRuns: 400 },
    );
  });

  it('code and noformat blocks hold no end tag of the text and give the text back, read up to each end tag', () => {
    fc.assert(
      fc.property(text, fc.constantFrom<'code' | 'noformat'>('code', 'noformat'), (s, kind) => {
        const v = guardForm(s, true);
        const parts = blockParts(s);
        expect(parts.join('')).toBe(v);
        for (const p of parts) expect(p).not.toMatch(/\{(code|noformat)/i);
        const m = blockMarkup(kind, s, { language: 'bash' });
        const open = kind === 'code' ? '{code:bash}' : '{noformat}';
        const close = kind === 'code' ? '{code}' : '{noformat}';
        // Jira's reading: from an opening tag, the body runs to the first end tag.
        let at = 0;
        let read = '';
        while (at < m.length) {
          expect(m.startsWith(open, at), m.slice(at, at + 40)).toBe(true);
          const end = m.indexOf(close, at + open.length);
          expect(end).toBeGreaterThan(-1);
          read += m.slice(at + open.length, end);
          at = end + close.length;
          if (m[at] === '\n') at++;
        }
        expect(read).toBe(v);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the Jira CSV over arbitrary finding text', () => {
  it('parses back (RFC 4180) to the neutralised cells, every field quoted, no formula, Labels repeated', () => {
    const texts = fc.record({
      title: text,
      notes: text,
      recommendation: text,
      tag: text,
      host: text,
      actual: text,
      evidence: text,
      component: text,
    });
    fc.assert(
      fc.property(texts, (s) => {
        const data = inject(base, s);
        const { issues, csv } = toJiraCsv(data, { components: [s.component, 'Platform'] });
        expect(issues).toHaveLength(data.findings.length);
        expect(csv).toMatch(ALL_QUOTED);
        expect(csv).not.toMatch(LONE);
        const rows = parse(csv, { relax_column_count: false, relax_quotes: false, bom: false }) as string[][];
        const expected = csvTable(issues).map((r) => r.map(csvCell));
        expect(rows).toEqual(expected);
        for (const r of rows) for (const c of r) expect(c).not.toMatch(/^[=+\-@\t\r]/);
        const head = rows[0]!;
        const labelCols = head.flatMap((h, i) => (h === 'Labels' ? [i] : []));
        expect(labelCols.length).toBe(Math.max(...issues.map((i) => i.labels.length)));
        expect(labelCols.length).toBeGreaterThanOrEqual(4);
        for (const [n, i] of issues.entries()) {
          const cells = labelCols.map((c) => rows[n + 1]![c]!).filter((c) => c !== '');
          expect(cells).toEqual(i.labels.map(csvCell));
          expect(i.labels).toContain(i.externalId);
          for (const l of i.labels) expect(l).not.toMatch(/\s/);
          expect(i.summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
          expect(i.summary).not.toMatch(/[\n\r]/);
          expect(i.description.length).toBeLessThanOrEqual(DESCRIPTION_MAX);
          expect(strayMarkup(i.description)).toEqual([]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a cell that starts like a formula gets a leading quote; others are kept', () => {
    for (const c of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(c)).toBe(`'${c}`);
    for (const c of ['', 'x=1', ' =1', "'=1", 'Summary']) expect(csvCell(c)).toBe(c);
  });
});
