/**
 * `foureyes export html` from the built CLI on a real workspace with hostile target text (test/unit/export/fixture.ts):
 * each audience written as one file that parses and loads nothing, the export an event of the trail (`export.html`,
 * with the SHA-256 of the file and the checkpoint the report shows), `--json` output, `--final` refused naming the
 * finding (exit 2), an unknown audience and an existing file refused (exit 2), the passphrase in no output.
 * `foureyes export pdf` with /usr/bin/chromium: a PDF whose page objects are counted (and agree with the page tree's
 * /Count): the executive report one A4 page, the engineer's more, and more for a scan of more hosts; without a
 * Chromium the PDF is refused naming what is missing, and nothing is written or recorded.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findChromium } from '../../../main/export/report/pdf.js';
import { createStoreSink } from '../../../main/scan/store-sink.js';
import { openWorkspace } from '../../../main/store/db.js';
import { STATS, makeSnapshot } from '../store/helpers.js';
import { ensureBuilt } from '../../support/build.js';
import { PASS, exportFixture, type ExportFixture, editApprovedFinding } from '../export/fixture.js';
import { expectSelfContained, readHtml } from '../export/report-dom.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const require = createRequire(import.meta.url);
let fx: ExportFixture;
let file: string;

export function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: fx.dir };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  return spawnSync(process.execPath, [BIN, ...args, '--workspace', file], {
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    timeout: 120_000,
  });
}
const ann = () => ['--as', 'Ann', '--passphrase-file', join(fx.dir, 'ann.pass')];
const noStack = (r: { stderr: string }) => expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
const events = (action: string) => {
  const ws = openWorkspace(file);
  const ev = ws.audit.forObject('engagement', fx.engagementId).filter((e) => e.action === action);
  ws.close();
  return ev;
};

beforeAll(() => ensureBuilt(), 300_000);
beforeEach(() => {
  fx = exportFixture();
  file = fx.ws.path;
  fx.ws.close();
  writeFileSync(join(fx.dir, 'ann.pass'), `${PASS.ann}\n`);
});
afterEach(() => fx.cleanup());

describe('foureyes export html', () => {
  it('writes each audience as one self-contained file, recorded in the trail with its SHA-256', () => {
    for (const audience of ['executive', 'manager', 'engineer']) {
      const out = join(fx.dir, `${audience}.html`);
      const r = cli(['export', 'html', '--out', out, '--audience', audience, ...ann()]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        new RegExp(
          `${audience} report written as HTML \\(\\d+ bytes, SHA-256 [0-9a-f]{64}\\), audit checkpoint of \\d+ events signed by Ann`,
        ),
      );
      const html = readFileSync(out, 'utf8');
      const read = readHtml(html);
      expectSelfContained(html, read);
      expect(read.elements.find((e) => e.tag === 'html')!.attrs['data-audience']).toBe(audience);
      // The built CLI finds the fonts the build put beside it and embeds them whole.
      for (const font of [
        '@fontsource-variable/inter/files/inter-latin-wght-normal.woff2',
        '@fontsource/jetbrains-mono/files/jetbrains-mono-latin-400-normal.woff2',
      ])
        expect(read.styles[0]!.includes(readFileSync(require.resolve(font)).toString('base64')), font).toBe(
          true,
        );
      for (const s of [r.stdout, r.stderr, html]) expect(s.includes(PASS.ann)).toBe(false);
    }
    const ev = events('export.html');
    expect(ev).toHaveLength(3);
    expect(ev.map((e) => e.actor_name)).toEqual(['Ann', 'Ann', 'Ann']);
    const last = JSON.parse(ev[2]!.details!) as {
      sha256: string;
      audience: string;
      checkpoint: { count: number; headHash: string };
    };
    expect(last.audience).toBe('engineer');
    expect(last.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(fx.dir, 'engineer.html')))
        .digest('hex'),
    );
    const audit = readHtml(readFileSync(join(fx.dir, 'engineer.html'), 'utf8')).byId.get('audit')!;
    expect(audit).toContain(`Events${last.checkpoint.count}`);
    expect(audit).toContain(`Head hash${last.checkpoint.headHash}`);
  });

  it('--json says what was written; the default audience is engineer', () => {
    const out = join(fx.dir, 'r.html');
    const r = cli([
      'export',
      'html',
      '--out',
      out,
      '--json',
      '--engagement',
      fx.engagementId,
      '--scan',
      fx.scanId,
      ...ann(),
    ]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({
      out,
      format: 'html',
      audience: 'engineer',
      final: false,
      scanId: fx.scanId,
      leftOut: [],
    });
    expect(j.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
    expect(j.bytes).toBe(readFileSync(out).length);
  });

  it('refuses --final while a finding is not approved, an unknown audience and an existing file (exit 2)', () => {
    const ws = openWorkspace(file);
    editApprovedFinding(ws, fx.findingId);
    ws.close();
    const fin = cli(['export', 'html', '--final', '--out', join(fx.dir, 'f.html'), ...ann()]);
    expect(fin.status).toBe(2);
    expect(fin.stderr).toContain(`--final: 1 finding is not approved: ${fx.findingId.slice(0, 8)}`);
    noStack(fin);
    const bad = cli(['export', 'html', '--audience', 'board', '--out', join(fx.dir, 'b.html'), ...ann()]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--audience "board": give executive, manager, engineer');
    writeFileSync(join(fx.dir, 'taken.html'), 'x');
    const taken = cli(['export', 'html', '--out', join(fx.dir, 'taken.html'), ...ann()]);
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain('give a new file');
    expect(readFileSync(join(fx.dir, 'taken.html'), 'utf8')).toBe('x');
    expect(events('export.html')).toHaveLength(0);
  });
});

/** The pages of a PDF: its /Type /Page objects, checked against the /Count of its page tree's root. */
function pdfPages(pdf: Buffer): number {
  const s = pdf.toString('latin1');
  expect(s.startsWith('%PDF-')).toBe(true);
  const pages = (s.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  const counts = [
    ...s.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g),
  ].map((m) => Number(m[1] ?? m[2]));
  expect(Math.max(...counts)).toBe(pages);
  return pages;
}

