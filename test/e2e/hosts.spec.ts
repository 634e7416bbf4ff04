/**
 * Hosts screen: the inventory through the form and imports (CSV, ssh_config), and the read-only archived view.
 * Host key checks are in host-keys.spec.ts.
 */
import { test, expect } from './fixtures.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { HostsPage } from './pages/HostsPage.js';
import { ensureLab, labAvailable, labHost, type LabManifest } from '../lab/lab.js';

// The CSV a customer might hand over: line 4 has a space in the name, line 6 an impossible port.
const CSV = [
  'name,address,port,user,identity,groups',
  'web01,10.77.0.31,22,auditor,/keys/web,web;dmz',
  'web02,10.77.0.32,2222,auditor,,web',
  'bad host,10.77.0.33,22,auditor,,web',
  'db01,10.77.0.34,22,dbadmin,,db',
  'db02,10.77.0.35,70000,dbadmin,,db',
].join('\n');

test('hosts are added with hints and backend errors, edited, removed, imported from CSV; archived is read-only', async ({
  app,
  shot,
}) => {
  const eng = new EngagementsPage(app);
  const hosts = new HostsPage(app);
  await eng.create('Hosts inventory');
  await expect(app.getByTestId('host-list-empty')).toBeVisible();

  // Hints while typing, but the backend decides: its message names the field.
  await app.getByTestId('host-add').click();
  await hosts.fillForm({ name: 'gw', address: '-oProxyCommand=x', user: 'auditor', auth: 'agent' });
  await app.getByTestId('host-user').focus();
  await expect(app.getByTestId('host-hint-address')).toContainText('a host name or an IP address');
  await app.getByTestId('host-save').click();
  await expect(hosts.formError).toHaveText('Address must be a host name or an IP address (got "-oProxyCommand=x").');
  await expect(hosts.rows).toHaveCount(0);
  await shot('host-form');
  await hosts.fillForm({ address: '10.77.0.30' });
  await app.getByTestId('host-save').click();
  await expect(hosts.row('gw')).toHaveCount(1);
  await expect(hosts.row('gw').getByTestId('host-cell-auth')).toHaveAttribute('data-auth', 'agent');

  // A second host with a password (never stored) through gw; then a duplicate name is refused by the backend.
  await hosts.add({
    name: 'app01',
    address: '10.77.0.40',
    port: 2201,
    user: 'auditor',
    auth: 'password',
    jumpHost: 'gw',
    privilege: 'sudo',
    tags: 'app, prod ,',
    notes: 'behind the gateway',
  });
  const app01 = hosts.row('app01');
  await expect(app01.getByTestId('host-cell-address')).toHaveText('10.77.0.40:2201');
  await expect(app01.getByTestId('host-cell-jump')).toHaveText('gw');
  await expect(app01.getByTestId('host-cell-privilege')).toHaveText('sudo');
  await expect(app01.getByTestId('host-cell-tags')).toHaveText('appprod');
  await expect(app01.getByTestId('host-cell-auth')).toHaveAttribute('data-auth', 'password');
  await expect(app01.getByTestId('host-key-state')).toHaveText('not accepted');
  await hosts.submitNew({ name: 'app01', address: '10.77.0.41', user: 'auditor', auth: 'agent' });
  await expect(app.getByTestId('host-hint-name')).toContainText('already called');
  await expect(hosts.formError).toContainText('already exists');
  await app.getByTestId('host-cancel').click();

  // Edit: key auth, no jump host, new name; only what changed is sent.
  await hosts.edit('app01', { name: 'app01-prod', auth: 'key', keyPath: '/keys/app', jumpHost: null });
  await expect(hosts.row('app01')).toHaveCount(0);
  await expect(hosts.row('app01-prod').getByTestId('host-cell-auth')).toHaveText('key /keys/app');
  await expect(hosts.row('app01-prod').getByTestId('host-cell-jump')).toHaveText('—');
  await expect(hosts.row('app01-prod').getByTestId('host-cell-tags')).toHaveText('appprod');

  // Remove (after a confirmation).
  await hosts.remove('gw');
  await expect(hosts.rows).toHaveCount(1);

  // Import a CSV through the file chooser: preview with problems by line, then import what the preview showed.
  await hosts.chooseFile('customer-hosts.csv', CSV);
  await expect(app.getByTestId('host-import-source')).toHaveValue('csv');
  await hosts.preview();
  await expect(hosts.previewHosts).toHaveCount(3);
  expect(await hosts.previewErrorLines()).toEqual([4, 6]);
  await expect(hosts.previewErrors.nth(0)).toContainText('bad host');
  await expect(hosts.previewErrors.nth(1)).toContainText(
    'customer-hosts.csv:6: db02: Port must be a whole number from 1 to 65535 (got 70000).',
  );
  await expect(hosts.rows).toHaveCount(1);
  await expect(app.getByTestId('host-import-run')).toHaveText('Import 3 hosts');
  await shot('hosts-import');
  // An edit of the text asks for a new preview before importing.
  await app.getByTestId('host-import-text').fill(CSV + '\n');
  await expect(app.getByTestId('host-import-run')).toBeDisabled();
  await app.getByTestId('host-import-text').fill(CSV);
  await hosts.preview();
  expect((await hosts.importPreviewed()).sort()).toEqual(['db01', 'web01', 'web02']);
  await expect(hosts.rows).toHaveCount(4);
  await expect(hosts.row('web02').getByTestId('host-cell-address')).toHaveText('10.77.0.32:2222');
  await expect(hosts.row('web01').getByTestId('host-cell-auth')).toHaveText('key /keys/web');
  await expect(hosts.row('web01').getByTestId('host-cell-tags')).toHaveText('webdmz');

  // A file over the limit is refused before anything is sent.
  await hosts.openImport();
  await app.getByTestId('host-import-file').setInputFiles({
    name: 'huge.csv',
    mimeType: 'text/csv',
    buffer: Buffer.alloc(4 * 1024 * 1024 + 10, 'a'),
  });
  await expect(app.getByTestId('host-import-too-large')).toContainText('at most 4 M characters');

  // Archived: a read-only screen.
  await eng.goto();
  await eng.archive('Hosts inventory');
  await app.getByTestId('engagements-show-archived').check();
  await eng.open('Hosts inventory');
  await expect(hosts.archivedNote).toBeVisible();
  await expect(hosts.rows).toHaveCount(4);
  await expect(app.getByTestId('host-add')).toHaveCount(0);
  await expect(app.getByTestId('host-import-open')).toHaveCount(0);
  await expect(app.getByTestId('host-edit')).toHaveCount(0);
  await expect(app.getByTestId('host-remove')).toHaveCount(0);
});

