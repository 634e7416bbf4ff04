/**
 * The machine-readable exports of a real stored scan with hostile target strings (fixture.ts): SARIF against the
 * SARIF 2.1.0 JSON schema, OHDF against Heimdall's exec-JSON schema, the engagement JSON against the schema published
 * in docs/schema (and that file against the zod schema it is generated from), all with ajv; JUnit against the Ant
 * JUnit XSD with xmllint. Each is parsed back: JSON text is exactly the stored text, XML text is the stored text
 * wherever XML can hold it, every character it cannot shown as its escape.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type AnySchema } from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import addFormatsUntyped from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xmlText, resultText } from '../../../main/export/common.js';
import { readEngagementExport, readScanExport, type ScanExportData } from '../../../main/export/data.js';
import { ENGAGEMENT_SCHEMA_PATH, EngagementExportSchema, engagementJsonSchema, toEngagementJson } from '../../../main/export/engagement-json.js';
import { exportScan } from '../../../main/export/index.js';
import { toJunit } from '../../../main/export/junit.js';
import { toOhdf } from '../../../main/export/ohdf.js';
import { toSarif } from '../../../main/export/sarif.js';
import { missingTool } from '../collector/helpers.js';
import { HOSTILE, HOSTILE_TARGET, PERSON_HOSTILE, LONG_LINE, TIME, exportFixture, type ExportFixture } from './fixture.js';

const addFormats = addFormatsUntyped as unknown as (ajv: Ajv) => Ajv;
// A CommonJS class: its default export, whichever way the module system hands it over.
const AjvDraft04 = ((ajvDraft04 as { default?: unknown }).default ?? ajvDraft04) as new (o: object) => Ajv;
const NO_XMLLINT = missingTool('xmllint', 'libxml2-utils');
const skipped = NO_XMLLINT ? ` (skipped: ${NO_XMLLINT})` : '';
/** What xmllint, an independent parser, reads at `expr` (the 1 MiB line needs --huge). */
const xpath = (file: string, expr: string): string =>
  execFileSync('xmllint', ['--huge', '--xpath', expr, file], { maxBuffer: 64 << 20 }).toString('utf8').replace(/\n$/, '');
const schemaFile = (name: string) => join(process.cwd(), 'test', 'data', 'schemas', name);
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as AnySchema;

