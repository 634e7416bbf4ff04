/**
 * Failures are reported as failures, without the lab: a host on a closed port of 127.0.0.1 fails while
 * connecting, beside the local host (this machine) that is assessed. The scan state (Scan screen, History, Results,
 * Dashboard) says how many hosts failed and why; Results has a row for the failed host with its reason and its host
 * detail says where it stopped; the progress bar ends where it stopped. A scan whose only host failed reads
 * "done, 1 of 1 host failed" in the failure colour; a cancelled, empty scan is not what Results opens. The local
 * host is not dressed as an SSH host, and its detail says what the machine is.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { call } from './api.js';
import { test, expect } from './fixtures.js';
import { DashboardPage } from './pages/DashboardPage.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { HostsPage } from './pages/HostsPage.js';
import { ResultsPage } from './pages/ResultsPage.js';
import { ScanPage } from './pages/ScanPage.js';

/** A port of 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const a = s.address();
  await new Promise((r) => s.close(r));
  if (a === null || typeof a === 'string') throw new Error('no port');
  return a.port;
}

/** A TCP server on 127.0.0.1 that accepts and never answers: a host stays "connecting" until cancelled. */
async function silentServer(): Promise<{ port: number; server: Server; close(): void }> {
  const sockets = new Set<Socket>();
  const server = createServer((c) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('no port');
  return {
    port: a.port,
    server,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

let keyDir: string;
test.beforeAll(() => {
  keyDir = mkdtempSync(path.join(tmpdir(), 'fe-e2e-failures-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(keyDir, 'id')]);
});
test.afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

test('a scan with a failing host shows the failure in the scan state, History, Results and the dashboard', async ({
  app,
  backend,
  shot,
}) => {
  test.setTimeout(240_000);
  const eng = await call(backend, 'engagement.create', { name: 'Failures' });
  const here = await call(backend, 'host.add', {
    engagementId: eng.id,
    host: { name: 'here', address: '127.0.0.1', user: 'root', tags: ['local'], privilege: 'none' },
  });
  const port = await closedPort();
  const down = await call(backend, 'host.add', {
    engagementId: eng.id,
    host: {
      name: 'down',
      address: '127.0.0.1',
      port,
      user: 'auditor',
      auth: { type: 'key', keyPath: path.join(keyDir, 'id') },
    },
  });
  await app.reload();
  await new EngagementsPage(app).open('Failures');

  // 1. A scan whose only host failed: not a green "done".
  const scan = new ScanPage(app);
  await scan.goto();
  await scan.chooseHosts(['down']);
  const onlyFailed = await scan.start();
  expect(await scan.waitForScanEnd()).toBe('done');
  await expect(scan.liveState()).toHaveText('done, 1 of 1 host failed');
  await expect(scan.liveState()).toHaveAttribute('data-tone', 'failed');
  await expect(scan.runStopped('down')).toHaveText('failed while connecting');
  // The bar ends at the step it failed in (connecting: 1 of 4 steps), not full as if every step had run.
  await expect(scan.runBar('down')).toHaveAttribute('aria-valuenow', '25');
  await expect(scan.runError('down')).toContainText(`127.0.0.1:${port}`);
  await expect(scan.historyState(onlyFailed)).toHaveText('done, 1 of 1 host failed');
  await expect(scan.historyFailures(onlyFailed)).toContainText(`down while connecting: `);
  await expect(scan.historyFailures(onlyFailed)).toContainText(`127.0.0.1:${port}`);
  await shot('failures-scan-only-host-failed');

  // 2. The local host and the down host: done, 1 of 2 hosts failed.
  await scan.chooseHosts(['here', 'down']);
  const mixed = await scan.start();
  expect(await scan.waitForScanEnd()).toBe('done');
  await scan.expectRunState('here', 'done');
  await expect(scan.liveState()).toHaveText('done, 1 of 2 hosts failed');
  await expect(scan.liveState()).toHaveAttribute('data-tone', 'partial');
  await expect(scan.historyState(mixed)).toHaveText('done, 1 of 2 hosts failed');
  await expect(scan.historyFailures(mixed)).toHaveCount(1);
  await shot('failures-scan-history');

  // 3. A scan cancelled before any host finished: History says so; Results does not open it by default.
  const silent = await silentServer();
  try {
    await call(backend, 'host.update', { hostId: down.id, changes: { port: silent.port } });
    await scan.chooseHosts(['down']);
    const cancelled = await scan.start();
    await scan.expectRunState('down', 'connecting');
    await scan.cancel();
    expect(await scan.waitForScanEnd()).toBe('cancelled');
    await expect(scan.historyState(cancelled)).toHaveText('cancelled, 0 of 1 host done, 1 cancelled');
  } finally {
    silent.close();
    await call(backend, 'host.update', { hostId: down.id, changes: { port } });
  }

  // Results with no scan named (a fresh start: the address names none): the newest scan with results (the
  // mixed one), not the cancelled, empty one after it; its state, and a row for the failed host with its reason.
  await app.reload();
  await app.evaluate(
    (hash) => ((globalThis as unknown as { location: { hash: string } }).location.hash = hash),
    `#/results/${eng.id}`,
  );
  const results = new ResultsPage(app);
  await expect(results.screen).toHaveAttribute('data-scan-id', mixed);
  await expect(results.scanState()).toHaveText('done, 1 of 2 hosts failed');
  const row = results.unassessed('down');
  await expect(row).toHaveAttribute('data-state', 'failed');
  await expect(row).toHaveAttribute('data-stopped-in', 'connecting');
  await expect(row.getByTestId('results-unassessed-reason')).toContainText(`127.0.0.1:${port}`);
  await shot('failures-results');
  const detail = await results.openUnassessed('down');
  await expect(detail.getByTestId('host-detail-state')).toHaveText('failed');
  await expect(detail.getByTestId('host-detail-stopped')).toHaveText('while connecting');
  await expect(detail.getByTestId('host-detail-error')).toContainText(`127.0.0.1:${port}`);
  await expect(detail.getByTestId('host-detail-times')).toHaveText(
    /\d\d:\d\d:\d\d – \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(\d/,
  );
  await shot('failures-host-detail-failed');
  await results.closeDetail();

  // The local host's detail: what the machine says it is, and no SSH fields.
  const local = await results.openHost('here');
  await expect(results.identity('name')).toContainText('this machine (local transport, no SSH)');
  await expect(results.identity('hostname')).toHaveText(hostname());
  await expect(results.identity('kernel')).toHaveText(
    execFileSync('uname', ['-srm'], { encoding: 'utf8' }).trim(),
  );
  await expect(local.getByTestId('host-identity-ssh-server')).toHaveCount(0);
  await expect(local.getByTestId('host-identity-banner-box')).toHaveCount(0);
  await expect(local.getByTestId('host-detail-privilege')).toHaveText(
    process.getuid?.() === 0 ? 'ran as root' : 'ran without root',
  );
  await shot('failures-host-detail-local');
  await results.closeDetail();

  // Dashboard: the latest finished scan is the mixed one; its failed host is counted and listed with the reason.
  const dash = new DashboardPage(app);
  await dash.goto();
  await dash.expectScan(mixed);
  await expect(dash.scanState()).toHaveText('done, 1 of 2 hosts failed');
  await expect(dash.hostsFailed()).toHaveAttribute('data-value', '1');
  const unscored = dash.unscoredHost(down.id);
  await expect(unscored).toHaveAttribute('data-state', 'failed');
  await expect(unscored).toContainText('failed while connecting: ');
  await expect(unscored).toContainText(`127.0.0.1:${port}`);
  await shot('failures-dashboard');

  // The scan whose only host failed, chosen in Results: its state and its one row.
  await results.goto();
  await results.chooseScan(onlyFailed);
  await expect(results.scanState()).toHaveText('done, 1 of 1 host failed');
  await expect(results.scanState()).toHaveAttribute('data-tone', 'failed');
  await expect(results.unassessed('down')).toBeVisible();

  // Hosts: the local host has no address, port, login or host key; its privilege is what its last scan found.
  const hosts = new HostsPage(app);
  await hosts.goto();
  const localRow = hosts.row('here');
  await expect(localRow).toHaveAttribute('data-local', 'true');
  await expect(localRow.getByTestId('host-cell-local')).toContainText('without SSH');
  await expect(localRow.getByTestId('host-cell-address')).toHaveCount(0);
  await expect(localRow.getByTestId('host-key-state')).toHaveCount(0);
  await expect(localRow.getByTestId('host-check-key')).toHaveCount(0);
  await expect(localRow.getByTestId('host-cell-privilege')).toHaveAttribute(
    'data-privilege',
    process.getuid?.() === 0 ? 'root' : 'none',
  );
  await expect(hosts.row('down').getByTestId('host-cell-address')).toHaveText(`127.0.0.1:${port}`);
  await shot('failures-hosts-local');
  expect(here.id).toBeTruthy();
});
