/**
 * Robustness of the renderer against late replies, archived engagements and addresses naming what does not exist.
 * Late replies are made by holding a real backend reply with page.route until the user has moved on.
 */
import type { Page, Route } from '@playwright/test';
import { call } from './api.js';
import type { Backend } from './backend.js';
import { test, expect } from './fixtures.js';

/** Start a scan of the engagement's hosts through the API and wait until it ended. */
async function scanAndWait(backend: Backend, engagementId: string, hostIds: string[]): Promise<string> {
  const { scanId } = await call(backend, 'scan.start', { engagementId, hostIds });
  await expect
    .poll(async () => (await call(backend, 'scan.get', { scanId })).scan.state, { timeout: 150_000, intervals: [500] })
    .not.toBe('running');
  return scanId;
}

/** An engagement of its own with one host standing for this machine. */
async function localEngagement(backend: Backend, name: string): Promise<{ id: string; hostId: string }> {
  const e = await call(backend, 'engagement.create', { name });
  const h = await call(backend, 'host.add', {
    engagementId: e.id,
    host: { name: 'localhost', address: '127.0.0.1', user: 'root', privilege: 'none', tags: ['local'] },
  });
  return { id: e.id, hostId: h.id };
}

/** Open the app at a route (#/screen/engagement/scan) as a user following a link would. */
async function openAt(app: Page, hash: string): Promise<void> {
  const url = new URL(app.url());
  url.hash = hash;
  await app.goto(url.href);
  await app.reload();
}

/**
 * Holds the replies of `method` whose request body contains `needle` until release() (the request reaches the
 * backend only then, so the reply is the real one, just late).
 */
function holdReplies(app: Page, method: string, needle: string): { held: Promise<void>; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let seen!: () => void;
  const held = new Promise<void>((r) => (seen = r));
  void app.route(`**/api/${method}`, async (route: Route) => {
    if (!(route.request().postData() ?? '').includes(needle)) return route.continue();
    seen();
    await gate;
    await route.continue();
  });
  return { held, release };
}

test('results: a late scan.get of the scan left behind does not replace the scan chosen since', async ({
  app,
  backend,
}) => {
  const eng = await localEngagement(backend, 'Late scan reply');
  const older = await scanAndWait(backend, eng.id, [eng.hostId]);
  const newer = await scanAndWait(backend, eng.id, [eng.hostId]);

  await openAt(app, `#/results/${eng.id}/${newer}`);
  const screen = app.getByTestId('screen-results');
  await expect(app.getByTestId('results-scan-state')).toBeVisible();

  // The older scan's counts are slow to come; the user goes back to the newer one before they do.
  const slow = holdReplies(app, 'scan.get', older);
  await app.getByTestId('results-scan').selectOption(older);
  await slow.held;
  await app.getByTestId('results-scan').selectOption(newer);
  await expect(screen).toHaveAttribute('data-scan-id', newer);
  await expect(app.getByTestId('results-scan-state')).toBeVisible();
  slow.release();
  // The late reply is for a scan no longer shown: the newer scan's state and counts stay.
  await app.waitForTimeout(1000);
  await expect(app.getByTestId('results-scan-state')).toBeVisible();
  await expect(screen).toHaveAttribute('data-scan-id', newer);
});

test('results: a check detail whose reply comes after it was closed does not open', async ({ app, backend }) => {
  const eng = await localEngagement(backend, 'Late check detail');
  const scanId = await scanAndWait(backend, eng.id, [eng.hostId]);
  await openAt(app, `#/results/${eng.id}/${scanId}`);
  const row = app.getByTestId('results-row').first();
  await expect(row).toBeVisible();

  const slow = holdReplies(app, 'results.checkDetail', '"checkId"');
  await row.click();
  await slow.held;
  // The user gives up waiting, looks at the dashboard and comes back.
  await app.getByTestId('nav-dashboard').click();
  await app.getByTestId('nav-results').click();
  await expect(app.getByTestId('results-row').first()).toBeVisible();
  slow.release();
  await app.waitForTimeout(1000);
  await expect(app.getByTestId('check-detail')).toHaveCount(0);
});

test('scan: an archived engagement offers no scan to start, and says why', async ({ app, backend, shot }) => {
  const eng = await localEngagement(backend, 'Archived, no scan');
  await scanAndWait(backend, eng.id, [eng.hostId]);
  await call(backend, 'engagement.archive', { engagementId: eng.id });

  await openAt(app, `#/scan/${eng.id}`);
  await expect(app.getByTestId('scan-archived-note')).toBeVisible();
  await expect(app.getByTestId('scan-start')).toHaveCount(0);
  await expect(app.getByTestId('scan-setup')).toHaveCount(0);
  // Its history stays readable.
  await expect(app.getByTestId('scan-history-row')).toHaveCount(1);
  await shot('robustness-archived-scan');
});