/** A validator for a JSON schema: draft-07 (OHDF, the engagement export), or draft-04 (SARIF 2.1.0's OASIS schema). */
function validator(schema: AnySchema) {
  const draft04 = typeof schema === 'object' && String((schema as { $schema?: string }).$schema).includes('draft-04');
  // SARIF's schema has a pattern that is no valid Unicode regular expression: read as JavaScript ones.
  const opts = { allErrors: true, strict: false, unicodeRegExp: false };
  const ajv = draft04 ? new AjvDraft04(opts) : new Ajv(opts);
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (value: unknown) => {
    const ok = validate(value);
    return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
}

const TOOL = { name: 'Foureyes' as const, version: '0.1.0' };
let fx: ExportFixture;
let data: ScanExportData;

beforeAll(() => {
  fx = exportFixture();
  data = readScanExport(fx.ws, fx.scanId, fx.catalogue, { tool: TOOL, now: () => TIME });
}, 60_000);
afterAll(() => fx.cleanup());

/** The stored results of host `name`, by check id. */
const stored = (name: string) => new Map(data.hostRuns.find((h) => h.run.hostName === name)!.results.map((r) => [r.checkId, r]));

describe('what is read', () => {
  it('reads every host run with its results; the waived one shows waived with its waiver', () => {
    expect(data.hostRuns.map((h) => [h.run.hostName, h.run.state, h.results.length])).toEqual([
      ['db01', 'done', 5],
      ['web01', 'done', 2],
      [HOSTILE_TARGET, 'done', 1],
      ['gone01', 'failed', 0],
    ]);
    const manual = stored('db01').get(fx.checks.manual)!;
    expect(manual).toMatchObject({ verdict: 'manual', shown: 'waived' });
    expect(manual.waiver?.id).toBe(fx.waiverId);
    expect(stored('db01').get(fx.checks.fail)!.evidence[0]!.excerpt).toBe(LONG_LINE);
    // What the store gave back: raw controls kept, lone surrogates kept inside the JSON evidence column.
    expect(stored('db01').get(fx.checks.pass)!.evidence[0]!.excerpt).toBe(HOSTILE);
  });
});

describe('SARIF 2.1.0', () => {
  let sarif: { runs: [{ results: Record<string, unknown>[]; tool: { driver: { rules: { id: string }[] } } }] };
  beforeAll(() => {
    sarif = JSON.parse(JSON.stringify(toSarif(data))) as typeof sarif;
  });

  it('validates against the SARIF 2.1.0 JSON schema (which refuses a level SARIF does not know)', () => {
    const validate = validator(readJson(schemaFile('sarif-schema-2.1.0.json')));
    expect(validate(sarif)).toEqual([]);
    const bad = structuredClone(sarif);
    bad.runs[0].results[0]!.level = 'critical';
    expect(validate(bad).join('\n')).toContain('/runs/0/results/0/level');
  });

  it('has one rule per check, a result per stored result with kind, level from severity and a waiver as a suppression', () => {
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r) => r.id).sort()).toEqual(Object.values(fx.checks).sort());
    expect(run.results).toHaveLength(8);
    const db = (id: string) => run.results.find((r) => r.ruleId === id && (r.properties as { host: string }).host === 'db01')!;
    const sev = fx.catalogue.byId.get(fx.checks.fail)!.severity;
    expect(db(fx.checks.fail)).toMatchObject({ kind: 'fail', level: { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }[sev] });
    expect(db(fx.checks.pass)).toMatchObject({ kind: 'pass', level: 'none' });
    expect(db(fx.checks.not_applicable)).toMatchObject({ kind: 'notApplicable', level: 'none' });
    expect(db(fx.checks.error)).toMatchObject({ kind: 'open', level: 'none' });
    expect(db(fx.checks.manual)).toMatchObject({
      kind: 'review',
      suppressions: [{ kind: 'external', status: 'accepted', justification: `Accepted: ${PERSON_HOSTILE}` }],
      properties: { verdict: 'waived', storedVerdict: 'manual' },
    });
    expect(db(fx.checks.fail).locations).toEqual([
      { logicalLocations: [{ name: fx.checks.fail, fullyQualifiedName: `db01/${fx.checks.fail}`, kind: 'resource' }] },
    ]);
    const inv = (sarif.runs[0] as unknown as { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] })
      .invocations[0]!;
    expect(inv.executionSuccessful).toBe(false);
    const gone = data.hostRuns.find((h) => h.run.hostName === 'gone01')!.run;
    expect(inv.toolExecutionNotifications.map((n) => n.message.text)).toEqual([`gone01: failed while queued: ${gone.error!.message}`]);
  });

  it('carries target text exactly as stored (the 1 MiB line too)', () => {
    for (const r of sarif.runs[0].results) {
      const p = r.properties as { host: string; actual: string; reason: string; expected: string; evidence: unknown };
      const s = stored(p.host).get(r.ruleId as string)!;
      expect(p).toMatchObject({ actual: s.actual, reason: s.reason, expected: s.expected, evidence: s.evidence });
      expect((r.message as { text: string }).text).toContain(s.reason);
    }
    expect(JSON.stringify(sarif)).toContain(LONG_LINE);
  });
});

