/**
 * The format builders over arbitrary target strings (fast-check: any code point, lone surrogates, and the pieces
 * that break generators: `]]>`, `&amp;`, `&#0;`, `<`, C0 controls, bidi overrides, U+FFFE): SARIF and OHDF validate
 * against their schemas and carry every string exactly; JUnit holds no character XML forbids, validates against the
 * XSD, and xmllint reads each failure's text back as the string with only what XML cannot hold escaped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import addFormatsUntyped from 'ajv-formats';
import { Ajv, type AnySchema } from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { resultText, xmlText } from '../../../main/export/common.js';
import type { ScanExportData } from '../../../main/export/data.js';
import { toJunit } from '../../../main/export/junit.js';
import { toOhdf } from '../../../main/export/ohdf.js';
import { toSarif } from '../../../main/export/sarif.js';
import type { Verdict } from '../../../shared/model/results.js';
import { missingTool } from '../collector/helpers.js';

/** ajv with the formats the schemas use (date-time, uri): checked, not ignored. */
const withFormats = <T extends Ajv>(ajv: T): T => (addFormatsUntyped as unknown as (a: Ajv) => Ajv)(ajv) as T;
const AjvDraft04 = ((ajvDraft04 as { default?: unknown }).default ?? ajvDraft04) as new (o: object) => Ajv;
const NO_XMLLINT = missingTool('xmllint', 'libxml2-utils');
const schema = (name: string) =>
  JSON.parse(readFileSync(join(process.cwd(), 'test', 'data', 'schemas', name), 'utf8')) as AnySchema;
const sarifValid = withFormats(new AjvDraft04({ strict: false, unicodeRegExp: false })).compile(
  schema('sarif-schema-2.1.0.json'),
);
const ohdfValid = withFormats(new Ajv({ strict: false })).compile(schema('ohdf-exec-json.json'));
const catalogue = loadCatalogue();
const dir = mkdtempSync(join(tmpdir(), 'foureyes-export-prop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Target text: any UTF-16 code unit or code point, and the strings that break XML and HTML generators. */
const piece = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(
    ']]>',
    '<![CDATA[',
    '&amp;',
    '&#0;',
    '&foo;',
    '&',
    '<',
    '>',
    '"',
    "'",
    '\u0000',
    '\u001b[31m',
    '\r\n',
    '\u202e',
    '\u2066',
    '\ufffe',
    '\\x41',
  ),
);
const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));

function scan(
  host: string,
  t: { expected: string; actual: string; reason: string; excerpt: string; path: string },
  verdict: Verdict,
): ScanExportData {
  const check = catalogue.checks[0]!;
  return {
    tool: { name: 'Foureyes', version: '0.1.0' },
    engagement: {
      id: 'e1',
      name: `E ${t.reason}`,
      customer: null,
      description: null,
      scope: null,
      createdAt: '2026-12-04T10:00:00.000Z',
      archivedAt: null,
    },
    scan: {
      id: 's1',
      engagementId: 'e1',
      startedAt: '2026-12-04T10:00:00.000Z',
      finishedAt: '2026-12-04T10:01:00.000Z',
      status: 'done',
      catalogueVersion: catalogue.version,
      profile: null,
      checkIds: [check.id],
      options: {},
    },
    checks: catalogue.byId,
    hostRuns: [
      {
        run: {
          id: 'r1',
          scanId: 's1',
          hostId: null,
          hostName: host,
          source: 'import',
          state: 'done',
          privilege: 'none',
          startedAt: '2026-12-04T10:00:00.000Z',
          finishedAt: '2026-12-04T10:00:30.000Z',
          error: null,
          stoppedIn: null,
          identity: { hostname: t.actual, osRelease: t.excerpt },
          stats: null,
        },
        results: [
          {
            id: 1,
            hostRunId: 'r1',
            hostName: host,
            hostId: null,
            checkId: check.id,
            checkDigest: 'd',
            verdict,
            shown: verdict,
            waiver: null,
            severity: check.severity,
            expected: t.expected,
            actual: t.actual,
            reason: t.reason,
            evidence: [{ factId: 'sshd.config', path: t.path, line: 1, excerpt: t.excerpt }],
          },
        ],
      },
    ],
  };
}

const texts = fc.record({ expected: text, actual: text, reason: text, excerpt: text, path: text });

describe('the builders over arbitrary target strings', () => {
  it('SARIF and OHDF validate and carry every string exactly', () => {
    fc.assert(
      fc.property(
        text,
        texts,
        fc.constantFrom<Verdict>('pass', 'fail', 'error', 'manual', 'not_applicable'),
        (h, t, v) => {
          const d = scan(`h${h}`, t, v);
          const sarif = JSON.parse(JSON.stringify(toSarif(d))) as {
            runs: { results: { properties: Record<string, unknown> }[] }[];
          };
          expect(sarifValid(sarif), JSON.stringify(sarifValid.errors)).toBe(true);
          expect(sarif.runs[0]!.results[0]!.properties).toMatchObject({
            actual: t.actual,
            reason: t.reason,
            expected: t.expected,
            host: `h${h}`,
          });
          expect(sarif.runs[0]!.results[0]!.properties.evidence).toEqual([
            { factId: 'sshd.config', path: t.path, line: 1, excerpt: t.excerpt },
          ]);
          const ohdf = JSON.parse(JSON.stringify(toOhdf(d))) as {
            profiles: { name: string; controls: { results: { message: string }[] }[] }[];
          };
          expect(ohdfValid(ohdf), JSON.stringify(ohdfValid.errors)).toBe(true);
          expect(ohdf.profiles[0]!.name).toBe(`h${h}`);
          expect(ohdf.profiles[0]!.controls[0]!.results[0]!.message).toContain(t.actual);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('JUnit holds no character XML forbids and nothing that opens markup', () => {
    fc.assert(
      fc.property(text, texts, (h, t) => {
        const xml = toJunit(scan(`h${h}`, t, 'fail'));
        // eslint-disable-next-line no-control-regex
        expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/u);
        expect(xml).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
        expect(xml).not.toContain('<![CDATA[');
        expect(xml.match(/<failure /g)).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });

  it.skipIf(NO_XMLLINT !== undefined)(
    `JUnit validates against the XSD and each failure reads back (xmllint)${NO_XMLLINT ? ` (skipped: ${NO_XMLLINT})` : ''}`,
    () => {
      const samples = fc.sample(fc.tuple(text, texts), { numRuns: 40, seed: 10 });
      const files = samples.map(([h, t], i) => {
        const f = join(dir, `s${i}.xml`);
        const d = scan(`h${h}`, t, 'fail');
        writeFileSync(f, toJunit(d));
        return { f, expected: xmlText(resultText(d.hostRuns[0]!.results[0]!)), host: xmlText(`h${h}`) };
      });
      const v = spawnSync(
        'xmllint',
        [
          '--noout',
          '--schema',
          join(process.cwd(), 'test', 'data', 'schemas', 'JUnit.xsd'),
          ...files.map((x) => x.f),
        ],
        {
          encoding: 'utf8',
        },
      );
      expect(v.status, v.stderr).toBe(0);
      for (const x of files) {
        const read = (expr: string) =>
          execFileSync('xmllint', ['--xpath', expr, x.f]).toString('utf8').replace(/\n$/, '');
        expect(read('string(//failure)')).toBe(x.expected);
      }
    },
  );
});