test('an address naming an unknown engagement says so and leads back to the list', async ({ app, shot }) => {
  await openAt(app, '#/hosts/no-such-engagement');
  const missing = app.getByTestId('engagement-missing');
  await expect(missing).toBeVisible();
  // The backend's own message, in place and as a notice; nothing is offered that acts on the engagement.
  const message = (await app.getByTestId('engagement-missing-message').innerText()).trim();
  expect(message.length).toBeGreaterThan(0);
  await expect(app.getByTestId('notice-error').filter({ hasText: 'Open engagement' }).filter({ hasText: message })).toBeVisible();
  await expect(app.getByTestId('host-add')).toHaveCount(0);
  await app.getByTestId('nav-scan').click();
  await expect(missing).toBeVisible();
  await expect(app.getByTestId('scan-start')).toHaveCount(0);
  await shot('robustness-unknown-engagement');
  await app.getByTestId('engagement-missing-back').click();
  await expect(app.getByTestId('screen-engagements')).toBeVisible();
  expect(new URL(app.url()).hash).toBe('#/engagements');
});

test('results: an address naming an unknown scan, or one of another engagement, says so and leads to the newest', async ({
  app,
  backend,
}) => {
  const eng = await localEngagement(backend, 'Unknown scan in address');
  const newest = await scanAndWait(backend, eng.id, [eng.hostId]);
  const other = await localEngagement(backend, 'Someone else');
  const foreign = await scanAndWait(backend, other.id, [other.hostId]);

  for (const bad of ['no-such-scan', foreign]) {
    await openAt(app, `#/results/${eng.id}/${bad}`);
    const missing = app.getByTestId('results-scan-missing');
    await expect(missing).toBeVisible();
    await expect(app.getByTestId('results-table')).toHaveCount(0);
    await app.getByTestId('results-scan-missing-back').click();
    await expect(app.getByTestId('screen-results')).toHaveAttribute('data-scan-id', newest);
    await expect(app.getByTestId('results-scan-state')).toBeVisible();
    await expect(missing).toHaveCount(0);
  }
});

test('results: a host detail whose failures cannot be read says why instead of loading for ever', async ({
  app,
  backend,
}) => {
  const eng = await localEngagement(backend, 'Host detail fails');
  const scanId = await scanAndWait(backend, eng.id, [eng.hostId]);
  await openAt(app, `#/results/${eng.id}/${scanId}`);
  await expect(app.getByTestId('results-row').first()).toBeVisible();

  // The connection to the backend breaks for the host detail's query only.
  await app.route('**/api/results.query', (route) =>
    (route.request().postData() ?? '').includes('"hostIds":["') ? route.abort('failed') : route.continue(),
  );
  await app.getByTestId('results-row').first().getByTestId('results-row-host').click();
  const detail = app.getByTestId('host-detail');
  await expect(detail).toBeVisible();
  const problem = detail.getByTestId('host-detail-failures-error');
  await expect(problem).toBeVisible();
  await expect(detail).not.toContainText('Loading…');
  const message = (await problem.innerText()).trim();
  expect(message.length).toBeGreaterThan(0);
  await expect(app.getByTestId('notice-error').filter({ hasText: 'Host detail' })).toContainText(message);
});

test('scan: an address naming an unknown scan, or one of another engagement, says so; setup and history stay', async ({
  app,
  backend,
}) => {
  const eng = await localEngagement(backend, 'Scan screen, unknown scan');
  const other = await localEngagement(backend, 'Scan screen, other engagement');
  const foreign = await scanAndWait(backend, other.id, [other.hostId]);

  for (const [bad, says] of [
    ['no-such-scan', 'no-such-scan'],
    [foreign, 'not a scan of this engagement'],
  ] as const) {
    await openAt(app, `#/scan/${eng.id}/${bad}`);
    await expect(app.getByTestId('notice-error').filter({ hasText: says })).toBeVisible();
    await expect(app.getByTestId('scan-live')).toHaveCount(0);
    await expect(app.getByTestId('scan-start')).toBeVisible();
  }
});

test('engagements: a late list with archived ones does not come back after "Show archived" was unticked', async ({
  app,
  backend,
}) => {
  const gone = await call(backend, 'engagement.create', { name: 'Archived, late list' });
  await call(backend, 'engagement.archive', { engagementId: gone.id });
  await openAt(app, '#/engagements');
  const row = app.locator(`[data-testid="engagement-row"][data-engagement-id="${gone.id}"]`);
  await expect(app.getByTestId('engagement-row').first()).toBeVisible();
  await expect(row).toHaveCount(0);

  const slow = holdReplies(app, 'engagement.list', '"includeArchived":true');
  const box = app.getByTestId('engagements-show-archived');
  await box.check();
  await slow.held;
  await box.uncheck();
  await expect(app.getByTestId('engagement-list')).toHaveAttribute('aria-busy', 'false');
  slow.release();
  await app.waitForTimeout(1000);
  await expect(box).not.toBeChecked();
  await expect(row).toHaveCount(0);
  await expect(app.getByTestId('engagement-list')).toHaveAttribute('aria-busy', 'false');
});

