/**
 * A hostile target: the lab host `hostile` (10.77.0.14) carries HTML, script tags, an <img onerror>, terminal escape
 * sequences (colour, window title), NUL bytes and invalid UTF-8 in its hostname, passwd GECOS, sudoers.d comment,
 * os-release and motd, and a newline and markup in a file name. Scanned through the UI, all of it must show literally, with control characters made visible,
 * and nothing may execute: no dialog, no injected element, no title change, no request anywhere else.
 */
import { ensureLab, labAvailable, labHost, type LabManifest } from '../lab/lab.js';
import type { Locator, Page } from '@playwright/test';
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

/** Elements and state an injection would leave behind, read in the page. */
async function injectionTraces(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: { title: string; querySelectorAll(s: string): { length: number } };
      }
    ).document;
    return {
      title: doc.title,
      inlineScripts: doc.querySelectorAll('script:not([src])').length,
      images: doc.querySelectorAll('img').length,
      handlers: doc.querySelectorAll('[onerror],[onload],[onclick]').length,
      boldFromTarget: doc.querySelectorAll('.safe-text b, .safe-text script, .safe-text img').length,
    };
  });
}

/** Scroll the fact's excerpt box so the line holding `needle` is in the screenshot. */
async function showText(fact: Locator, needle: string): Promise<void> {
  await fact.scrollIntoViewIfNeeded();
  await fact.evaluate((el, n) => {
    const pre = (
      el as unknown as {
        querySelector(s: string): null | {
          textContent: string | null;
          scrollHeight: number;
          scrollTop: number;
          clientHeight: number;
        };
      }
    ).querySelector('pre');
    if (!pre) return;
    const text = pre.textContent ?? '';
    const at = text.indexOf(n) / Math.max(1, text.length);
    pre.scrollTop = Math.max(0, at * pre.scrollHeight - pre.clientHeight / 2);
  }, needle);
}

test('a hostile host is scanned and its text shows literally; nothing executes', async ({ app, shot }) => {
  const dialogs: string[] = [];
  app.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  const before = await injectionTraces(app);

  const h = labHost(lab, 'hostile');
  await new EngagementsPage(app).create('Hostile target');
  const hosts = new HostsPage(app);
  await hosts.add({
    name: 'hostile',
    address: h.address,
    user: h.user,
    auth: 'key',
    keyPath: lab.keys.private,
  });
  expect(await hosts.checkHostKey('hostile')).toBe('unknown');
  const fp = await hosts.acceptHostKey('hostile');
  expect(h.hostKeys.map((k) => k.fingerprint)).toContain(fp);

  const scan = new ScanPage(app);
  await scan.goto();
  await scan.start();
  await scan.expectRunState('hostile', 'done', 120_000);
  await scan.openResults();

  const results = new ResultsPage(app);
  // The verdicts are not changed by the hostile content (test/lab/truth/: hostile).
  const shells = await results.openCheck('hostile', 'accounts-system-shells');
  await expect(shells).toHaveAttribute('data-verdict', 'fail');
  const passwd = results.detailFacts().filter({ hasText: 'mallory' });
  await expect(passwd).toHaveCount(1);
  // GECOS `<b>Mallory</b> <script>alert(3)</script> ESC[31m ESC]0;gecos BEL \377`: markup as text, ESC and BEL as
  // marked escapes, the invalid byte as its own marked escape (never U+FFFD).
  await expect(passwd).toContainText(
    '<b>Mallory</b> <script>alert(3)</script> \\x1b[31m\\x1b]0;gecos\\x07\\xff',
  );
  await expect(passwd.locator('.ctl').filter({ hasText: '\\x1b' }).first()).toBeVisible();
  await showText(passwd, 'Mallory');
  await shot('hostile-check-detail');
  await results.closeDetail();

  const sudo = await results.openCheck('hostile', 'sudo-no-authenticate');
  await expect(sudo).toHaveAttribute('data-verdict', 'pass');
  const sudoers = results.detailFacts().filter({ hasText: 'alert(1)' });
  await expect(sudoers.first()).toContainText(
    '<script>alert(1)</script><img src=x onerror=alert(2)> \\x1b[31mRED\\x1b[0m \\x1b]0;pwned-title\\x07 nul:\\x00:',
  );
  await showText(sudoers.first(), 'alert(1)');
  await shot('hostile-sudoers');
  await results.closeDetail();

  // A world-writable file named /etc/app<newline><svg onload=alert(1)>.conf is one file in the evidence, its
  // newline shown as \x0a; neither /etc/app nor <svg onload=alert(1)>.conf is reported on its own.
  const ww = await results.openCheck('hostile', 'fs-etc-world-writable');
  await expect(ww).toHaveAttribute('data-verdict', 'fail');
  const named = results.detailEvidence().filter({ hasText: 'svg onload' });
  await expect(named).toHaveCount(1);
  await expect(named.locator('.detail-where')).toHaveText('/etc/app\\x0a<svg onload=alert(1)>.conf');
  await expect(results.detailEvidence().locator('.detail-where').filter({ hasText: /^(\/etc\/app|<svg onload=alert\(1\)>\.conf)$/ })).toHaveCount(0);
  await expect(results.detailActual()).toContainText('/etc/app\\x0a<svg onload=alert(1)>.conf');
  await shot('hostile-names');

  // Nothing ran: no dialog, no element the target's text could have created, the title is ours.
  const after = await injectionTraces(app);
  expect(dialogs).toEqual([]);
  expect(after).toEqual(before);
  expect(after.title).toBe('Foureyes');
  expect(after.boldFromTarget).toBe(0);
});
