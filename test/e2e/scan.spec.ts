/**
 * The Scan screen against the real backend: a newcomer scans this machine with one button; with the test lab,
 * a reachable host and a down host in one scan (the down one fails alone, naming itself) and a scan cancelled
 * while a host is still connecting.
 */
import { readFileSync } from 'node:fs';
import { labAvailable, ensureLab, labHost } from '../lab/lab.js';
import { call } from './api.js';
import { test, expect } from './fixtures.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { ResultsPage } from './pages/ResultsPage.js';
import { ScanPage } from './pages/ScanPage.js';

test('a newcomer scans this machine with one Start and sees its results', async ({ app, shot }) => {
  await new EngagementsPage(app).open('This machine');
  const scan = new ScanPage(app);
  await scan.goto();
  // Everything is chosen already: one host, the whole catalogue.
  await expect(scan.hostRows).toHaveCount(1);
  await expect(scan.hostRow('localhost').getByTestId('scan-host-check')).toBeChecked();
  const checks = await scan.selectedCheckCount();
  expect(checks).toBeGreaterThan(50);
  await expect(app.getByTestId('scan-creds')).toHaveCount(0);

  const scanId = await scan.start();
  await expect(scan.runs).toHaveCount(1);
  await shot('scan-progress');
  await scan.expectRunState('localhost', 'done', 120_000);
  expect(await scan.waitForScanEnd()).toBe('done');
  // The note comes from a progress event only (scan.get has none): events reached the page.
  await expect(scan.runDetail('localhost')).toContainText('privilege');
  await expect(scan.run('localhost').getByTestId('scan-run-elapsed')).toHaveText(/\d+(\.\d)? s|min/);
  await expect(scan.historyRow(scanId)).toHaveAttribute('data-state', 'done');
  await expect(scan.historyRow(scanId).locator('td').nth(2)).toHaveText('1');
  await shot('scan-done');

  await scan.openResults();
  const results = new ResultsPage(app);
  await expect(results.screen).toHaveAttribute('data-scan-id', scanId);
  expect(await results.matchCount()).toBe(checks);
  await expect(results.rows.first()).toBeVisible();
  expect(new Set(await results.visible('data-host'))).toEqual(new Set(['localhost']));
});