describe('OHDF', () => {
  let ohdf: { profiles: { name: string; controls: { id: string; impact: number; tags: Record<string, unknown>; results: Record<string, unknown>[]; waiver_data?: unknown }[] }[] };
  beforeAll(() => {
    ohdf = JSON.parse(JSON.stringify(toOhdf(data))) as typeof ohdf;
  });

  it("validates against Heimdall's exec-JSON schema (which refuses an impact above 1)", () => {
    const validate = validator(readJson(schemaFile('ohdf-exec-json.json')));
    expect(validate(ohdf)).toEqual([]);
    const bad = structuredClone(ohdf);
    bad.profiles[0]!.controls[0]!.impact = 7;
    expect(validate(bad).join('\n')).toContain('/profiles/0/controls/0/impact');
  });

  it('has a profile per host and a control per check with impact, tags and a result per verdict', () => {
    expect(ohdf.profiles.map((p) => [p.name, p.controls.length])).toEqual([
      ['db01', 5],
      ['web01', 2],
      [HOSTILE_TARGET, 1],
      ['gone01', 5],
    ]);
    const db = new Map(ohdf.profiles[0]!.controls.map((c) => [c.id, c]));
    const status = (id: string) => db.get(id)!.results[0]!.status;
    expect([fx.checks.pass, fx.checks.fail, fx.checks.error, fx.checks.not_applicable, fx.checks.manual].map(status)).toEqual([
      'passed',
      'failed',
      'error',
      'skipped',
      'skipped',
    ]);
    const check = fx.catalogue.byId.get(fx.checks.fail)!;
    expect(db.get(fx.checks.fail)!.impact).toBe({ info: 0, low: 0.3, medium: 0.5, high: 0.7, critical: 0.9 }[check.severity]);
    expect(db.get(fx.checks.fail)!.tags).toMatchObject({ severity: check.severity, family: check.family, nist: check.references.nist_800_53 ?? [] });
    expect(db.get(fx.checks.manual)!.results[0]).toMatchObject({ skip_message: `Waived until 2027-01-31: Accepted: ${PERSON_HOSTILE}`, originalStatus: 'skipped' });
    expect(db.get(fx.checks.manual)!.waiver_data).toMatchObject({ justification: `Accepted: ${PERSON_HOSTILE}`, expiration_date: '2027-01-31' });
    expect(ohdf.profiles[3]!.controls.every((c) => c.results[0]!.status === 'error')).toBe(true);
  });

  it('carries target text exactly as stored', () => {
    const s = stored('db01').get(fx.checks.fail)!;
    const r = ohdf.profiles[0]!.controls.find((c) => c.id === fx.checks.fail)!.results[0]!;
    expect(r.code_desc).toContain(s.expected);
    expect(r.message).toContain(s.actual);
    expect(r.message).toContain(LONG_LINE);
  });
});

describe('JUnit XML', () => {
  let xml: string;
  let file: string;
  beforeAll(() => {
    xml = toJunit(data);
    file = join(fx.dir, 'junit.xml');
    writeFileSync(file, xml);
  });

  it.skipIf(NO_XMLLINT !== undefined)(`validates against the Ant JUnit XSD (xmllint)${skipped}`, () => {
    const r = spawnSync('xmllint', ['--noout', '--huge', '--schema', schemaFile('JUnit.xsd'), file], { encoding: 'utf8' });
    expect(r.stderr).toContain('validates');
    expect(r.status).toBe(0);
    // The schema is not a formality: a testsuite without its required system-err is refused.
    const bad = join(fx.dir, 'bad.xml');
    writeFileSync(bad, xml.replace(/<system-err[^>]*\/>|<system-err>[\s\S]*?<\/system-err>/, ''));
    const b = spawnSync('xmllint', ['--noout', '--huge', '--schema', schemaFile('JUnit.xsd'), bad], { encoding: 'utf8' });
    expect(b.status).not.toBe(0);
  });

  it('holds no character XML forbids and nothing from a target opens an element or a CDATA section', () => {
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/u);
    expect(xml).not.toContain('<script');
    expect(xml).not.toContain('<![CDATA[');
    expect(xml).not.toContain(']]>');
    expect(xml).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
  });

  it.skipIf(NO_XMLLINT !== undefined)(`parses back (xmllint): counts per suite, names as XML can hold them${skipped}`, () => {
    const suites = [1, 2, 3, 4].map((i) =>
      ['name', 'tests', 'failures', 'errors', 'skipped'].map((a) => xpath(file, `string(/testsuites/testsuite[${i}]/@${a})`)),
    );
    expect(suites).toEqual([
      ['db01', '5', '1', '1', '2'],
      ['web01', '2', '1', '0', '0'],
      [xmlText(HOSTILE_TARGET), '1', '1', '0', '0'],
      ['gone01', '5', '0', '5', '0'],
    ]);
    expect(xmlText(HOSTILE_TARGET)).toBe('imp<ort>&]]>\\x1b[0m\\xe2\\x80\\xae01');
  });

  it.skipIf(NO_XMLLINT !== undefined)(
    `a failure's text reads back (xmllint) as the stored text where XML can hold it, each other character as its escape${skipped}`,
    () => {
      const s = stored('web01').get(fx.checks.fail)!;
      const text = xpath(file, 'string(/testsuites/testsuite[2]/testcase[1]/failure)');
      const expected = xmlText(resultText(s));
      expect(text).toBe(expected);
      // Markup, `]]>` and `&` came back as text; controls, bidi overrides and the rest as escapes.
      expect(text).toContain('<script>alert("x")</script>');
      expect(text).toContain('a ]]> b <![CDATA[ c ]]> d');
      expect(text).toContain(`&amp; & &#0; &lt; '"`);
      expect(text).toContain('ctl \\x00\\x01\\x07\\x08\\x0b\\x0c\\x1b[31m\\x7f\\xc2\\x85 end');
      expect(text).toContain('bidi \\xe2\\x80\\xaeevil');
      expect(text).toContain('bytes \\xff\\xfe and lone');
      expect(text).toContain('nonchar \\ufffe\\uffff');
      expect(text).toContain('emoji \u{1F600} cr\\x0d\nlf tab\t.');
      // db01's failure holds the 1 MiB line whole.
      expect(xpath(file, 'string(/testsuites/testsuite[1]/testcase/failure)')).toContain(LONG_LINE);
    },
  );

  it('text already in the text form reads back unchanged', () => {
    const form = 'PermitRootLogin yes \\x1b[31m \\\\ <a> & ]]> \u00fc';
    expect(xmlText(form)).toBe(form);
  });
});