/** A second scan of the engagement, of db01 alone. */
function smallScan(): string {
  const ws = openWorkspace(file);
  const e = fx.engagementId;
  const check = fx.catalogue.checks.find((c) => c.id === fx.checks.fail)!;
  const db01 = ws.hosts.list(e).find((h) => h.name === 'db01')!;
  const sink = createStoreSink(ws, {
    engagementId: e,
    catalogue: fx.catalogue,
    checks: [check],
    hosts: [{ name: 'db01', source: 'ssh', hostId: db01.id }],
  });
  sink.hostDone(
    'db01',
    makeSnapshot({ packages: 3 }),
    [{ checkId: check.id, verdict: 'pass', expected: 'x', actual: 'x', reason: 'ok', evidence: [] }],
    STATS,
    'root',
  );
  sink.finish('done');
  const id = sink.scan.id;
  ws.close();
  return id;
}

describe('foureyes export pdf', () => {
  it('prints with Chromium: the executive report on one A4 page, the engineer report on more, growing with hosts', () => {
    expect(findChromium({ PATH: '' })).toBe('/usr/bin/chromium');
    const chromium = { FOUREYES_CHROMIUM: '/usr/bin/chromium' };
    const small = smallScan();
    const pages: Record<string, number> = {};
    for (const [name, args] of [
      ['executive', ['--audience', 'executive']],
      ['engineer', ['--audience', 'engineer', '--scan', fx.scanId]],
      ['engineer-small', ['--scan', small]],
    ] as const) {
      const out = join(fx.dir, `${name}.pdf`);
      const r = cli(['export', 'pdf', '--out', out, ...args, ...ann()], chromium);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/report written as PDF \(\d+ bytes, SHA-256 [0-9a-f]{64}\)/);
      const pdf = readFileSync(out);
      pages[name] = pdfPages(pdf);
      // A4 portrait, in points.
      expect(pdf.toString('latin1')).toMatch(
        /\/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12](\.\d+)?\s*\]/,
      );
    }
    expect(pages.executive).toBe(1);
    expect(pages['engineer-small']).toBeGreaterThan(1);
    expect(pages.engineer).toBeGreaterThan(pages['engineer-small']!);
    const ev = events('export.pdf');
    expect(ev).toHaveLength(3);
    expect((JSON.parse(ev[0]!.details!) as { sha256: string }).sha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(fx.dir, 'executive.pdf')))
        .digest('hex'),
    );
  }, 240_000);

  it('without a Chromium refuses, naming what is missing; writes and records nothing', () => {
    const out = join(fx.dir, 'none.pdf');
    const r = cli(['export', 'pdf', '--out', out, ...ann()], {
      FOUREYES_CHROMIUM: join(fx.dir, 'no-chromium'),
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`FOUREYES_CHROMIUM=${join(fx.dir, 'no-chromium')} is not an executable file`);
    noStack(r);
    expect(() => findChromium({ PATH: fx.dir }, [join(fx.dir, 'chromium')])).toThrow(
      /no Chromium to print the PDF with: looked for \$FOUREYES_CHROMIUM, .*chromium and chromium, chromium-browser on PATH\. Install Chromium/,
    );
    expect(events('export.pdf')).toHaveLength(0);
    expect(() => readFileSync(out)).toThrow();
  });
});
