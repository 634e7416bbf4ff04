/**
 * The lab's hostile host through every export format: `foureyes assess --format junit` of every check (stdout, in
 * place of the report), then `foureyes export sarif|junit|ohdf|json` of that stored scan. SARIF and OHDF validate
 * against their vendored schemas, the engagement JSON against the published one (ajv), JUnit against the Ant XSD
 * (xmllint); the host's hostile text (file names, hostname, banner with escapes and bidi overrides) is in them in
 * its text form, and no raw control character from the target is. Then the Confluence bundle of the same scan: every
 * page well-formed with its namespaces (libxml2), only allowlisted macros, nothing from the target opening an
 * element, the hostname in its text form, and `foureyes bundle verify` passing. And the Jira CSV (every cell parsed
 * back, none starting like a formula) and the HTML report (no script or frame from the target, its text as text) and its PDF.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import addFormatsUntyped from 'ajv-formats';
import { Ajv, type AnySchema } from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import * as parse5 from 'parse5';
import { MACROS } from '../../main/export/confluence/storage.js';
import { ensureBuilt } from '../support/build.js';
import { pageTexts, wellFormed } from '../unit/export/confluence-xml.js';
import { ensureLab, labAvailable, labHost, labUnavailableReason, type LabManifest } from './lab.js';

/** ajv with the formats the schemas use (date-time, uri): checked, not ignored. */
const withFormats = <T extends Ajv>(ajv: T): T => (addFormatsUntyped as unknown as (a: Ajv) => Ajv)(ajv) as T;
const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const AjvDraft04 = ((ajvDraft04 as { default?: unknown }).default ?? ajvDraft04) as new (o: object) => Ajv;
const schema = (p: string) => JSON.parse(readFileSync(join(process.cwd(), p), 'utf8')) as AnySchema;
const XSD = join(process.cwd(), 'test', 'data', 'schemas', 'JUnit.xsd');
const HAS_XMLLINT = spawnSync('sh', ['-c', 'command -v xmllint']).status === 0;

