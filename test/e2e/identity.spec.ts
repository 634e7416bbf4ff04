/**
 * The host detail shows what the target says it is, beside the name the consultant gave it: the lab's hostile
 * host (10.77.0.14) answers with markup and terminal escapes in its hostname, its os-release PRETTY_NAME and its
 * SSH pre-login banner (sshd Banner /etc/issue.net). All of it shows as text with the escapes visible; nothing
 * executes (no dialog, no element from the target, the title stays ours). Its verdicts still equal the truth.
 */
import { ensureLab, labAvailable, labHost, type LabManifest } from '../lab/lab.js';
import { loadTruth } from '../lab/truth.js';
import { call } from './api.js';
import { test, expect } from './fixtures.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { ResultsPage } from './pages/ResultsPage.js';
import { ScanPage } from './pages/ScanPage.js';

test.skip(!labAvailable(), 'needs the test lab (root, network namespaces)');

let lab: LabManifest;
test.beforeAll(async () => {
  test.setTimeout(600_000);
  lab = await ensureLab();
});

/** What the lab writes (test/lab/sh/hosts/others.sh), as TargetText shows it: control and invalid bytes as escapes. */
const HOSTNAME = '<script>alert(1)</script>\\x1b[31mX\\x1b]0;t\\x07';
const PRETTY =
  '<script>alert(1)</script><img src=x onerror=alert(2)> \\x1b[31mRED\\x1b[0m \\x1b]0;pwned-title\\x07 nul:\\x00: bad-utf8:\\xff\\xfe:';
const BANNER =
  'Authorised use only <b>ACME</b> <script>alert(4)</script> \\x1b[31mRED\\x1b[0m \\x1b]0;banner-title\\x07';

test('the host detail shows the hostile target’s hostname, OS release, kernel and SSH banner as text', async ({
  app,
  backend,
  shot,
}) => {
  test.setTimeout(240_000);
  const dialogs: string[] = [];
  app.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const h = labHost(lab, 'hostile');
  const eng = await call(backend, 'engagement.create', { name: 'Who answers' });
  const host = await call(backend, 'host.add', {
    engagementId: eng.id,
    host: {
      name: 'db01 (as the customer named it)',
      address: h.address,
      user: h.user,
      auth: { type: 'key', keyPath: lab.keys.private },
    },
  });
  await call(backend, 'hostKey.accept', {
    hostId: host.id,
    fingerprint: h.hostKeys.find((k) => k.type === 'ssh-ed25519')!.fingerprint,
  });
  await app.reload();
  await new EngagementsPage(app).open('Who answers');
  const scan = new ScanPage(app);
  await scan.goto();
  const scanId = await scan.start();
  await scan.expectRunState('db01 (as the customer named it)', 'done', 120_000);
  await scan.openResults();

  const results = new ResultsPage(app);
  const detail = await results.openHost('db01 (as the customer named it)');
  await expect(results.identity('name')).toHaveText('db01 (as the customer named it)');
  await expect(results.identity('hostname')).toHaveText(HOSTNAME);
  await expect(results.identity('os')).toHaveText(PRETTY);
  await expect(results.identity('kernel')).toHaveText(/^Linux \S+ \S+$/);
  await expect(results.identity('ssh-server')).toHaveText(/^SSH-2\.0-OpenSSH_\S+/);
  await expect(results.identity('banner')).toHaveText(`${BANNER}\n`);
  // Escapes are marked (.ctl), markup stays text.
  await expect(results.identity('banner').locator('.ctl').first()).toHaveText('\\x1b');
  await expect(detail.locator('.safe-text b, .safe-text script, .safe-text img')).toHaveCount(0);
  await detail.getByTestId('host-detail-identity').scrollIntoViewIfNeeded();
  await shot('identity-hostile-host-detail');

  // Nothing ran, and the verdicts on this host equal its truth (the banner check included).
  expect(dialogs).toEqual([]);
  expect(await app.title()).toBe('Foureyes');
  const truth = loadTruth({ privileged: true }).get('hostile')!;
  const rows = await call(backend, 'results.query', { scanId, paging: { offset: 0, limit: 1000 } });
  const wrong = rows.items
    .filter((r) => truth.has(r.checkId) && truth.get(r.checkId) !== r.verdict)
    .map((r) => `${r.checkId}: ${r.verdict}, truth ${truth.get(r.checkId)}`);
  expect(wrong).toEqual([]);
  expect(truth.get('sshd-banner')).toBe('pass');
});
