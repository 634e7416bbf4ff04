/**
 * One rendering of target bytes, against the lab's `hostile` host (test/lab/sh/hosts/others.sh): what a reviewer
 * reads is what the target holds.
 * - The SUID copy of id named `id-ESC[31mred ESC]0;pwned BEL` shows the same marked escapes, with the same titles, in
 *   the evidence, the actual value, the raw fact, the results table and the host detail.
 * - The bytes \377\376 (not UTF-8) in a sudoers.d comment, the passwd GECOS and os-release show as marked `\xff`,
 *   `\xfe`: never U+FFFD anywhere on the page.
 * - Every element that shows target text has the fonts' ligatures off (`</`, `<!--`, `:=` and `/=` stay characters).
 */
import { ensureLab, labAvailable, labHost, type LabManifest } from '../lab/lab.js';
import type { Locator } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { HostsPage } from './pages/HostsPage.js';
import { ResultsPage } from './pages/ResultsPage.js';
import { ScanPage } from './pages/ScanPage.js';

test.skip(!labAvailable(), 'needs the test lab (root, network namespaces)');

let lab: LabManifest;
test.beforeAll(async () => {
  test.setTimeout(600_000);
  lab = await ensureLab();
});

/** The SUID name's text form (shared/facts/names.ts) and the marks it must get. */
const SUID = '/usr/local/bin/id-\\x1b[31mred\\x1b]0;pwned\\x07';
const ESC = {
  kind: 'char',
  text: '\\x1b',
  title: 'byte 0x1b from the target: ESC, a control character',
};
const BEL = { kind: 'char', text: '\\x07', title: 'byte 0x07 from the target: BEL, a control character' };
const SUID_MARKS = [ESC, ESC, BEL];
const INVALID = [
  { kind: 'byte', text: '\\xff', title: 'byte 0xff from the target: not valid UTF-8, shown as its value' },
  { kind: 'byte', text: '\\xfe', title: 'byte 0xfe from the target: not valid UTF-8, shown as its value' },
];

interface Mark {
  kind: string;
  text: string;
  title: string;
}

/** The escape marks inside `where`, in order. */
async function marks(where: Locator): Promise<Mark[]> {
  return where.locator('.ctl').evaluateAll((els) =>
    els.map((e) => ({
      kind: e.getAttribute('data-escape') ?? '',
      text: e.textContent ?? '',
      title: e.getAttribute('title') ?? '',
    })),
  );
}

/** The marks of the one element under `where` whose text holds `needle` as a whole word of the name. */
async function marksAround(where: Locator, needle: string): Promise<Mark[]> {
  const el = where.locator('.target-text').filter({ hasText: needle });
  await expect(el).toHaveCount(1);
  return marks(el);
}

/** Computed ligature settings of every element matching `selector` inside `where`. */
async function ligatures(where: Locator, selector: string): Promise<{ variant: string; features: string }[]> {
  return where.locator(selector).evaluateAll((els) =>
    els.map((e) => {
      const cs = (
        globalThis as unknown as {
          getComputedStyle(el: unknown): { fontVariantLigatures: string; fontFeatureSettings: string };
        }
      ).getComputedStyle(e);
      return { variant: cs.fontVariantLigatures, features: cs.fontFeatureSettings };
    }),
  );
}

function expectLigaturesOff(styles: { variant: string; features: string }[]): void {
  expect(styles.length).toBeGreaterThan(0);
  for (const s of styles) {
    expect(s.variant).toBe('none');
    expect(s.features).toMatch(/"liga" 0/);
    expect(s.features).toMatch(/"calt" 0/);
  }
}

