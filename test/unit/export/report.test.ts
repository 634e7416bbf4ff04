/**
 * The HTML report over a real workspace with hostile target text (fixture.ts), for each audience: a document
 * parse5 reads without one parse error, no script, nothing that loads (no src, every href a fragment of the
 * document, url() only data:), the strict CSP meta, Inter and JetBrains Mono embedded as the very woff2 files of the
 * font packages, charts inline, the sections every audience has (summary, findings by severity, method with
 * waivers, approvals, the checkpoint's count and head hash) and each audience's own; the hostile text shown as its
 * visible form, no raw control or bidi character in any text; `--final` refused while a finding is not approved;
 * the same input gives the same bytes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCheckpoint } from '../../../main/audit/checkpoint.js';
import { readEngagementExport } from '../../../main/export/data.js';
import { AUDIENCES, buildReport, type Audience } from '../../../main/export/report/index.js';
import { reportHtml } from '../../../main/export/report/report.js';
import { unlock } from '../../../main/people/people.js';
import { htmlVisible } from '../../../shared/text/html.js';
import {
  HOSTILE_TARGET,
  PASS,
  PERSON_HOSTILE,
  TIME,
  exportFixture,
  type ExportFixture,
  editApprovedFinding,
} from './fixture.js';
import { expectSelfContained, readHtml, type ReadBack } from './report-dom.js';

const require = createRequire(import.meta.url);
const tool = { name: 'Foureyes' as const, version: '0.1.0' };
let fx: ExportFixture;
const html = {} as Record<Audience, string>;
const read = {} as Record<Audience, ReadBack>;

beforeAll(() => {
  fx = exportFixture();
  for (const audience of AUDIENCES) {
    html[audience] = buildReport(fx.ws, fx.catalogue, {
      tool,
      now: () => TIME,
      engagementId: fx.engagementId,
      audience,
      final: false,
      acting: unlock(fx.ws, 'Ann', PASS.ann),
    }).html;
    read[audience] = readHtml(html[audience]);
  }
});
afterAll(() => fx?.cleanup());

describe('HTML report', () => {
  it.each(AUDIENCES)('%s: parses without error, loads nothing, holds no script, carries the CSP', (a) => {
    expectSelfContained(html[a], read[a]);
    // The only URL in the document is the SVG namespace (a name, never fetched).
    const rest = html[a].replace(/ xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '');
    expect(/<script|javascript:|\ssrc=|[a-z][a-z0-9+.-]*:\/\//i.exec(rest)?.[0] ?? null).toBeNull();
    expect(read[a].elements.find((e) => e.tag === 'html')!.attrs['data-audience']).toBe(a);
  });

  it.each(AUDIENCES)('%s: embeds the Inter and JetBrains Mono woff2 files, and inline SVG charts', (a) => {
    const style = read[a].styles[0]!;
    for (const [family, file] of [
      ['Inter', '@fontsource-variable/inter/files/inter-latin-wght-normal.woff2'],
      ['JetBrains Mono', '@fontsource/jetbrains-mono/files/jetbrains-mono-latin-400-normal.woff2'],
    ] as const) {
      const b64 = readFileSync(require.resolve(file)).toString('base64');
      expect(b64.length).toBeGreaterThan(10_000);
      const face = style.split('@font-face').find((f) => f.includes(`font-family: '${family}'`))!;
      expect(face).toContain(`url(data:font/woff2;base64,${b64}) format('woff2')`);
    }
    const svgs = read[a].elements.filter((e) => e.tag === 'svg');
    expect(svgs.length).toBe(a === 'executive' ? 1 : 2);
    expect(read[a].elements.filter((e) => e.tag === 'circle').length).toBe(1);
  });

  it.each(AUDIENCES)(
    '%s: has the summary, findings by severity, method, approvals and the checkpoint',
    (a) => {
      const r = read[a];
      for (const id of ['summary', 'findings', 'method', 'approvals', 'audit'])
        expect(r.byId.has(id), id).toBe(true);
      const cp = makeCheckpoint(fx.ws, unlock(fx.ws, 'Ann', PASS.ann));
      if (a === 'executive')
        expect(r.byId.get('audit')).toContain(
          `The trail held ${cp.count} events ending at ${cp.headHash}: signed`,
        );
      else {
        expect(r.byId.get('audit')).toContain(`Events${cp.count}`);
        expect(r.byId.get('audit')).toContain(`Head hash${cp.headHash}`);
      }
      const data = readEngagementExport(fx.ws, fx.engagementId, fx.catalogue, { tool });
      expect(r.byId.get('method')).toContain(`Catalogue version ${data.catalogueVersion}; profile none`);
      expect(r.byId.get('method')).toContain('Waivers (1, 1 approved)');
      expect(r.byId.get('approvals')).toMatch(/1 of 1 finding approved/);
      if (a === 'executive')
        expect(r.byId.get('approvals')).toContain('Review: 0 draft, 0 in review, 1 approved.');
      expect(r.byId.get('approvals')).toContain(a === 'executive' ? 'Approved by Bea.' : 'Bea (');
      expect(r.byId.get('summary')).toContain('Top risks');
      expect(r.byId.get('summary')).toContain('security score');
      expect(r.byId.has('owners')).toBe(a === 'manager');
      expect(r.byId.has('hosts')).toBe(a === 'engineer');
      expect(r.byId.has('details')).toBe(a === 'engineer');
    },
  );

  it('engineer: every check of every host with its verdict, evidence and fix; long evidence cut, saying so', () => {
    const r = read.engineer;
    const hosts = r.byId.get('hosts')!;
    const data = readEngagementExport(fx.ws, fx.engagementId, fx.catalogue, { tool });
    const runs = data.scans.at(-1)!.hostRuns;
    const results = runs.flatMap((h) => h.results);
    expect(r.elements.filter((e) => e.attrs['data-verdict'] !== undefined)).toHaveLength(results.length);
    for (const x of results)
      expect(hosts).toContain(`${x.checkId}: ${fx.catalogue.byId.get(x.checkId)!.title}`);
    const fail = fx.catalogue.byId.get(fx.checks.fail)!;
    expect(hosts).toContain(`Fix: ${htmlVisible(fail.remediation.text.split('\n')[0]!)}`);
    expect(hosts).toContain('more characters (the engagement JSON export holds all of it)');
    expect(hosts).toContain(htmlVisible(HOSTILE_TARGET));
    expect(html.engineer.length).toBeLessThan(2 * 1024 * 1024);
    expect(hosts).toContain('Not assessed: connect_refused');
  });

  it('manager: findings by owner and due date, with status and who approved', () => {
    const owners = read.manager.byId.get('owners')!;
    expect(owners).toContain('No owner named');
    expect(owners).toContain('no due date');
    expect(owners).toMatch(/Bea \(\d{4}-/);
  });

  it('shows hostile text as its visible form: markup as text, controls and bidi as escapes', () => {
    const stored = fx.ws.findings.hosts.forFinding(fx.findingId)[0]!.actual;
    expect(stored.startsWith('found <script>')).toBe(true);
    const text = read.engineer.text;
    expect(text).toContain(htmlVisible(stored));
    expect(text).toContain(htmlVisible(`Notes ${PERSON_HOSTILE}`).split('\\x0a')[0]);
    expect(text).toContain('<script>alert("x")</script><b onmouseover=x>');
    expect(text).toContain('\\xe2\\x80\\xae');
    expect(read.engineer.elements.some((e) => e.tag === 'b')).toBe(false);
    const e = fx.ws.engagements.require(fx.engagementId);
    expect(read.executive.elements.find((x) => x.tag === 'title')).toBeDefined();
    expect(read.executive.text).toContain(`${e.name}: security assessment`);
  });

  it('gives the same bytes for the same input', () => {
    const data = readEngagementExport(fx.ws, fx.engagementId, fx.catalogue, { tool, now: () => TIME });
    const cp = makeCheckpoint(fx.ws, unlock(fx.ws, 'Ann', PASS.ann));
    const make = () =>
      reportHtml({
        data,
        scanId: data.scans.at(-1)!.scan.id,
        audience: 'engineer',
        final: false,
        checkpoint: cp,
        exportedBy: { name: 'Ann', fingerprint: 'SHA256:x' },
      });
    expect(make()).toBe(make());
  });

  it('`final` is refused while a finding is not approved, naming it', () => {
    editApprovedFinding(fx.ws, fx.findingId);
    const ann = unlock(fx.ws, 'Ann', PASS.ann);
    expect(() =>
      buildReport(fx.ws, fx.catalogue, {
        tool,
        engagementId: fx.engagementId,
        audience: 'executive',
        final: true,
        acting: ann,
      }),
    ).toThrow(new RegExp(`--final: 1 finding is not approved: ${fx.findingId.slice(0, 8)}`));
  });
});
