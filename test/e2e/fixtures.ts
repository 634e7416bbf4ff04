/**
 * Test fixtures: `backend` (one real backend per worker, fresh workspace; with one worker, spec files share it, so
 * each spec works in engagements of its own), `app` (a page signed in to it), and
 * `shot(name)`, which saves a full-page screenshot under test-results/screens/ (kept as an artifact of the run).
 * The page fails the test on any request that leaves 127.0.0.1 (no CDN, no telemetry), on uncaught page errors and
 * on Content-Security-Policy violations.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startBackend, type Backend } from './backend.js';

export const SCREENS_DIR = path.resolve('test-results', 'screens');

interface WorkerFixtures {
  backend: Backend;
}
interface TestFixtures {
  app: Page;
  /** Requests the page made to anything but the backend (should stay empty). */
  foreignRequests: string[];
  shot: (name: string) => Promise<void>;
}

/**
 * The workstation asks who is acting once it knows nobody is signed in: tests that are not about people go on
 * without signing in (or as whoever is signed in).
 */
export async function continueAsIs(page: Page): Promise<void> {
  const layout = page.getByTestId('layout');
  await expect(layout).not.toHaveAttribute('data-session', 'pending');
  if ((await layout.getAttribute('data-session')) === 'asking') await page.getByTestId('signin-continue').click();
  await expect(page.getByTestId('signin-panel')).toHaveCount(0);
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  backend: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const b = await startBackend();
      await use(b);
      await b.stop();
    },
    { scope: 'worker' },
  ],
  // eslint-disable-next-line no-empty-pattern
  foreignRequests: async ({}, use) => {
    await use([]);
  },
  app: async ({ page, backend, foreignRequests }, use) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // A CSP violation is only a console message; it still means something the app needs was blocked.
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) pageErrors.push(m.text());
    });
    page.on('request', (r) => {
      const u = r.url();
      if (
        !u.startsWith(backend.origin) &&
        !u.startsWith(backend.origin.replace('http', 'ws')) &&
        !u.startsWith('data:')
      )
        foreignRequests.push(u);
    });
    await page.goto(backend.url);
    await expect(page.getByTestId('app-mode')).toContainText('browser mode');
    await continueAsIs(page);
    await use(page);
    expect(foreignRequests, 'requests to anything but the local backend').toEqual([]);
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  },
  shot: async ({ page }, use, testInfo) => {
    mkdirSync(SCREENS_DIR, { recursive: true });
    await use(async (name: string) => {
      const file = path.join(SCREENS_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(name, { path: file, contentType: 'image/png' });
    });
  },
});

export { expect };