test('target bytes show the same marked escapes in every view, never U+FFFD, without ligatures', async ({
  app,
  shot,
}) => {
  test.setTimeout(300_000);
  const h = labHost(lab, 'hostile');
  await new EngagementsPage(app).create('Hostile bytes');
  const hosts = new HostsPage(app);
  await hosts.add({
    name: 'hostile',
    address: h.address,
    user: h.user,
    auth: 'key',
    keyPath: lab.keys.private,
  });
  expect(await hosts.checkHostKey('hostile')).toBe('unknown');
  await hosts.acceptHostKey('hostile');
  const scan = new ScanPage(app);
  await scan.goto();
  await scan.start();
  await scan.expectRunState('hostile', 'done', 120_000);
  await scan.openResults();
  const results = new ResultsPage(app);

  // The SUID check: evidence, actual and the raw fact mark the name's escapes alike.
  const suid = await results.openCheck('hostile', 'fs-suid-unexpected');
  await expect(suid).toHaveAttribute('data-verdict', 'fail');
  const item = results.detailEvidence().filter({ hasText: 'pwned' });
  await expect(item).toHaveCount(1);
  const path = item.getByTestId('check-detail-evidence-path');
  await expect(path).toHaveText(SUID);
  expect(await marks(path)).toEqual(SUID_MARKS);
  await expect(results.detailActual()).toContainText(SUID);
  expect(await marks(results.detailActual())).toEqual(SUID_MARKS);
  const fact = results.detailFacts().filter({ hasText: 'pwned' }).getByTestId('check-detail-fact-excerpt');
  await expect(fact).toContainText(SUID);
  expect(await marks(fact)).toEqual(SUID_MARKS);
  // The same markup wherever it shows: one rendering.
  const html = async (l: Locator) => l.locator('.ctl').evaluateAll((els) => els.map((e) => e.outerHTML));
  const reference = await html(path);
  expect(await html(results.detailActual())).toEqual(reference);
  expect(await html(fact)).toEqual(reference);
  expectLigaturesOff(await ligatures(suid, '.target-text, .ctl'));
  expectLigaturesOff(await ligatures(results.detailEvidence(), 'pre, .detail-where .target-text'));
  await item.scrollIntoViewIfNeeded();
  await shot('render-suid-evidence');
  await results.closeDetail();

  // The results table and the host detail show the actual value with the same marks.
  const row = await results.findRow('hostile', 'fs-suid-unexpected');
  const cell = row.getByTestId('results-row-actual');
  await expect(cell).toContainText(SUID);
  expect(await marksAround(cell, 'pwned')).toEqual(SUID_MARKS);
  expect(await html(cell)).toEqual(reference);
  expectLigaturesOff(await ligatures(cell, '.target-text, .ctl'));
  const host = await results.openHost('hostile');
  const failure = host.locator('[data-testid="host-detail-failure"][data-check-id="fs-suid-unexpected"]');
  await expect(failure).toContainText(SUID);
  expect(await marks(failure)).toEqual(SUID_MARKS);

  // Invalid UTF-8 from os-release's PRETTY_NAME, in the host detail: the bytes, marked, not U+FFFD.
  await expect(results.identity('os')).toContainText('bad-utf8:\\xff\\xfe:');
  expect((await marks(results.identity('os'))).filter((m) => m.kind === 'byte')).toEqual(INVALID);
  await results.closeDetail();
  await results.clearFilters();

  // Invalid UTF-8 in a file's content: the sudoers.d comment, in the raw fact of a sudo check.
  const sudo = await results.openCheck('hostile', 'sudo-no-authenticate');
  const sudoers = results
    .detailFacts()
    .filter({ hasText: 'bad-utf8' })
    .getByTestId('check-detail-fact-excerpt');
  await expect(sudoers).toContainText('nul:\\x00: bad-utf8:\\xff\\xfe:');
  expect((await marks(sudoers)).filter((m) => m.kind === 'byte')).toEqual(INVALID);
  expectLigaturesOff(await ligatures(sudo, '.target-text, .ctl'));
  await sudoers.scrollIntoViewIfNeeded();
  await sudoers.evaluate((el) => {
    const pre = el as unknown as {
      textContent: string | null;
      scrollHeight: number;
      scrollTop: number;
      clientHeight: number;
    };
    const text = pre.textContent ?? '';
    pre.scrollTop = Math.max(
      0,
      (text.indexOf('bad-utf8') / Math.max(1, text.length)) * pre.scrollHeight - pre.clientHeight / 2,
    );
  });
  await shot('render-invalid-utf8');
  await results.closeDetail();

  // Nowhere on the page a replacement character: no byte was lost on the way.
  const passwd = await results.openCheck('hostile', 'accounts-system-shells');
  await expect(results.detailFacts().filter({ hasText: 'mallory' })).toContainText('gecos\\x07\\xff:');
  const body = await passwd.evaluate(
    () => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText,
  );
  expect(body).not.toContain('\ufffd');
});
