/**
 * `foureyes export` and `foureyes assess --format` as a user runs them from the built CLI, with a fresh HOME and
 * FOUREYES_WORKSPACE: the file written is the library's export of the stored scan (fixture with hostile target
 * text) and validates (SARIF, OHDF, the engagement JSON with ajv; JUnit with xmllint); the defaults pick the newest
 * scan and its engagement; errors name what and where, exit 2, no stack; a missing workspace is not created.
 * `assess --local --format` writes that format to stdout instead of the report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import addFormatsUntyped from 'ajv-formats';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppVersion } from '../../../main/api/app-env.js';
import { exportScan } from '../../../main/export/index.js';
import { ensureBuilt } from '../../support/build.js';
import { missingTool } from '../collector/helpers.js';
import { PASS, exportFixture, type ExportFixture } from '../export/fixture.js';

/** ajv with the formats the schemas use (date-time, uri): checked, not ignored. */
const withFormats = <T extends Ajv>(ajv: T): T => (addFormatsUntyped as unknown as (a: Ajv) => Ajv)(ajv) as T;
const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const NO_XMLLINT = missingTool('xmllint', 'libxml2-utils');
const skipped = NO_XMLLINT ? ` (skipped: ${NO_XMLLINT})` : '';
const XSD = join(process.cwd(), 'test', 'data', 'schemas', 'JUnit.xsd');

let fx: ExportFixture;
let home: string;
let file: string;

