/**
 * Host key checks on the Hosts screen against the lab's real sshd hosts: unknown -> compared and accepted ->
 * match; a changed key (side by side, replaced only after typing the host name); revoked; probe errors.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { call } from './api.js';
import { test, expect, continueAsIs } from './fixtures.js';
import { startBackend } from './backend.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { HostsPage } from './pages/HostsPage.js';
import { ensureLab, labAvailable, labHost, type LabManifest } from '../lab/lab.js';

test.describe('host keys against the lab', () => {
  test.skip(!labAvailable(), 'the test lab needs root on Linux');
  let m: LabManifest;
  test.beforeAll(async () => {
    test.setTimeout(600_000);
    m = await ensureLab();
  });

  test('a new host key is compared and accepted, then matches; probe errors are shown', async ({
    app,
    shot,
  }) => {
    const careless = labHost(m, 'careless');
    const bastion = labHost(m, 'bastion');
    const inner = labHost(m, 'inner');
    const hardened = labHost(m, 'hardened');
    const eng = new EngagementsPage(app);
    const hosts = new HostsPage(app);
    await eng.create('Lab key checks');

    await hosts.add({
      name: 'careless',
      address: careless.address,
      user: careless.user,
      auth: 'key',
      keyPath: careless.keyPath,
      tags: 'lab',
    });
    await expect(hosts.row('careless').getByTestId('host-cell-address')).toHaveText('10.77.0.11:22');

    expect(await hosts.checkHostKey('careless')).toBe('unknown');
    const presented = await hosts.presentedFingerprint('careless');
    const known = careless.hostKeys.map((k) => k.fingerprint);
    expect(known).toContain(presented);
    const algorithm = await hosts.keyPanel('careless').getByTestId('host-key-algorithm').textContent();
    expect(careless.hostKeys.find((k) => k.fingerprint === presented)?.type).toBe(algorithm);
    await expect(hosts.keyPanel('careless')).toContainText(
      'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
    );
    await shot('host-key-unknown');

    expect(await hosts.acceptHostKey('careless')).toBe(presented);
    await expect(hosts.row('careless').getByTestId('host-key-state')).toHaveAttribute('title', presented);
    expect(await hosts.checkHostKey('careless')).toBe('match');
    await expect(hosts.keyPanel('careless').getByTestId('host-key-match')).toBeVisible();
    await expect(hosts.keyPanel('careless').getByTestId('host-key-accept')).toHaveCount(0);
    await hosts.closeHostKey('careless');

    // More lab hosts from an inventory; the jump host is set afterwards in the form.
    const csv = [
      'name,address,user,identity,groups',
      `bastion,${bastion.address},${bastion.user},${bastion.keyPath},lab;jump`,
      `hardened,${hardened.address},${hardened.user},${hardened.keyPath},lab`,
      `inner,${inner.address},${inner.user},${inner.keyPath},lab;internal`,
    ].join('\n');
    await hosts.paste(csv, 'csv');
    await hosts.preview();
    expect((await hosts.importPreviewed()).sort()).toEqual(['bastion', 'hardened', 'inner']);
    await app.getByTestId('host-import-close').click();
    await hosts.edit('inner', { jumpHost: 'bastion' });
    await expect(hosts.row('inner').getByTestId('host-cell-jump')).toHaveText('bastion');

    // Through a jump host whose key is not accepted yet: refused, and the panel says why.
    expect(await hosts.checkHostKey('inner')).toBe('failed');
    await expect(hosts.keyPanel('inner').getByTestId('host-key-error')).toContainText('bastion');
    expect(await hosts.checkHostKey('bastion')).toBe('unknown');
    expect(bastion.hostKeys.map((k) => k.fingerprint)).toContain(await hosts.acceptHostKey('bastion'));
    expect(await hosts.checkHostKey('inner')).toBe('unknown');
    expect(inner.hostKeys.map((k) => k.fingerprint)).toContain(await hosts.acceptHostKey('inner'));
    await hosts.closeHostKey('inner');
    await hosts.closeHostKey('bastion');

    // Nothing listens on port 2: the refusal is shown in the panel with the backend's message.
    await hosts.add({
      name: 'careless-port2',
      address: careless.address,
      port: 2,
      user: 'auditor',
      auth: 'agent',
    });
    expect(await hosts.checkHostKey('careless-port2')).toBe('failed');
    const err = hosts.keyPanel('careless-port2').getByTestId('host-key-error');
    await expect(err).toHaveAttribute('data-code', 'connect_refused');
    await hosts.closeHostKey('careless-port2');

    await expect(app.getByTestId('host-count')).toHaveAttribute('data-pinned', '3');
    await shot('hosts');
  });

  test('a changed host key is shown side by side and replaced only after typing the host name', async ({
    app,
    backend,
    shot,
  }) => {
    const careless = labHost(m, 'careless');
    const wrong = labHost(m, 'bastion').hostKeys[0]!.fingerprint;
    const eng = new EngagementsPage(app);
    const hosts = new HostsPage(app);
    await eng.create('Lab key change');
    await hosts.add({
      name: 'db-primary',
      address: careless.address,
      user: 'auditor',
      auth: 'key',
      keyPath: careless.keyPath,
    });

    // Pinned earlier (say, in a previous engagement year) to a key the address no longer presents.
    await call(backend, 'hostKey.accept', {
      hostId: await hosts.hostId('db-primary'),
      fingerprint: wrong,
    });
    await app.reload();
    await expect(hosts.row('db-primary')).toHaveAttribute('data-pinned', wrong);

    expect(await hosts.checkHostKey('db-primary')).toBe('mismatch');
    const panel = hosts.keyPanel('db-primary');
    const presented = await hosts.presentedFingerprint('db-primary');
    expect(careless.hostKeys.map((k) => k.fingerprint)).toContain(presented);
    await expect(panel.getByTestId('host-key-presented-compare')).toHaveText(presented);
    expect(await hosts.expectedFingerprints('db-primary')).toEqual([wrong]);
    await expect(panel).toContainText('intercept');
    await expect(panel.getByTestId('host-key-accept')).toHaveCount(0);
    await panel.getByTestId('host-key-replace-open').click();
    await shot('host-key-mismatch');

    const replace = panel.getByTestId('host-key-replace');
    await expect(replace).toBeDisabled();
    await panel.getByTestId('host-key-confirm-name').fill('db-primar');
    await expect(replace).toBeDisabled();
    await expect(hosts.row('db-primary')).toHaveAttribute('data-pinned', wrong);
    await hosts.replaceHostKey('db-primary');
    await expect(hosts.row('db-primary')).toHaveAttribute('data-pinned', presented);
    expect(await hosts.checkHostKey('db-primary')).toBe('match');
  });

  test('a revoked key is red and cannot be accepted; a known_hosts entry matches without a pin', async ({
    page,
  }) => {
    const careless = labHost(m, 'careless');
    const bastion = labHost(m, 'bastion');
    // A backend of its own whose user's known_hosts revokes careless's keys and knows bastion's.
    const home = mkdtempSync(path.join(tmpdir(), 'foureyes-e2e-home-'));
    mkdirSync(path.join(home, '.ssh'));
    writeFileSync(
      path.join(home, '.ssh', 'known_hosts'),
      [
        ...careless.hostKeys.map((k) => `@revoked ${careless.address} ${k.publicKey}`),
        ...bastion.hostKeys.map((k) => `${bastion.address} ${k.publicKey}`),
      ].join('\n') + '\n',
    );
    const b = await startBackend({ HOME: home });
    try {
      await page.goto(b.url);
      await continueAsIs(page);
      const eng = new EngagementsPage(page);
      const hosts = new HostsPage(page);
      await expect(eng.screen).toBeVisible();
      await eng.create('Lab known_hosts');
      await hosts.paste(
        [
          'name,address,user,identity',
          `careless,${careless.address},${careless.user},${careless.keyPath}`,
          `bastion,${bastion.address},${bastion.user},${bastion.keyPath}`,
        ].join('\n'),
        'csv',
      );
      await hosts.preview();
      await hosts.importPreviewed();

      expect(await hosts.checkHostKey('careless')).toBe('revoked');
      const panel = hosts.keyPanel('careless');
      await expect(panel.getByTestId('host-key-revoked')).toBeVisible();
      await expect(panel.getByTestId('host-key-accept')).toHaveCount(0);
      await expect(panel.getByTestId('host-key-replace')).toHaveCount(0);
      expect(careless.hostKeys.map((k) => k.fingerprint)).toContain(
        await hosts.presentedFingerprint('careless'),
      );

      expect(await hosts.checkHostKey('bastion')).toBe('match');
      await expect(hosts.keyPanel('bastion').getByTestId('host-key-match')).toBeVisible();
      await expect(hosts.row('bastion')).toHaveAttribute('data-pinned', '');
      // Nothing pinned, yet scans accept it: the host key column says where it is known from.
      const keyState = hosts.row('bastion').getByTestId('host-key-state');
      await expect(keyState).toHaveAttribute('data-state', 'known-hosts');
      await expect(keyState).toHaveText('known_hosts');
      await expect(hosts.row('careless').getByTestId('host-key-state')).toHaveAttribute('data-state', 'none');
    } finally {
      await b.stop();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
