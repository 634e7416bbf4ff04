import { test, expect } from './fixtures.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { DashboardPage } from './pages/DashboardPage.js';
import { ResultsPage } from './pages/ResultsPage.js';
import type { MethodOutput } from '../../shared/api/contract.js';
import { call, scanAndWait } from './api.js';

// A host name a target could choose: an escape sequence, markup and a long tail.
const HOSTILE = 'evil\u001b[31m<b>bold</b>\u202e-host-with-a-very-long-name-indeed';

test('the dashboard shows the scores, verdicts and trend of real scans of this machine', async ({
  app,
  backend,
  shot,
}) => {
  // An engagement of its own whose host is this machine (the ready "This machine" belongs to other specs).
  const engagementId = (await call(backend, 'engagement.create', { name: 'Local dashboard' })).id;
  const user = (
    await call(backend, 'host.list', {
      engagementId: (await call(backend, 'engagement.list', {})).engagements.find(
        (e) => e.name === 'This machine',
      )!.id,
    })
  ).hosts[0]!.user;
  const local = await call(backend, 'host.add', {
    engagementId,
    host: { name: 'localhost', address: '127.0.0.1', user, privilege: 'none', tags: ['local'] },
  });

  const dash = new DashboardPage(app);
  await app.reload();
  await new EngagementsPage(app).open('Local dashboard');
  await dash.goto();
  await expect(dash.empty).toBeVisible();
  await expect(dash.empty).toContainText('No scan yet');

  // A second local host with a hostile name (scanned in the second scan only) and one never scanned.
  const hostile = await call(backend, 'host.add', {
    engagementId,
    host: { name: HOSTILE, address: '127.0.0.1', user, privilege: 'none', tags: ['local'] },
  });
  const idle = await call(backend, 'host.add', {
    engagementId,
    host: { name: 'never-scanned', address: '127.0.0.1', port: 2222, user: 'auditor' },
  });

  const first = await scanAndWait(backend, engagementId, [local.id]);
  const second = await scanAndWait(backend, engagementId, [local.id, hostile.id]);
  expect(first.scan.state).toBe('done');
  expect(second.scan.state).toBe('done');
  const runOf = (s: MethodOutput<'scan.get'>, hostId: string) => s.hostRuns.find((r) => r.hostId === hostId)!;
  const localRun = runOf(second, local.id);
  expect(localRun.state).toBe('done');
  expect(localRun.score).not.toBeNull();

  // Reopen the screen: it loads the latest finished scan by default.
  await app.getByTestId('nav-hosts').click();
  await dash.goto();
  await dash.expectScan(second.scan.id);

  // Score per host: the number on the bar is scan.get's host run score, rounded.
  await expect(dash.hostScoreLabel(local.id)).toHaveText(String(Math.round(localRun.score!)));
  await expect(dash.hostScoreLabel(hostile.id)).toHaveText(
    String(Math.round(runOf(second, hostile.id).score!)),
  );
  // Bars worst first.
  const shown = await app
    .getByTestId('dashboard-host-score')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
  expect(shown).toEqual([...shown].sort((a, b) => a - b));
  // The hostile name: control characters visible, cut short, no markup made of it.
  const labels = await dash.axisLabels();
  const evil = labels.find((l) => l.startsWith('evil'));
  expect(evil).toBeDefined();
  expect(evil).toContain('\\x1b[31m<b>bold</b>');
  expect(evil).not.toContain('\u001b');
  expect(evil!.endsWith('…')).toBe(true);
  await expect(dash.hostsChart.locator('b')).toHaveCount(0);
  await expect(dash.unscored).toHaveCount(1);
  await expect(dash.unscored.first()).toHaveAttribute('data-host-id', idle.id);
  await expect(dash.unscored.first()).toContainText('not scanned');

  // Verdicts by family and severity equal the API's, and together they are the scan's host runs.
  const summary = await call(backend, 'dashboard.summary', { engagementId });
  expect(summary.scanId).toBe(second.scan.id);
  for (const f of summary.byFamily) expect(await dash.stack('family', f.family)).toEqual(f.counts);
  for (const s of summary.bySeverity) expect(await dash.stack('severity', s.severity)).toEqual(s.counts);
  const failedOverRuns = second.hostRuns.reduce((n, r) => n + r.counts.fail, 0);
  const failedOverFamilies = summary.byFamily.reduce((n, f) => n + f.counts.fail, 0);
  expect(failedOverFamilies).toBe(failedOverRuns);

  // Headline figures.
  expect(await dash.headline('hosts-scanned')).toBe('2');
  expect(await dash.headline('failed')).toBe(String(failedOverRuns));
  const critHigh = summary.bySeverity
    .filter((s) => s.severity === 'critical' || s.severity === 'high')
    .reduce((n, s) => n + s.counts.fail, 0);
  expect(await dash.headline('critical-high')).toBe(String(critHigh));
  expect(Number(await dash.headline('score'))).toBe(summary.trend.at(-1)!.score);

  // Trend: one point per scan, oldest first.
  await expect(dash.trendChart).toHaveAttribute('data-points', '2');
  await expect(dash.trendDots()).toHaveCount(2);
  await expect(dash.trendRows).toHaveCount(2);
  await expect(dash.trendRows.nth(0)).toHaveAttribute('data-scan-id', first.scan.id);
  await expect(dash.trendRows.nth(1)).toHaveAttribute('data-scan-id', second.scan.id);

  // No chart is animating: a second look gives the same geometry.
  const box = await dash.hostBar(0).boundingBox();
  await app.waitForTimeout(300);
  expect(await dash.hostBar(0).boundingBox()).toEqual(box);

  await shot('dashboard');

  // A host's bar leads to that scan's results, filtered to the host.
  const order = await app
    .getByTestId('dashboard-host-score')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-host-id')));
  await dash.hostBar(order.indexOf(hostile.id)).click();
  const results = new ResultsPage(app);
  await expect(results.screen).toHaveAttribute('data-scan-id', second.scan.id);
  const hostileRun = runOf(second, hostile.id);
  await results.expectMatchCount(Object.values(hostileRun.counts).reduce((a, b) => a + b, 0));
  expect(new Set(await results.visible('data-host-id'))).toEqual(new Set([hostile.id]));
  expect(app.url()).toContain(`#/results/${engagementId}/${second.scan.id}`);

  // Choosing the first scan: its own score, and the hostile host becomes "not scanned".
  await dash.goto();
  await dash.choose(first.scan.id);
  await dash.expectScan(first.scan.id);
  await expect(dash.hostScoreLabel(local.id)).toHaveText(String(Math.round(runOf(first, local.id).score!)));
  await expect(dash.hostScoreLabel(hostile.id)).toHaveCount(0);
  await expect(dash.unscored).toHaveCount(2);
  expect(await dash.headline('hosts-scanned')).toBe('1');
  await expect(dash.trendRows).toHaveCount(2);
});
