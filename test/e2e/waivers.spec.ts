import { test as shared, expect } from './fixtures.js';
import { startBackend, type Backend } from './backend.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { DashboardPage } from './pages/DashboardPage.js';
import { ResultsPage } from './pages/ResultsPage.js';
import { alicePlusBob, call, scannedLocalEngagement } from './api.js';

/** A backend of this file's own: its people (Alice, Bob) are made here, whatever other specs made. */
const test = shared.extend<object, { backend: Backend }>({
  backend: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const b = await startBackend();
      await use(b);
      await b.stop();
    },
    { scope: 'worker' },
  ],
});

const PASS = { alice: 'e2e-waiver-alice-passphrase', bob: 'e2e-waiver-bob-passphrase' };

test('an approved waiver: the result shows its waived badge, the dashboard lists it as expiring soon', async ({ app, backend, shot }) => {
  const { engagementId, host, done } = await scannedLocalEngagement(backend, 'Waivers');
  expect(done.scan.state).toBe('done');
  const failing = await call(backend, 'results.query', { scanId: done.scan.id, filter: { verdicts: ['fail', 'manual'] } });
  expect(failing.total).toBeGreaterThan(0);
  const target = failing.items[0]!;

  const { alice, bob } = await alicePlusBob(backend, PASS);
  const expiresOn = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  const w = await call(backend, 'waiver.request', {
    engagementId,
    checkId: target.checkId,
    hostId: host.id,
    reason: 'accepted <b>for</b> the pilot',
    owner: 'Ops',
    expiresOn,
  });
  await call(backend, 'session.signIn', { personId: bob, passphrase: PASS.bob });
  await call(backend, 'waiver.approve', { waiverId: w.id });
  await call(backend, 'session.signIn', { personId: alice, passphrase: PASS.alice });

  await app.reload();
  await new EngagementsPage(app).open('Waivers');
  const dash = new DashboardPage(app);
  await dash.goto();
  await dash.expectScan(done.scan.id);
  const panel = app.getByTestId('dashboard-waivers-expiring');
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading')).toHaveText('Waivers expiring soon');
  await expect(panel.getByTestId('dashboard-waiver')).toHaveCount(1);
  await expect(panel.getByTestId('dashboard-waiver')).toHaveAttribute('data-days', '5');
  await expect(panel).toContainText(`expires in 5 days (${expiresOn}), owner Ops`);
  // The waived result is its own segment of the verdict bars, beside the others the summary counts.
  const summary = await call(backend, 'dashboard.summary', { engagementId });
  const waivedRows = app.locator('[data-testid="dashboard-severity-row"][data-waived="1"]');
  await expect(waivedRows).toHaveCount(1);
  await expect(waivedRows).toHaveAttribute('data-severity', summary.bySeverity.find((s) => s.counts.waived === 1)!.severity);
  await shot('dashboard-waivers');

  const results = new ResultsPage(app);
  await results.goto();
  await expect(results.screen).toHaveAttribute('data-scan-id', done.scan.id);
  await app.getByTestId('results-count-waived').click();
  await results.expectMatchCount(1);
  const row = results.rows.first();
  await expect(row).toHaveAttribute('data-verdict', 'waived');
  await expect(row.locator('.badge.verdict-waived')).toHaveText('waived');
  await row.click();
  await expect(results.checkDetail).toHaveAttribute('data-verdict', 'waived');
  await expect(app.getByTestId('check-detail-waiver')).toContainText('accepted <b>for</b> the pilot');
  await expect(app.getByTestId('check-detail-waiver').locator('b')).toHaveCount(0);

  await call(backend, 'session.signOut', {});
});

test('a waiver through the screens: requested from a finding by one person, refused to them, approved by another', async ({
  app,
  backend,
  shot,
}) => {
  const { engagementId, host, done } = await scannedLocalEngagement(backend, 'Waivers by hand');
  const { bob } = await alicePlusBob(backend, PASS);
  // The findings the scan made: the first failing one, opened in its editor.
  const list = await call(backend, 'finding.list', { engagementId, paging: { offset: 0, limit: 100 } });
  const finding = list.items.find((f) => f.hosts.failing > 0)!;
  expect(finding).toBeDefined();

  await app.reload();
  await new EngagementsPage(app).open('Waivers by hand');
  await app.getByTestId('nav-findings').click();
  await app.locator(`[data-testid="finding-row"][data-finding-id="${finding.id}"]`).getByTestId('finding-open').click();
  await app.getByTestId('finding-host-waive').first().click();
  const form = app.getByTestId('waiver-request-form');
  await expect(form).toBeVisible();
  await expect(app.getByTestId('waiver-check')).not.toHaveValue('');
  await expect(app.getByTestId('waiver-host')).toHaveValue(host.id);
  await app.getByTestId('waiver-reason').fill('compensating control: <i>jump host</i> only');
  await app.getByTestId('waiver-owner').fill('Ops');
  const expiresOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await app.getByTestId('waiver-expires').fill(expiresOn);
  await app.getByTestId('waiver-request-submit').click();
  const row = app.getByTestId('waiver-row').first();
  await expect(row).toHaveAttribute('data-state', 'requested');
  await expect(row).toContainText('compensating control: <i>jump host</i> only');
  // The requester's own approval: refused, in main's words.
  await row.getByTestId('waiver-approve').click();
  await expect(app.getByTestId('waiver-error')).toContainText('four-eye rule');
  await expect(row).toHaveAttribute('data-state', 'requested');
  await shot('waiver-own-refused');

  await call(backend, 'session.signIn', { personId: bob, passphrase: PASS.bob });
  await app.reload();
  await expect(app.getByTestId('screen-waivers')).toBeVisible();
  await app.getByTestId('waiver-row').first().getByTestId('waiver-approve').click();
  await expect(app.getByTestId('waiver-row').first()).toHaveAttribute('data-state', 'approved');
  await expect(app.getByTestId('waiver-row').first()).toHaveAttribute('data-applies', 'true');
  await expect(app.getByTestId('waiver-row').first()).toContainText('approved by Bob');
  await shot('waiver-approved');
  const waived = await call(backend, 'results.query', { scanId: done.scan.id, filter: { verdicts: ['waived'] } });
  expect(waived.total).toBe(1);
  await call(backend, 'session.signOut', {});
});