/** Raw C0 controls (but tab, LF, CR), DEL, C1 controls and bidi overrides in a text. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe.skipIf(!labAvailable())(
  `the hostile host in every export format${labAvailable() ? '' : ` (skipped: ${labUnavailableReason()})`}`,
  () => {
    let m: LabManifest;
    let dir: string;
    let ws: string;
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args, '--workspace', ws], {
        encoding: 'utf8',
        timeout: 170_000,
        maxBuffer: 256 << 20,
      });

    beforeAll(async () => {
      ensureBuilt();
      m = await ensureLab();
      dir = mkdtempSync(join(tmpdir(), 'fe-exports-'));
      ws = join(dir, 'ws.sqlite');
    }, 600_000);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('assess --format junit writes JUnit that validates; export writes every format, each validating', () => {
      const h = labHost(m, 'hostile');
      const assess = cli([
        'assess',
        `${h.user}@${h.address}`,
        '-i',
        m.keys.private,
        '--known-hosts',
        m.knownHosts,
        '--format',
        'junit',
      ]);
      expect([0, 1], assess.stderr).toContain(assess.status);
      const fromAssess = join(dir, 'assess.junit.xml');
      writeFileSync(fromAssess, assess.stdout);
      expect(assess.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites>/);

      const out = (f: string) => join(dir, `export.${f}`);
      for (const f of ['sarif', 'junit', 'ohdf', 'json']) {
        const r = cli(['export', f, '--out', out(f)]);
        expect(r.status, r.stderr).toBe(0);
      }
      const texts = Object.fromEntries(
        ['sarif', 'junit', 'ohdf', 'json'].map((f) => [f, readFileSync(out(f), 'utf8')]),
      );
      for (const [f, t] of Object.entries(texts)) expect(RAW.exec(t), f).toBeNull();

      const sarif = withFormats(
        new AjvDraft04({ strict: false, unicodeRegExp: false, allErrors: true }),
      ).compile(schema('test/data/schemas/sarif-schema-2.1.0.json'));
      expect(sarif(JSON.parse(texts.sarif!)), JSON.stringify(sarif.errors)).toBe(true);
      const ohdf = withFormats(new Ajv({ strict: false, allErrors: true })).compile(
        schema('test/data/schemas/ohdf-exec-json.json'),
      );
      expect(ohdf(JSON.parse(texts.ohdf!)), JSON.stringify(ohdf.errors)).toBe(true);
      const json = withFormats(new Ajv({ strict: false, allErrors: true })).compile(
        schema('docs/schema/foureyes-engagement-1.schema.json'),
      );
      const engagement = JSON.parse(texts.json!) as {
        scans: { hostRuns: { identity: { hostname?: string } | null; results: unknown[] }[] }[];
      };
      expect(json(engagement), JSON.stringify(json.errors)).toBe(true);
      const run = engagement.scans[0]!.hostRuns[0]!;
      expect(run.results.length).toBeGreaterThan(50);
      // The hostile hostname is there, in its text form (escapes, not the raw bytes).
      expect(run.identity?.hostname).toBe('<script>alert(1)</script>\\x1b[31mX\\x1b]0;t\\x07');
      expect(texts.junit).toContain(
        '<property name="foureyes.target.hostname" value="&lt;script&gt;alert(1)&lt;/script&gt;\\x1b[31mX\\x1b]0;t\\x07"/>',
      );

      if (HAS_XMLLINT)
        for (const f of [fromAssess, out('junit')]) {
          const v = spawnSync('xmllint', ['--noout', '--huge', '--schema', XSD, f], { encoding: 'utf8' });
          expect(v.status, v.stderr).toBe(0);
        }
    }, 300_000);

    it('the Confluence bundle of the hostile scan: pages well-formed, allowlisted macros only, no element from the target, verified', () => {
      writeFileSync(join(dir, 'ann.pass'), 'lab exports passphrase\n');
      const add = cli([
        'person',
        'add',
        '--name',
        'Ann',
        '--role',
        'consultant',
        '--email',
        'ann@example.org',
        '--passphrase-file',
        join(dir, 'ann.pass'),
      ]);
      expect(add.status, add.stderr).toBe(0);
      const out = join(dir, 'bundle');
      const r = cli([
        'export',
        'confluence',
        '--out',
        out,
        '--as',
        'Ann',
        '--passphrase-file',
        join(dir, 'ann.pass'),
      ]);
      expect(r.status, r.stderr).toBe(0);
      const pages = readdirSync(join(out, 'pages')).filter((f) => f.endsWith('.xml'));
      expect(pages.length).toBeGreaterThan(3);
      let all = '';
      for (const f of pages) {
        const xml = readFileSync(join(out, 'pages', f), 'utf8');
        expect(RAW.exec(xml), f).toBeNull();
        const wf = wellFormed(xml);
        expect(wf.ok, `${f}: ${wf.error}`).toBe(true);
        const t = pageTexts(xml);
        for (const mac of t.macros) expect(MACROS as readonly string[], `${f}`).toContain(mac);
        expect(t.markup, f).toBe(0);
        all += t.text;
      }
      expect(all).toContain('<script>alert(1)</script>\\x1b[31mX\\x1b]0;t\\x07');
      const v = spawnSync(process.execPath, [BIN, 'bundle', 'verify', out], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(v.status, v.stdout + v.stderr).toBe(0);
    }, 300_000);

    it('the Jira CSV, the HTML report and its PDF of the hostile scan: cells neutralised, no element from the target', () => {
      // A finding titled like a spreadsheet formula, and owned by an @-name: what a person could type.
      const listed = cli(['findings', '--json']);
      expect(listed.status, listed.stderr).toBe(0);
      const first = (JSON.parse(listed.stdout) as { findings: { id: string; revision: number }[] })
        .findings[0]!;
      const formula = '=HYPERLINK("http://attacker.example/x","open")';
      const edit = cli([
        'finding',
        'edit',
        first.id,
        '--title',
        formula,
        '--owner',
        '@ops',
        '--revision',
        String(first.revision),
        '--as',
        'Ann',
        '--passphrase-file',
        join(dir, 'ann.pass'),
      ]);
      expect(edit.status, edit.stderr).toBe(0);
      const csvFile = join(dir, 'jira.csv');
      const c = cli(['export', 'jira-csv', '--out', csvFile]);
      expect(c.status, c.stderr).toBe(0);
      const raw = readFileSync(csvFile, 'utf8');
      expect(RAW.exec(raw)).toBeNull();
      const rows = parseCsv(raw, { relax_column_count: false }) as string[][];
      expect(rows.length).toBeGreaterThan(1);
      for (const row of rows)
        for (const cell of row) expect(cell, cell.slice(0, 80)).not.toMatch(/^[=+\-@\t\r]/);
      // The formula is there, neutralised: as the Summary of its row, with a leading quote.
      const summary = rows[0]!.indexOf('Summary');
      expect(rows.slice(1).map((r) => r[summary])).toContain(`'${formula}`);

      const htmlFile = join(dir, 'report.html');
      const h = cli([
        'export',
        'html',
        '--out',
        htmlFile,
        '--as',
        'Ann',
        '--passphrase-file',
        join(dir, 'ann.pass'),
      ]);
      expect(h.status, h.stderr).toBe(0);
      const html = readFileSync(htmlFile, 'utf8');
      expect(RAW.exec(html)).toBeNull();
      const doc = parse5.parse(html);
      const tags: string[] = [];
      const attrs: string[] = [];
      const texts: string[] = [];
      type Node = { nodeName: string; childNodes?: Node[]; value?: string; attrs?: { name: string }[] };
      const walk = (n: Node): void => {
        tags.push(n.nodeName);
        for (const a of n.attrs ?? []) attrs.push(a.name);
        if (n.nodeName === '#text' && n.value !== undefined) texts.push(n.value);
        for (const k of n.childNodes ?? []) walk(k);
      };
      walk(doc as unknown as Node);
      expect(tags).not.toContain('script');
      expect(tags).not.toContain('iframe');
      expect(attrs.filter((a) => a.startsWith('on'))).toEqual([]);
      // The target's hostile names are there as text, their control characters as escapes.
      const text = texts.join('');
      expect(text).toContain('/etc/app\\x0a<svg onload=alert(1)>.conf');
      expect(text).toContain('/usr/local/bin/id-\\x1b[31mred\\x1b]0;pwned\\x07');

      // The same report printed: a PDF (headless Chromium) of more than one page.
      const pdfFile = join(dir, 'report.pdf');
      const p = cli([
        'export',
        'pdf',
        '--out',
        pdfFile,
        '--as',
        'Ann',
        '--passphrase-file',
        join(dir, 'ann.pass'),
      ]);
      expect(p.status, p.stderr).toBe(0);
      const pdf = readFileSync(pdfFile);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect((pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length).toBeGreaterThan(1);
    }, 300_000);
  },
);