function cli(args: string[], workspace: string | null = file) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  if (workspace !== null) env.FOUREYES_WORKSPACE = workspace;
  return spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
}
const noStack = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
const ok = (r: ReturnType<typeof cli>) => {
  expect(r.status, r.stderr).toBe(0);
  return r;
};
function ajvValidate(schemaPath: string, value: unknown): string[] {
  const ajv = withFormats(new Ajv({ allErrors: true, strict: false }));
  const v = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
const xsdCheck = (path: string) => spawnSync('xmllint', ['--noout', '--huge', '--schema', XSD, path], { encoding: 'utf8' });

beforeAll(() => {
  ensureBuilt();
  fx = exportFixture();
  file = fx.ws.path;
  home = mkdtempSync(join(tmpdir(), 'foureyes-export-home-'));
}, 300_000);
afterAll(() => {
  fx.cleanup();
  rmSync(home, { recursive: true, force: true });
});

describe('foureyes export', () => {
  it('writes the newest scan as SARIF (0600), the same bytes the library gives, and says where', () => {
    const out = join(home, 'scan.sarif');
    const r = ok(cli(['export', 'sarif', '--out', out]));
    expect(r.stdout).toBe(`${out}: sarif written (${statSync(out).size} bytes)\n`);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const version = readAppVersion(process.cwd());
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(readFileSync(out, 'utf8')).toBe(exportScan(fx.ws, 'sarif', fx.scanId, fx.catalogue, { tool: { name: 'Foureyes', version } }));
  });

  it('ohdf and json validate; json takes --engagement by name; --out - writes to stdout', () => {
    const ohdf = join(home, 'scan.ohdf.json');
    ok(cli(['export', 'ohdf', '--out', ohdf, '--scan', fx.scanId]));
    expect(ajvValidate(join(process.cwd(), 'test', 'data', 'schemas', 'ohdf-exec-json.json'), JSON.parse(readFileSync(ohdf, 'utf8')))).toEqual([]);
    const json = join(home, 'engagement.json');
    ok(cli(['export', 'json', '--out', json, '--engagement', 'Acme audit', '--workspace', file], null));
    const e = JSON.parse(readFileSync(json, 'utf8')) as { engagement: { id: string }; scans: { id: string }[] };
    expect(ajvValidate(join(process.cwd(), 'docs', 'schema', 'foureyes-engagement-1.schema.json'), e)).toEqual([]);
    expect(e.engagement.id).toBe(fx.engagementId);
    expect(e.scans.map((s) => s.id)).toEqual([fx.scanId]);
    const stdout = ok(cli(['export', 'json', '--out', '-'])).stdout;
    expect((JSON.parse(stdout) as { engagement: { id: string } }).engagement.id).toBe(fx.engagementId);
  });

  it.skipIf(NO_XMLLINT !== undefined)(`junit validates against the Ant JUnit XSD${skipped}`, () => {
    const out = join(home, 'scan.junit.xml');
    ok(cli(['export', 'junit', '--out', out, '--engagement', fx.engagementId]));
    const v = xsdCheck(out);
    expect(v.stderr).toContain('validates');
    expect(v.status).toBe(0);
  });

  it('errors name what and where, exit 2, without a stack', () => {
    const unknown = cli(['export', 'docx', '--out', join(home, 'x')]);
    expect([unknown.status, unknown.stderr]).toEqual([
      2,
      'foureyes: unknown export format "docx": give sarif, junit, ohdf, json, jira-csv, scan, confluence, html, pdf\n',
    ]);
    const noScan = cli(['export', 'sarif', '--out', join(home, 'x'), '--scan', 'nope']);
    expect([noScan.status, noScan.stderr]).toEqual([2, `foureyes: --scan: no scan "nope" in the workspace ${file}\n`]);
    const noEng = cli(['export', 'sarif', '--out', join(home, 'x'), '--engagement', 'Other']);
    expect([noEng.status, noEng.stderr]).toEqual([2, 'foureyes: no engagement with the id or name "Other"\n']);
    const badOut = cli(['export', 'sarif', '--out', join(home, 'missing-dir', 'x.sarif')]);
    expect([badOut.status, badOut.stderr]).toEqual([2, `foureyes: --out: cannot write ${join(home, 'missing-dir', 'x.sarif')} (ENOENT)\n`]);
    const noOut = cli(['export', 'sarif']);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain("required option '--out <path>' not specified");
    for (const r of [unknown, noScan, noEng, badOut, noOut]) noStack(r);
    expect(existsSync(join(home, 'x'))).toBe(false);
  });

  it('--final exports while every finding is approved and refuses, naming it, once one is back in review', () => {
    const out = join(home, 'final.json');
    ok(cli(['export', 'json', '--out', out, '--final']));
    expect(existsSync(out)).toBe(true);
    const pass = join(home, 'ann.pass');
    writeFileSync(pass, `${PASS.ann}\n`);
    ok(cli(['finding', 'edit', fx.findingId, '--as', 'Ann', '--passphrase-file', pass, '--title', 'Root <b>login</b> & \x1b[31m']));
    const r = cli(['export', 'sarif', '--out', join(home, 'final.sarif'), '--final']);
    expect([r.status, r.stderr]).toEqual([2, 'foureyes: --final: 1 finding of "Acme audit" is not approved: Root <b>login</b> & \\x1b[31m (in review)\n']);
    expect(existsSync(join(home, 'final.sarif'))).toBe(false);
  });

  it('reads only: a missing workspace is an error naming it, and nothing is created', () => {
    const missing = join(home, 'nowhere', 'workspace.sqlite');
    const r = cli(['export', 'sarif', '--out', join(home, 'y.sarif')], missing);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no workspace at ${missing}`);
    noStack(r);
    expect(existsSync(join(home, 'nowhere'))).toBe(false);
    expect(existsSync(join(home, 'y.sarif'))).toBe(false);
    // Without FOUREYES_WORKSPACE: the default file under HOME, not created either.
    const d = cli(['export', 'json', '--out', join(home, 'z.json')], null);
    expect(d.status).toBe(2);
    expect(d.stderr).toContain(`no workspace at ${join(home, '.local', 'share', 'foureyes', 'workspace.sqlite')}`);
    expect(existsSync(join(home, '.local'))).toBe(false);
  });
});

describe('foureyes assess --format', () => {
  const checks = () => fx.catalogue.checks.slice(0, 6).map((c) => c.id).join(',');

  it('writes SARIF of the scan it ran to stdout instead of the report, and the workspace stores the scan', () => {
    const ws = join(home, 'assess.sqlite');
    const r = cli(['assess', '--local', '--checks', checks(), '--format', 'sarif'], ws);
    expect(r.status, r.stderr).not.toBe(2);
    const sarif = JSON.parse(r.stdout) as { version: string; runs: { results: { ruleId: string }[]; properties: { scan: { id: string } } }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(new Set(sarif.runs[0]!.results.map((x) => x.ruleId))).toEqual(new Set(checks().split(',')));
    expect(r.stdout).not.toContain('Score');
    const again = ok(cli(['export', 'sarif', '--out', '-'], ws)).stdout;
    expect((JSON.parse(again) as typeof sarif).runs[0]!.properties.scan.id).toBe(sarif.runs[0]!.properties.scan.id);
  });

  it.skipIf(NO_XMLLINT !== undefined)(`--format junit validates against the XSD${skipped}`, () => {
    const ws = join(home, 'assess.sqlite');
    const r = cli(['assess', '--local', '--checks', checks(), '--format', 'junit'], ws);
    expect(r.status, r.stderr).not.toBe(2);
    const out = join(home, 'assess.junit.xml');
    writeFileSync(out, r.stdout);
    const v = xsdCheck(out);
    expect(v.status, v.stderr).toBe(0);
  });

  it('refuses an unknown format, and --json with --format, before anything runs', () => {
    const ws = join(home, 'never.sqlite');
    const bad = cli(['assess', '--local', '--format', 'csv'], ws);
    expect([bad.status, bad.stderr]).toEqual([2, 'foureyes: --format must be one of sarif, junit, ohdf, json\n']);
    const both = cli(['assess', '--local', '--format', 'sarif', '--json'], ws);
    expect([both.status, both.stderr]).toEqual([2, 'foureyes: give --json or --format, not both\n']);
    expect(existsSync(ws)).toBe(false);
  });
});
