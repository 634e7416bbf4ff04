/**
 * Access (AAA) against real hosts of the test lab: careless (local files only, root login, a user with an empty
 * password) and hardened (nsswitch with sss, alice with a password beside it, sudo only through a rule for a shell).
 * The engagement view lists both hosts; hardened's detail shows its directory, alice flagged as a local login beside
 * the directory, the auditor's sudo rule expanded, and the three groups of verdicts; careless's guest shows its empty
 * password. Then the questions: one answered by a signed-in person is signed into the trail.
 */
import { labAvailable, ensureLab, labHost } from '../lab/lab.js';
import { call, scanAndWait } from './api.js';
import { test, expect } from './fixtures.js';
import { EngagementsPage } from './pages/EngagementsPage.js';

test.describe('with the test lab', () => {
  test.skip(!labAvailable(), 'the test lab needs root on Linux');

  test('the access view of two real hosts, per host and across them', async ({ app, backend, shot }) => {
    test.setTimeout(240_000);
    const m = await ensureLab();
    const eng = await call(backend, 'engagement.create', { name: 'Access view' });
    const ids: string[] = [];
    for (const name of ['careless', 'hardened'] as const) {
      const h = labHost(m, name);
      const host = await call(backend, 'host.add', {
        engagementId: eng.id,
        host: {
          name,
          address: h.address,
          port: h.port,
          user: h.user,
          auth: { type: 'key', keyPath: m.keys.private },
          privilege: 'auto',
        },
      });
      await call(backend, 'hostKey.accept', {
        hostId: host.id,
        fingerprint: h.hostKeys.find((k) => k.type === 'ssh-ed25519')!.fingerprint,
      });
      ids.push(host.id);
    }
    const done = await scanAndWait(backend, eng.id, ids);
    expect(done.scan.state).toBe('done');

    await app.reload();
    await new EngagementsPage(app).open('Access view');
    await app.getByTestId('nav-access').click();
    const screen = app.getByTestId('screen-access');
    await expect(screen).toBeVisible();
    const rows = app.getByTestId('access-host-row');
    await expect(rows).toHaveCount(2);
    const hardened = rows.and(app.locator('[data-host="hardened"]'));
    const careless = rows.and(app.locator('[data-host="careless"]'));
    await expect(hardened).toContainText('sssd');
    await expect(careless).toContainText('local files only');
    // alice (password) and auditor (the lab key) can log in beside the directory.
    await expect(hardened).toHaveAttribute('data-local-beside', '2');
    expect(
      Number(await hardened.getByTestId('access-login-counts').getAttribute('data-fail')),
    ).toBeGreaterThan(0);

    await hardened.getByTestId('access-host-open').click();
    const detail = app.getByTestId('access-host');
    await expect(detail).toHaveAttribute('data-host', 'hardened');
    await expect(app.getByTestId('access-directory')).toHaveAttribute('data-in-use', 'true');
    const alice = app.getByTestId('access-account').and(app.locator('[data-account="alice"]'));
    await expect(alice).toHaveAttribute('data-can-log-in', 'true');
    await expect(alice).toHaveAttribute(
      'data-flags',
      /local account that can log in although a directory is in use/,
    );
    const auditor = app.getByTestId('access-account').and(app.locator('[data-account="auditor"]'));
    await expect(auditor.getByTestId('access-account-keys')).toContainText('1: ssh-ed25519');
    await expect(auditor).toHaveAttribute('data-flags', /password locked, but SSH keys can still log in/);
    await expect(auditor.getByTestId('access-account-sudo')).toContainText('NOPASSWD');
    await expect(
      app.getByTestId('access-sudo-grant').and(app.locator('[data-principal="auditor"]')),
    ).toHaveCount(1);
    await expect(
      app.getByTestId('access-checks-login').locator('[data-check="central-auth-no-local-logins"]'),
    ).toHaveAttribute('data-verdict', 'fail');
    await expect(app.getByTestId('access-checks-recorded').locator('li')).not.toHaveCount(0);
    await shot('access-host-hardened');

    await careless.getByTestId('access-host-open').click();
    await expect(detail).toHaveAttribute('data-host', 'careless');
    await expect(app.getByTestId('access-directory')).toHaveAttribute('data-in-use', 'false');
    const guest = app.getByTestId('access-account').and(app.locator('[data-account="guest"]'));
    await expect(guest).toHaveAttribute('data-flags', /empty password/);
    const toor = app.getByTestId('access-account').and(app.locator('[data-account="toor"]'));
    await expect(toor).toHaveAttribute('data-flags', /uid 0: a second root/);

    // Across the hosts: auditor exists and can log in on both.
    const across = app.getByTestId('access-across-row').and(app.locator('[data-account="auditor"]'));
    await expect(across).toContainText('careless, hardened');
    await shot('access-engagement');
  });
});
