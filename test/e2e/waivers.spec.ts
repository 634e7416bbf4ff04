import { test, expect } from './fixtures.js';
import type { Backend } from './backend.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { DashboardPage } from './pages/DashboardPage.js';
import { ResultsPage } from './pages/ResultsPage.js';
import type { MethodOutput } from '../../shared/api/contract.js';
import { call } from './api.js';

const PASS = { alice: 'e2e-waiver-alice-passphrase', bob: 'e2e-waiver-bob-passphrase' };

/** Alice and Bob, added once per backend (the first by nobody, the next by someone signed in). */
async function people(b: Backend): Promise<{ alice: string; bob: string }> {
  const find = async (name: string) => (await call(b, 'person.list', {})).people.find((p) => p.name === name)?.id;
  let alice = await find('Alice');
  if (!alice) {
    const none = (await call(b, 'person.list', {})).people.length === 0;
    if (!none) throw new Error('this spec adds Alice and Bob to a workspace without people');
    alice = (await call(b, 'person.add', { name: 'Alice', role: 'consultant', email: 'a@example.org', passphrase: PASS.alice })).id;
  }
  await call(b, 'session.signIn', { personId: alice, passphrase: PASS.alice });
  const bob =
    (await find('Bob')) ??
    (await call(b, 'person.add', { name: 'Bob', role: 'reviewer', email: 'b@example.org', passphrase: PASS.bob })).id;
  return { alice, bob };
}

async function scan(b: Backend, engagementId: string, hostIds: string[]): Promise<MethodOutput<'scan.get'>> {
  const { scanId } = await call(b, 'scan.start', { engagementId, hostIds });
  const deadline = Date.now() + 90_000;
  for (;;) {
    const got = await call(b, 'scan.get', { scanId });
    if (got.scan.state !== 'running') return got;
    if (Date.now() > deadline) throw new Error(`scan ${scanId} still running after 90 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('an approved waiver: the result shows its waived badge, the dashboard lists it as expiring soon', async ({ app, backend, shot }) => {
  const engagementId = (await call(backend, 'engagement.create', { name: 'Waivers' })).id;
  const user = (
    await call(backend, 'host.list', {
      engagementId: (await call(backend, 'engagement.list', {})).engagements.find((e) => e.name === 'This machine')!.id,
    })
  ).hosts[0]!.user;
  const host = await call(backend, 'host.add', {
    engagementId,
    host: { name: 'localhost', address: '127.0.0.1', user, privilege: 'none', tags: ['local'] },
  });
  const done = await scan(backend, engagementId, [host.id]);
  expect(done.scan.state).toBe('done');
  const failing = await call(backend, 'results.query', { scanId: done.scan.id, filter: { verdicts: ['fail', 'manual'] } });
  expect(failing.total).toBeGreaterThan(0);
  const target = failing.items[0]!;

  const { alice, bob } = await people(backend);
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