test('form and import errors read as sentences: the field by its label, every problem of a row, the line a quote opened', async ({
  app,
  shot,
}) => {
  const eng = new EngagementsPage(app);
  const hosts = new HostsPage(app);
  await eng.create('Sentences');

  // A port that is not a number: the form says so (it used to reach the backend as null).
  await hosts.submitNew({ name: 'db01', address: '10.77.0.50', port: 'abc', user: 'auditor', auth: 'agent' });
  await expect(hosts.formError).toHaveText('Port must be a whole number from 1 to 65535 (got "abc").');
  await shot('host-form-port-sentence');
  // A blank name goes to the backend, whose refusal is a sentence naming the field by its label.
  await hosts.fillForm({ name: '   ', port: '22' });
  await app.getByTestId('host-save').click();
  await expect(hosts.formError).toHaveText('Host name is required.');
  await expect(hosts.rows).toHaveCount(0);
  await app.getByTestId('host-cancel').click();

  // A row with three problems: three lines, each naming file, line and field.
  await hosts.chooseFile('three.csv', 'name,address,port,user\nok,10.77.0.51,22,auditor\ndb02,10.0.0.999,abc,bad user\n');
  await hosts.preview();
  expect(await hosts.previewErrorLines()).toEqual([3, 3, 3]);
  await expect(hosts.previewErrors).toContainText([
    'three.csv:3: db02: Address "10.0.0.999" is not a host name or an IP address.',
    'three.csv:3: db02: Port must be a whole number from 1 to 65535 (got "abc").',
    'three.csv:3: db02: User "bad user" is not a login name (letters, digits, _ . -; at most 32).',
  ]);

  // A quote opened on line 3 and never closed: reported at line 3, not where the parser gave up.
  await hosts.chooseFile(
    'quote.csv',
    'name,address\nh1,10.77.0.52\nh2,"10.77.0.53\nh3,10.77.0.54\nh4,10.77.0.55\nh5,10.77.0.56\n',
  );
  await app.getByTestId('host-import-preview').click();
  await expect(app.getByTestId('host-import-failure')).toHaveText(
    'quote.csv:3: The row starting on this line opens a quote (") that is never closed; close it or remove it.',
  );
  await shot('hosts-import-quote-sentence');
});