test('hosts: a late import preview of the engagement left behind does not show in the next one', async ({
  app,
  backend,
}) => {
  const first = await call(backend, 'engagement.create', { name: 'Import left behind' });
  const second = await call(backend, 'engagement.create', { name: 'Import next' });
  await openAt(app, `#/hosts/${first.id}`);
  await app.getByTestId('host-import-open').click();
  await app.getByTestId('host-import-source').selectOption('csv');
  await app.getByTestId('host-import-text').fill('name,address,user\nweb01,10.77.0.31,auditor\n');

  const slow = holdReplies(app, 'host.import', '"dryRun":true');
  await app.getByTestId('host-import-preview').click();
  await slow.held;
  await app.getByTestId('nav-engagements').click();
  await app.locator(`[data-testid="engagement-row"][data-engagement-id="${second.id}"]`)
    .getByTestId('engagement-open')
    .click();
  await expect(app.getByTestId('nav-engagement-name')).toHaveText('Import next');
  slow.release();
  await app.waitForTimeout(1000);
  await app.getByTestId('host-import-open').click();
  await expect(app.getByTestId('host-import-panel')).toBeVisible();
  await expect(app.getByTestId('host-import-preview-result')).toHaveCount(0);
  await expect(app.getByTestId('host-import-preview')).toBeEnabled({ enabled: false });
});

test('hosts: the outcome of an import that ends after the user moved on stays with its own engagement', async ({
  app,
  backend,
}) => {
  const first = await call(backend, 'engagement.create', { name: 'Import ends late' });
  const second = await call(backend, 'engagement.create', { name: 'Import elsewhere' });
  await openAt(app, `#/hosts/${first.id}`);
  await app.getByTestId('host-import-open').click();
  await app.getByTestId('host-import-source').selectOption('csv');
  await app.getByTestId('host-import-text').fill('name,address,user\nweb01,10.77.0.31,auditor\n');
  await app.getByTestId('host-import-preview').click();
  await expect(app.getByTestId('host-import-preview-result')).toHaveAttribute('data-hosts', '1');

  const slow = holdReplies(app, 'host.import', '"dryRun":false');
  await app.getByTestId('host-import-run').click();
  await slow.held;
  await app.getByTestId('nav-engagements').click();
  await app
    .locator(`[data-testid="engagement-row"][data-engagement-id="${second.id}"]`)
    .getByTestId('engagement-open')
    .click();
  await expect(app.getByTestId('nav-engagement-name')).toHaveText('Import elsewhere');
  slow.release();
  // The import happened where it was asked for; this engagement's panel knows nothing of it.
  await expect.poll(async () => (await call(backend, 'host.list', { engagementId: first.id })).hosts.length).toBe(1);
  await app.waitForTimeout(500);
  await app.getByTestId('host-import-open').click();
  await expect(app.getByTestId('host-import-panel')).toBeVisible();
  await expect(app.getByTestId('host-import-done')).toHaveCount(0);
  await expect(app.getByTestId('host-count')).toHaveAttribute('data-count', '0');
});

test('scan: a scan whose start is answered after the user opened another engagement does not follow them', async ({
  app,
  backend,
}) => {
  const eng = await localEngagement(backend, 'Start answered late');
  const next = await call(backend, 'engagement.create', { name: 'Opened meanwhile' });
  await openAt(app, `#/scan/${eng.id}`);
  const start = app.getByTestId('scan-start');
  await expect(start).toBeEnabled();

  const slow = holdReplies(app, 'scan.start', eng.id);
  await start.click();
  await slow.held;
  await app.getByTestId('nav-engagements').click();
  await app
    .locator(`[data-testid="engagement-row"][data-engagement-id="${next.id}"]`)
    .getByTestId('engagement-open')
    .click();
  await expect(app.getByTestId('nav-engagement-name')).toHaveText('Opened meanwhile');
  slow.release();
  // The scan started where it was asked for...
  await expect
    .poll(async () => (await call(backend, 'scan.list', { engagementId: eng.id })).items.length)
    .toBe(1);
  await app.waitForTimeout(1000);
  // ...and the engagement open now keeps its own address and shows no other engagement's scan.
  expect(new URL(app.url()).hash).toBe(`#/hosts/${next.id}`);
  await app.getByTestId('nav-scan').click();
  await expect(app.getByTestId('scan-live')).toHaveCount(0);
  await expect(app.getByTestId('notice-error')).toHaveCount(0);
});