describe('engagement JSON', () => {
  let out: Record<string, unknown>;
  beforeAll(() => {
    out = JSON.parse(exportScan(fx.ws, 'json', fx.scanId, fx.catalogue, { tool: TOOL, now: () => TIME })) as Record<string, unknown>;
  });

  it('the published schema is the one generated from the zod schema (npm run schema:export)', () => {
    expect(readFileSync(join(process.cwd(), ENGAGEMENT_SCHEMA_PATH), 'utf8')).toBe(`${JSON.stringify(engagementJsonSchema(), null, 2)}\n`);
  });

  it('validates against the published schema and parses with the zod schema', () => {
    expect(validator(readJson(join(process.cwd(), ENGAGEMENT_SCHEMA_PATH)))(out)).toEqual([]);
    expect(() => EngagementExportSchema.parse(out)).not.toThrow();
    // The schema refuses what it should: an unknown verdict, a missing field.
    const bad = structuredClone(out) as { scans: { hostRuns: { results: { verdict: string }[] }[] }[] };
    bad.scans[0]!.hostRuns[0]!.results[0]!.verdict = 'maybe';
    expect(validator(readJson(join(process.cwd(), ENGAGEMENT_SCHEMA_PATH)))(bad)).not.toEqual([]);
  });

  it('holds the engagement, hosts, scans with results, findings with review state and approvals, waivers, people', () => {
    const e = toEngagementJson(readEngagementExport(fx.ws, fx.engagementId, fx.catalogue, { tool: TOOL, now: () => TIME }));
    expect(e.engagement).toMatchObject({ name: 'Acme audit', description: fx.ws.engagements.require(fx.engagementId).description, approvalsRequired: 1 });
    expect(e.engagement.description).toContain('<script>alert("x")</script>');
    expect(e.hosts.map((h) => h.name)).toEqual(['db01', 'web01']);
    expect(e.scans).toHaveLength(1);
    const db = e.scans[0]!.hostRuns[0]!;
    expect(db.results.find((r) => r.checkId === fx.checks.manual)).toMatchObject({ verdict: 'waived', storedVerdict: 'manual', waiverId: fx.waiverId });
    const f = e.findings.find((x) => x.finding.id === fx.findingId)!;
    expect(f.finding).toMatchObject({ reviewState: 'approved', notes: `Notes ${PERSON_HOSTILE}` });
    expect(f.approvals.map((a) => a.reviewerName)).toEqual(['Bea']);
    expect(f.final).toEqual({ included: true, reason: null });
    expect(f.authors.map((a) => a.name)).toEqual(['Ann']);
    const other = e.findings.find((x) => x.finding.id !== fx.findingId);
    if (other) expect(other.final.included).toBe(false);
    expect(e.waivers.map((w) => [w.id, w.state, w.approval?.name])).toEqual([[fx.waiverId, 'approved', 'Bea']]);
    expect(e.people.map((p) => p.name)).toEqual(['Ann', 'Bea']);
    expect(e.people[0]!.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    // Target text exactly as stored.
    const s = stored('db01');
    for (const r of db.results) expect(r).toMatchObject({ actual: s.get(r.checkId)!.actual, evidence: s.get(r.checkId)!.evidence });
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});

describe('every format through exportScan', () => {
  it.skipIf(NO_XMLLINT !== undefined)(`junit text is what xmllint reads as well-formed${skipped}`, () => {
    const f = join(fx.dir, 'x.xml');
    writeFileSync(f, exportScan(fx.ws, 'junit', fx.scanId, fx.catalogue, { tool: TOOL, now: () => TIME }));
    execFileSync('xmllint', ['--noout', '--huge', f]);
  });
});
