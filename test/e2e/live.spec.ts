/**
 * Results and Dashboard follow a running scan (test lab): careless finishes while a host that never answers
 * (hardened's port 2222, dropped by its firewall) keeps the scan running. Careless's rows, counts and score appear
 * without a reload while the scan still runs; a cancel then changes the state in place, keeping the scroll position
 * and the open check detail; a scan that finishes moves the dashboard's default choice to it.
 */
import { createConnection, createServer, type Server } from 'node:net';
import { labAvailable, ensureLab, labHost } from '../lab/lab.js';
import { call } from './api.js';
import { test, expect } from './fixtures.js';
import { DashboardPage } from './pages/DashboardPage.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { ResultsPage } from './pages/ResultsPage.js';
import { ScanPage } from './pages/ScanPage.js';

/**
 * A TCP forwarder on 127.0.0.1 to `host:port` that waits `delayMs` before it connects each client: careless then
 * ends seconds after the scan starts, not in 0.8 s, so the Results screen is surely open before it does.
 */
async function slowForwarder(
  host: string,
  port: number,
  delayMs: number,
): Promise<{ port: number; server: Server }> {
  const server = createServer((client) => {
    client.pause();
    const timer = setTimeout(() => {
      const upstream = createConnection({ host, port }, () => client.resume());
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    }, delayMs);
    client.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  server.unref();
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('forwarder has no port');
  return { port: address.port, server };
}

test.describe('with the test lab', () => {
  test.skip(!labAvailable(), 'the test lab needs root on Linux');

  test('results and dashboard of a running scan fill in as hosts finish', async ({ app, backend, shot }) => {
    test.setTimeout(240_000);
    const m = await ensureLab();
    const careless = labHost(m, 'careless');
    const hardened = labHost(m, 'hardened');
    const eng = await call(backend, 'engagement.create', { name: 'Live results' });
    const keyAuth = { type: 'key' as const, keyPath: m.keys.private };
    const add = (name: string, address: string, port = 22) =>
      call(backend, 'host.add', {
        engagementId: eng.id,
        host: { name, address, port, user: careless.user, auth: keyAuth, privilege: 'auto' },
      });
    const slow = await slowForwarder(careless.address, careless.port, 4000);
    test
      .info()
      .attach('forwarder', { body: `127.0.0.1:${slow.port} -> ${careless.address}:${careless.port}` });
    const c = await add('careless', '127.0.0.1', slow.port);
    await call(backend, 'hostKey.accept', {
      hostId: c.id,
      fingerprint: careless.hostKeys.find((k) => k.type === 'ssh-ed25519')!.fingerprint,
    });
    // Dropped by hardened's firewall: stays connecting until cancelled.
    await add('silent', hardened.address, 2222);

    await app.reload();
    await new EngagementsPage(app).open('Live results');
    // Survives anything but a page load: proves nothing below reloads the page.
    await app.evaluate(() => ((globalThis as unknown as { liveMark: number }).liveMark = 1));
    const scan = new ScanPage(app);
    await scan.goto();
    await scan.chooseHosts(['careless', 'silent']);
    const first = await scan.start();

    // Results while the scan runs.
    const results = new ResultsPage(app);
    await results.goto();
    await expect(results.screen).toHaveAttribute('data-scan-id', first);
    const progress = app.getByTestId('results-scan-progress');
    await expect(progress).toContainText('scan running');
    await expect(progress).toContainText('rows appear here as hosts finish');
    await expect(progress).toHaveAttribute('data-total', '2');
    const seenAtOpen = Number(await progress.getAttribute('data-ended'));
    const rowsAtOpen = await results.matchCount();
    // Careless ends; silent still connects: rows and counts arrive while the scan is still running.
    await expect(progress).toHaveAttribute('data-ended', '1', { timeout: 120_000 });
    await expect(progress).toContainText('scan running: 1 of 2 hosts done');
    await expect(results.table).not.toHaveAttribute('data-total', '0');
    const rows = await results.matchCount();
    expect(rows).toBeGreaterThan(20);
    await expect(app.getByTestId('results-count-fail')).not.toHaveAttribute('data-count', '0');
    await expect(app.getByTestId('results-scan-state')).toHaveAttribute('data-state', 'running');
    expect(new Set(await results.visible('data-host'))).toEqual(new Set(['careless']));
    const counts = await call(backend, 'scan.get', { scanId: first });
    expect(counts.scan.state).toBe('running');
    expect(await results.verdictCount('fail')).toBe(counts.scan.counts.fail);
    // Careless ends 4 s after it starts (the forwarder); the screen opened before: its rows came in while it was open.
    expect(seenAtOpen, 'careless had ended before the results screen opened').toBe(0);
    expect(rowsAtOpen).toBe(0);
    await shot('live-results-running');

    // Scroll down and open a check; the cancel refreshes the rows without moving either.
    const scroller = app.getByTestId('results-scroll');
    const top = await scroller.evaluate((el) => {
      el.scrollTop = 200;
      return el.scrollTop;
    });
    expect(top).toBeGreaterThan(100);
    const picked = results.rows.and(app.locator('[data-index="8"]'));
    const checkId = (await picked.getAttribute('data-check-id'))!;
    await picked.click();
    await expect(results.checkDetail).toHaveAttribute('data-check-id', checkId);
    const refetched = app.waitForResponse((r) => r.url().endsWith('/api/results.query'));
    await call(backend, 'scan.cancel', { scanId: first });
    await expect(app.getByTestId('results-scan-state')).toHaveAttribute('data-state', 'cancelled');
    await expect(progress).toHaveCount(0);
    await refetched;
    await results.matchCount();
    await expect(results.checkDetail).toHaveAttribute('data-check-id', checkId);
    expect(await scroller.evaluate((el) => el.scrollTop)).toBe(top);
    await expect(results.rows.and(app.locator('[data-index="8"]'))).toHaveAttribute('data-check-id', checkId);
    expect(await results.matchCount()).toBe(rows);
    await results.closeDetail();

    // Dashboard: nothing finished ("done") yet; the cancelled scan, chosen, shows careless's score.
    const dash = new DashboardPage(app);
    await dash.goto();
    await expect(dash.empty).toBeVisible();
    await dash.choose(first);
    await dash.expectScan(first);
    await expect(dash.hostScoreLabel(c.id)).toBeVisible();

    // A second scan, chosen on the dashboard while it runs: careless's score appears before it ends.
    await scan.goto();
    const second = await scan.start();
    await dash.goto();
    await dash.choose(second);
    await dash.expectScan(second);
    await expect(dash.hostScoreLabel(c.id)).toBeVisible({ timeout: 120_000 });
    expect((await call(backend, 'scan.get', { scanId: second })).scan.state).toBe('running');
    await shot('live-dashboard-running');
    await call(backend, 'scan.cancel', { scanId: second });

    // Back to the default choice; a scan that ends "done" becomes the one shown, without any click.
    await dash.choose(null);
    await expect(dash.empty).toBeVisible();
    await expect(dash.scanChooser).toHaveAttribute('data-shown-scan-id', '');
    const third = await call(backend, 'scan.start', { engagementId: eng.id, hostIds: [c.id] });
    await dash.expectScan(third.scanId);
    expect((await call(backend, 'scan.get', { scanId: third.scanId })).scan.state).toBe('done');
    await expect(dash.scanChooser).toHaveValue('');
    expect(await app.evaluate(() => (globalThis as unknown as { liveMark?: number }).liveMark)).toBe(1);
    slow.server.close();
  });
});
