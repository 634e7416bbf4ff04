/**
 * A consultant's day in one run, through the UI only, against the lab's real sshd hosts: create an engagement, add
 * a host by hand and two from a CSV inventory, check and accept their host keys, scan all three (one needs a sudo
 * password, typed at scan start), watch the per-host progress, filter the results, read a check's evidence and
 * raw fact, and see the dashboard. The verdicts the UI shows are compared with the lab's truth (test/lab/truth/),
 * which was written from the host configurations, not by running Foureyes.
 */
import { readFileSync } from 'node:fs';
import { ensureLab, labAvailable, labHost, type LabManifest } from '../lab/lab.js';
import { loadTruth } from '../lab/truth.js';
import { call } from './api.js';
import { test, expect } from './fixtures.js';
import { DashboardPage } from './pages/DashboardPage.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { HostsPage } from './pages/HostsPage.js';
import { ResultsPage } from './pages/ResultsPage.js';
import { ScanPage } from './pages/ScanPage.js';

test.skip(!labAvailable(), 'needs the test lab (root, network namespaces)');

let lab: LabManifest;
test.beforeAll(async () => {
  test.setTimeout(600_000);
  lab = await ensureLab();
});

const HOSTS = ['careless', 'partial', 'hardened'] as const;
/** Checks compared one by one in the UI (the rest is compared through the same API the UI reads). */
const SAMPLE = [
  'sshd-permit-root-login',
  'sudo-nopasswd-all',
  'accounts-empty-passwords',
  'fs-suid-unexpected',
];

test('engagement to dashboard against three lab hosts', async ({ app, backend, shot }) => {
  const truth = loadTruth({ privileged: true });

  // 1. Engagement.
  const engagements = new EngagementsPage(app);
  await engagements.create('ACME Linux estate', 'ACME Corp', 'Three Debian servers, hardening and AAA');
  await shot('flow-engagement-created');

  // 2. Hosts: one by hand, two from the customer's CSV.
  const hosts = new HostsPage(app);
  const careless = labHost(lab, 'careless');
  await hosts.add({
    name: 'careless',
    address: careless.address,
    user: careless.user,
    auth: 'key',
    keyPath: lab.keys.private,
  });
  const csv = ['name,address,port,user,identity,groups']
    .concat(
      (['partial', 'hardened'] as const).map((n) => {
        const h = labHost(lab, n);
        return `${n},${h.address},${h.port},${h.user},${lab.keys.private},linux`;
      }),
    )
    .join('\n');
  await hosts.openImport();
  await hosts.chooseFile('acme-hosts.csv', csv, 'csv');
  await hosts.preview();
  expect(await hosts.previewErrorLines()).toEqual([]);
  expect(await hosts.importPreviewed()).toEqual(['partial', 'hardened']);
  await expect(hosts.rows).toHaveCount(3);
  // partial's sudo wants a password: privilege sudo (auto uses sudo only where it needs none).
  await hosts.edit('partial', { privilege: 'sudo' });

  // 3. Host keys: each presented key is one the lab host really has; accepted one by one.
  for (const name of HOSTS) {
    expect(await hosts.checkHostKey(name)).toBe('unknown');
    const fp = await hosts.acceptHostKey(name);
    expect(labHost(lab, name).hostKeys.map((k) => k.fingerprint)).toContain(fp);
    await hosts.closeHostKey(name);
  }
  await shot('flow-hosts');

  // 4. Scan all three; partial's sudo password is typed here and kept nowhere.
  const scan = new ScanPage(app);
  await scan.goto();
  await scan.chooseAllHosts();
  const sudoPassword = readFileSync(labHost(lab, 'partial').sudoPasswordFile!, 'utf8').trim();
  await scan.fillSecret('partial', 'sudo', sudoPassword);
  // Record every state each host run shows while the scan runs.
  await app.evaluate(() => {
    const g = globalThis as unknown as {
      seen: Record<string, string[]>;
      document: {
        body: unknown;
        querySelectorAll(s: string): ArrayLike<{ getAttribute(a: string): string | null }>;
      };
      MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void };
    };
    g.seen = {};
    const note = (): void => {
      for (const el of Array.from(g.document.querySelectorAll('[data-testid="scan-run"]'))) {
        const host = el.getAttribute('data-host') ?? '';
        const state = el.getAttribute('data-state') ?? '';
        const list = (g.seen[host] ??= []);
        if (list.at(-1) !== state) list.push(state);
      }
    };
    new g.MutationObserver(note).observe(g.document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
  const scanId = await scan.start();
  await shot('flow-scan-running');
  for (const name of HOSTS) await scan.expectRunState(name, 'done', 150_000);
  expect(await scan.waitForScanEnd()).toBe('done');
  const seen = await app.evaluate(() => (globalThis as unknown as { seen: Record<string, string[]> }).seen);
  for (const name of HOSTS) {
    expect(seen[name]?.at(-1), `${name} ends done`).toBe('done');
    // Live progress: at least one state between start and done was shown.
    expect(
      seen[name]!.some((s) => ['connecting', 'collecting', 'evaluating'].includes(s)),
      `${name}: ${seen[name]}`,
    ).toBe(true);
  }
  await shot('flow-scan-done');
  const got = await call(backend, 'scan.get', { scanId });
  for (const r of got.hostRuns) expect(r.privilege, `${r.hostName} scanned as root`).not.toBe('none');
  expect(JSON.stringify(got)).not.toContain(sudoPassword);

  // 5. Results: the sample of checks, host by host, as the UI shows them, equals the truth.
  await scan.openResults();
  const results = new ResultsPage(app);
  expect(await results.matchCount()).toBe(3 * (await call(backend, 'catalogue.list', {})).checks.length);
  for (const checkId of SAMPLE) {
    await results.search(checkId);
    for (const name of HOSTS) {
      await expect(results.row(name, checkId), `${checkId} on ${name}`).toHaveAttribute(
        'data-verdict',
        truth.get(name)!.get(checkId)!,
      );
    }
  }
  // Every other verdict, through the API the table reads.
  const all = await call(backend, 'results.query', { scanId, paging: { offset: 0, limit: 1000 } });
  const wrong = all.items.filter((r) => truth.get(r.hostName)?.get(r.checkId) !== r.verdict);
  expect(wrong).toEqual([]);

  // Filters: failures only, then one host's failures.
  await results.clearFilters();
  await results.toggleVerdict('fail');
  const fails = all.items.filter((r) => r.verdict === 'fail');
  await results.expectMatchCount(fails.length);
  expect(new Set(await results.visible('data-verdict'))).toEqual(new Set(['fail']));
  await results.search('careless');
  await results.expectMatchCount(fails.filter((r) => r.hostName === 'careless').length);
  await shot('flow-results-filtered');

  // 6. Evidence and the raw fact behind a verdict.
  await results.clearFilters();
  const detail = await results.openCheck('careless', 'sshd-permit-root-login');
  await expect(detail).toHaveAttribute('data-verdict', 'fail');
  await expect(results.detailEvidence().first()).toContainText(/PermitRootLogin|permitrootlogin/i);
  await expect(results.detailFacts().first()).toBeVisible();
  await shot('flow-check-detail');
  await results.closeDetail();

  // 7. Dashboard: the scores shown are the scan's.
  const dash = new DashboardPage(app);
  await dash.goto();
  await dash.expectScan(scanId);
  for (const r of got.hostRuns) {
    await expect(dash.hostScoreLabel(r.hostId!)).toHaveText(String(Math.round(r.score!)));
  }
  await shot('flow-dashboard');
});
