/**
 * Secrets in browser mode, which never stores one: the Scan screen says why secrets are asked each time (once,
 * above the fields) and offers no Remember; secret.remember over the API is refused with the same reason; a secret
 * typed at scan start is used for that scan and nothing is stored.
 */
import { call, reply } from './api.js';
import { test, expect } from './fixtures.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { ScanPage } from './pages/ScanPage.js';

/** What main/bridge/start.ts reports for browser mode. */
const BROWSER_DETAIL = 'Browser mode: passwords and passphrases are asked for each time.';

test('browser mode asks for secrets each time, says why once, and stores none', async ({
  app,
  backend,
  shot,
}) => {
  const eng = await call(backend, 'engagement.create', { name: 'Secrets browser' });
  const add = (name: string, host: Record<string, unknown>) =>
    call(backend, 'host.add', {
      engagementId: eng.id,
      host: { name, address: '127.0.0.1', user: 'auditor', ...host },
    });
  // Port 1: nothing listens, so a scan fails fast with "connection refused" after the page sent the secret.
  const db = await add('db01', { port: 1, auth: { type: 'password' }, privilege: 'sudo' });
  await add('web01', { port: 1, auth: { type: 'key', keyPath: '/nonexistent/key' }, privilege: 'none' });

  const info = await call(backend, 'app.info', {});
  expect(info.secretStorage).toEqual({ persistent: false, detail: BROWSER_DETAIL });
  const refused = await reply(backend, 'secret.remember', {
    hostId: db.id,
    purpose: 'login',
    secret: 'pw-e2e-1',
  });
  expect(refused).toEqual({
    ok: false,
    error: { code: 'bad_input', message: `secrets cannot be stored on this machine: ${BROWSER_DETAIL}` },
  });
  expect(JSON.stringify(refused)).not.toContain('pw-e2e-1');

  await app.reload();
  await new EngagementsPage(app).open('Secrets browser');
  const scan = new ScanPage(app);
  await scan.goto();
  await expect(scan.credRow('db01').getByTestId('scan-cred-login')).toBeVisible();
  await expect(scan.credRow('db01').getByTestId('scan-cred-sudo')).toBeVisible();
  await expect(scan.credRow('web01').getByTestId('scan-cred-login')).toBeVisible();
  // The reason, once, above the fields; no Remember anywhere, nothing marked stored.
  await expect(scan.secretStorageNote()).toHaveCount(1);
  await expect(scan.secretStorageNote()).toHaveText(BROWSER_DETAIL);
  await expect(scan.secretStorageNote()).toHaveAttribute('data-persistent', 'false');
  await expect(app.getByTestId('scan-creds')).toContainText('never stored');
  await expect(scan.rememberBoxes()).toHaveCount(0);
  await expect(scan.storedMarks()).toHaveCount(0);
  await expect(app.getByText('Remember (encrypted by the OS keychain)')).toHaveCount(0);
  await scan.fillSecret('db01', 'login', 'pw-e2e-2');
  await shot('scan-secrets-browser');

  await scan.chooseHosts(['db01']);
  await scan.fillSecret('db01', 'login', 'pw-e2e-2');
  await scan.start();
  await expect(scan.credRow('db01').getByTestId('scan-cred-login')).toHaveValue('');
  expect(await scan.waitForScanEnd()).toBe('done');
  await scan.expectRunState('db01', 'failed');
  await expect(scan.runError('db01')).toContainText('refused');
  // Nothing was stored, and the page reported no failed attempt to store.
  const status = await call(backend, 'secret.status', { engagementId: eng.id });
  expect(status).toEqual({ persistent: false, detail: BROWSER_DETAIL, stored: [] });
  await expect(app.getByTestId('notice-error')).toHaveCount(0);
});