test.describe('imports against the lab', () => {
  test.skip(!labAvailable(), 'the test lab needs root on Linux');
  let m: LabManifest;
  test.beforeAll(async () => {
    test.setTimeout(600_000);
    m = await ensureLab();
  });

  test('an ssh_config is imported through the file chooser, jump hosts included, and checked through the jump', async ({
    app,
  }) => {
    const bastion = labHost(m, 'bastion');
    const inner = labHost(m, 'inner');
    const config = [
      '# exported from the admin workstation',
      'Host bastion',
      `    HostName ${bastion.address}`,
      '',
      'Host inner',
      `    HostName ${inner.address}`,
      '    ProxyJump bastion',
      '',
      'Host legacy',
      '    HostName 10.77.0.12',
      '    ProxyCommand ssh -W %h:%p bastion',
      '',
      'Host partial',
      '    HostName 10.77.0.12',
      '    Frobnicate yes',
      '',
      'Host *',
      `    User ${bastion.user}`,
      `    IdentityFile ${bastion.keyPath}`,
    ].join('\n');
    const lineOf = (text: string): number => config.split('\n').findIndex((l) => l.includes(text)) + 1;
    const eng = new EngagementsPage(app);
    const hosts = new HostsPage(app);
    await eng.create('Lab ssh_config');

    await hosts.chooseFile('config', config);
    await expect(app.getByTestId('host-import-source')).toHaveValue('ssh_config');
    await hosts.preview();
    const previewed = await hosts.previewHosts.evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-name')),
    );
    expect(previewed.sort()).toEqual(['bastion', 'inner', 'partial']);
    expect((await hosts.previewErrorLines()).sort((a, b) => a - b)).toEqual([
      lineOf('Host legacy'),
      lineOf('Frobnicate'),
    ]);
    await expect(hosts.previewErrors.filter({ hasText: 'ProxyCommand' })).toHaveCount(1);
    await expect(hosts.previewErrors.filter({ hasText: 'Frobnicate' })).toHaveCount(1);

    expect((await hosts.importPreviewed()).sort()).toEqual(['bastion', 'inner', 'partial']);
    await expect(hosts.row('inner').getByTestId('host-cell-jump')).toHaveText('bastion');
    await expect(hosts.row('inner').getByTestId('host-cell-user')).toHaveText(inner.user);
    await expect(hosts.row('inner').getByTestId('host-cell-auth')).toHaveAttribute(
      'title',
      `key ${inner.keyPath}`,
    );
    await expect(hosts.row('legacy')).toHaveCount(0);

    expect(await hosts.checkHostKey('inner')).toBe('failed');
    await expect(hosts.keyPanel('inner').getByTestId('host-key-error')).toContainText('bastion');
    expect(await hosts.checkHostKey('bastion')).toBe('unknown');
    await hosts.acceptHostKey('bastion');
    expect(await hosts.checkHostKey('inner')).toBe('unknown');
    expect(inner.hostKeys.map((k) => k.fingerprint)).toContain(await hosts.presentedFingerprint('inner'));
  });
});