test.describe('with the test lab', () => {
  test.skip(!labAvailable(), 'the test lab needs root on Linux');

  test('a reachable and a down host in one scan; a running scan is cancelled', async ({
    app,
    backend,
    shot,
  }) => {
    test.setTimeout(240_000);
    const m = await ensureLab();
    const careless = labHost(m, 'careless');
    const hardened = labHost(m, 'hardened');
    const eng = await call(backend, 'engagement.create', { name: 'Lab scan' });
    const keyAuth = { type: 'key' as const, keyPath: m.keys.private };
    const add = (name: string, address: string, port = 22) =>
      call(backend, 'host.add', {
        engagementId: eng.id,
        host: { name, address, port, user: careless.user, auth: keyAuth, privilege: 'auto' },
      });
    const c = await add('careless', careless.address);
    await call(backend, 'hostKey.accept', {
      hostId: c.id,
      fingerprint: careless.hostKeys.find((k) => k.type === 'ssh-ed25519')!.fingerprint,
    });
    await add('down', '10.77.0.99');
    // hardened drops what is not SSH: a connection to another port hangs until cancelled or timed out.
    await add('silent', hardened.address, 2222);

    // The page was open before the API made the engagement: load the list again.
    await app.reload();
    await new EngagementsPage(app).open('Lab scan');
    const scan = new ScanPage(app);
    await scan.goto();
    await expect(scan.hostRows).toHaveCount(3);
    // Key auth: a passphrase may be given (privilege auto asks no sudo password); none is needed here.
    await expect(app.getByTestId('scan-cred-row')).toHaveCount(3);
    await expect(app.locator('[data-testid="scan-cred-row"] [data-testid="scan-cred-sudo"]')).toHaveCount(0);
    await scan.chooseHosts(['careless', 'down']);
    await expect(app.getByTestId('scan-cred-row')).toHaveCount(2);

    const first = await scan.start();
    expect(await scan.waitForScanEnd()).toBe('done');
    await scan.expectRunState('careless', 'done');
    await scan.expectRunState('down', 'failed');
    await expect(scan.runError('down')).toContainText('10.77.0.99');
    await expect(scan.run('careless').getByTestId('scan-run-counts')).toContainText('fail');
    await expect(scan.historyRow(first)).toHaveAttribute('data-state', 'done');

    // Cancel while a host is still connecting: what had not ended ends cancelled.
    await scan.chooseHosts(['careless', 'silent']);
    const second = await scan.start();
    await scan.expectRunState('silent', 'connecting');
    await scan.expectRunState('careless', 'done');
    await expect(scan.run('careless').getByTestId('scan-run-counts')).toContainText('fail');
    await shot('scan-running');
    await scan.cancel();
    expect(await scan.waitForScanEnd(60_000)).toBe('cancelled');
    await scan.expectRunState('silent', 'cancelled');
    await scan.expectRunState('careless', 'done');
    await expect(app.getByTestId('scan-cancel')).toHaveCount(0);
    await expect(scan.historyRow(second)).toHaveAttribute('data-state', 'cancelled');
  });

  test('secrets typed at scan start reach the host and its jump host, and are not kept', async ({
    app,
    backend,
  }) => {
    test.setTimeout(240_000);
    const m = await ensureLab();
    const eng = await call(backend, 'engagement.create', { name: 'Lab secrets' });
    const ed25519 = (name: 'partial' | 'bastion' | 'inner') =>
      labHost(m, name).hostKeys.find((k) => k.type === 'ssh-ed25519')!.fingerprint;
    const add = async (name: 'partial' | 'bastion' | 'inner', host: Record<string, unknown>) => {
      const h = labHost(m, name);
      const added = await call(backend, 'host.add', {
        engagementId: eng.id,
        host: { name, address: h.address, user: h.user, ...host },
      });
      await call(backend, 'hostKey.accept', { hostId: added.id, fingerprint: ed25519(name) });
      return added.id;
    };
    const plainKey = { type: 'key', keyPath: m.keys.private };
    await add('partial', { auth: plainKey, privilege: 'sudo' });
    // The jump host's key has a passphrase; it is asked on the jump host's own row.
    const bastion = await add('bastion', {
      auth: { type: 'key', keyPath: m.keys.passphraseProtected },
      privilege: 'none',
    });
    await add('inner', { auth: plainKey, privilege: 'none', jumpHostId: bastion });
    const secret = (file: string) => readFileSync(file, 'utf8').replace(/\r?\n$/, '');

    await app.reload();
    await new EngagementsPage(app).open('Lab secrets');
    const scan = new ScanPage(app);
    await scan.goto();
    await scan.chooseHosts(['partial', 'inner']);
    const rows = app.getByTestId('scan-cred-row');
    await expect(rows).toHaveCount(3);
    await expect(app.locator('[data-testid="scan-cred-row"][data-host="bastion"]')).toHaveAttribute(
      'data-jump-only',
      'true',
    );
    await expect(
      app.locator('[data-testid="scan-cred-row"][data-host="bastion"] [data-testid="scan-cred-sudo"]'),
    ).toHaveCount(0);
    await scan.fillSecret('partial', 'sudo', secret(labHost(m, 'partial').sudoPasswordFile!));
    await scan.fillSecret('bastion', 'login', secret(m.keys.passphraseFile));

    await scan.start();
    // Not kept: the fields are empty as soon as the scan started.
    for (const input of await rows.locator('input').all()) await expect(input).toHaveValue('');
    expect(await scan.waitForScanEnd()).toBe('done');
    await scan.expectRunState('partial', 'done');
    await scan.expectRunState('inner', 'done');
    // Only sudo with the password typed makes partial's run privileged.
    await expect(scan.runDetail('partial')).toHaveText('privilege sudo');

    // Without the passphrase, the jump host cannot log in: inner fails and says what is missing where.
    await scan.start();
    expect(await scan.waitForScanEnd()).toBe('done');
    await scan.expectRunState('inner', 'failed');
    await expect(scan.runError('inner')).toContainText('passphrase needed for host bastion');
  });
});
