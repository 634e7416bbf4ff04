/**
 * The HTML report as a reader gets it: each audience's file, written by the built CLI from a workspace with hostile
 * target text (test/unit/export/fixture.ts), opened from disk in Chromium. The page makes no request but for the
 * file itself (every other URL is routed and counted: none), Inter and JetBrains Mono are loaded from the document's
 * own data: URLs, the charts are drawn, nothing from the target became markup; a screenshot of each is kept under
 * test-results/screens/report-<audience>.png.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AUDIENCES } from '../../main/export/report/report.js';
import { PASS, exportFixture, type ExportFixture } from '../unit/export/fixture.js';
import { expect, test } from './fixtures.js';

let fx: ExportFixture;
const files: Record<string, string> = {};

test.beforeAll(() => {
  fx = exportFixture();
  fx.ws.close();
  writeFileSync(join(fx.dir, 'ann.pass'), `${PASS.ann}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: fx.dir };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  for (const audience of AUDIENCES) {
    const out = join(fx.dir, `report-${audience}.html`);
    const r = spawnSync(
      process.execPath,
      [
        join(process.cwd(), 'bin', 'foureyes.js'),
        'export',
        'html',
        '--audience',
        audience,
        '--out',
        out,
        '--as',
        'Ann',
        '--passphrase-file',
        join(fx.dir, 'ann.pass'),
        '--workspace',
        fx.ws.path,
      ],
      { env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    files[audience] = out;
  }
});
test.afterAll(() => fx?.cleanup());

for (const audience of AUDIENCES) {
  test(`${audience} report: opened from disk, it loads nothing, shows its fonts and charts`, async ({
    page,
    shot,
  }) => {
    const url = pathToFileURL(files[audience]!).href;
    const requests: string[] = [];
    const routed: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.route('**', async (route) => {
      const u = route.request().url();
      if (u === url) return route.continue();
      routed.push(u);
      return route.abort();
    });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(url);
    const fonts = await page.evaluate(async () => {
      const g = globalThis as unknown as {
        document: {
          fonts: Iterable<{ family: string; status: string }> & {
            ready: Promise<unknown>;
            check(font: string): boolean;
          };
          body: unknown;
          querySelector(selector: string): unknown;
        };
        getComputedStyle(e: unknown): { fontFamily: string };
      };
      const d = g.document;
      await d.fonts.ready;
      return {
        faces: [...d.fonts].map((f) => `${f.family.replace(/["']/g, '')} ${f.status}`).sort(),
        inter: d.fonts.check('12px Inter'),
        mono: d.fonts.check('12px "JetBrains Mono"'),
        body: g.getComputedStyle(d.body).fontFamily,
        pre: g.getComputedStyle(d.querySelector('.hash')).fontFamily,
      };
    });
    expect(fonts.faces).toEqual(['Inter loaded', 'JetBrains Mono loaded']);
    expect(fonts.inter).toBe(true);
    expect(fonts.mono).toBe(true);
    expect(fonts.body).toMatch(/^"?Inter"?,/);
    expect(fonts.pre).toMatch(/^"?JetBrains Mono"?,/);

    const charts = page.locator('figure.chart svg');
    await expect(charts).toHaveCount(audience === 'executive' ? 1 : 2);
    for (const c of await charts.all()) {
      await expect(c).toBeVisible();
      const box = (await c.boundingBox())!;
      expect(box.width).toBeGreaterThan(300);
      expect(box.height).toBeGreaterThan(100);
    }
    await expect(page.locator('figure.chart circle')).toHaveCount(1);
    await expect(page.locator('#audit')).toContainText(
      audience === 'executive' ? 'events ending at' : 'Head hash',
    );
    // Target text is text: no element the fixture's markup could have opened.
    expect(await page.locator('script, b, img, iframe, object, embed, link, form').count()).toBe(0);
    await expect(page.locator('body')).toContainText('imp<ort>&]]>\\x1b[0m\\xe2\\x80\\xae01');

    await shot(`report-${audience}`);
    expect(routed, 'requests for anything but the report file').toEqual([]);
    expect(requests.filter((u) => !u.startsWith('data:'))).toEqual([url]);
    expect(errors).toEqual([]);
  });
}
