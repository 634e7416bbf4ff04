/**
 * The Results screen over real scans: two hosts standing for this machine (runs everywhere), and with the test lab careless under
 * several names, enough rows to need more than one page. Filters are checked against the scan's own counts and
 * against the rows' data attributes; details against what the host really holds.
 */
import { labAvailable, ensureLab, labHost } from '../lab/lab.js';
import { call } from './api.js';
import { test, expect } from './fixtures.js';
import type { Backend } from './backend.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { ResultsPage } from './pages/ResultsPage.js';

interface ScanGet {
  scan: { id: string; state: string; counts: Record<string, number> };
  hostRuns: { id: string; hostId: string | null; hostName: string; state: string; score: number | null }[];
}

/** Start a scan through the API and wait until it ended. */
async function scanAndWait(backend: Backend, engagementId: string, hostIds: string[]): Promise<ScanGet> {
  const { scanId } = await call(backend, 'scan.start', { engagementId, hostIds });
  await expect
    .poll(async () => (await call(backend, 'scan.get', { scanId })).scan.state, {
      timeout: 150_000,
      intervals: [500],
    })
    .not.toBe('running');
  return call(backend, 'scan.get', { scanId });
}

test('results of two local hosts: verdict, text and host filters, check and host details', async ({
  app,
  backend,
  shot,
}) => {
  // Two hosts that both stand for this machine (the local transport), in an engagement of this test's own.
  const local = await call(backend, 'engagement.create', { name: 'Two local hosts' });
  const addLocal = (name: string) =>
    call(backend, 'host.add', {
      engagementId: local.id,
      host: { name, address: '127.0.0.1', user: 'root', privilege: 'none', tags: ['local'] },
    });
  const first = await addLocal('localhost');
  const second = await addLocal('localhost-again');
  const scan = await scanAndWait(backend, local.id, [first.id, second.id]);
  expect(scan.hostRuns.map((r) => r.state)).toEqual(['done', 'done']);
  const c = scan.scan.counts;
  const all = c.pass! + c.fail! + c.not_applicable! + c.error! + c.manual!;
  expect(c.fail).toBeGreaterThan(0);

  await app.reload();
  await new EngagementsPage(app).open('Two local hosts');
  const results = new ResultsPage(app);
  await results.goto();
  // No scan chosen: the newest is shown.
  await expect(results.screen).toHaveAttribute('data-scan-id', scan.scan.id);
  expect(await results.matchCount()).toBe(all);
  expect(await results.verdictCount('fail')).toBe(c.fail);
  await expect(results.rows.first()).toBeVisible();
  await shot('results');

  // Verdict: exactly the failures, by the scan's own count.
  await results.toggleVerdict('fail');
  await results.expectMatchCount(c.fail!);
  expect(new Set(await results.visible('data-verdict'))).toEqual(new Set(['fail']));

  // Host: the failures of one host are half of them (both hosts are this machine).
  await results.filterHostIds([second.id]);
  await results.expectMatchCount(c.fail! / 2);
  expect(new Set(await results.visible('data-host'))).toEqual(new Set(['localhost-again']));

  // Text: one check id across both hosts.
  await results.filterHostIds([]);
  const checkId = (await results.visible('data-check-id'))[0]!;
  await results.search(checkId);
  await results.expectMatchCount(2);
  expect(new Set(await results.visible('data-check-id'))).toEqual(new Set([checkId]));
  expect(new Set(await results.visible('data-host'))).toEqual(new Set(['localhost', 'localhost-again']));
  await shot('results-filtered');

  // Keyboard: down to the second row, Enter opens it, Escape closes it and gives the table the focus back.
  await results.focusTable();
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(results.checkDetail).toHaveAttribute('data-check-id', checkId);
  await expect(results.checkDetail).toHaveAttribute('data-verdict', 'fail');
  await expect(results.detailActual()).not.toBeEmpty();
  await expect(results.detailFacts().first()).toBeVisible();
  await results.closeDetail();
  await expect(results.checkDetail).toHaveCount(0);
  await expect(results.table).toBeFocused();

  // Host detail: score and counts of the run, its failures list equals the failing rows of that host.
  await results.clearFilters();
  await results.expectMatchCount(all);
  const host = await results.openHost('localhost-again');
  const run = scan.hostRuns.find((r) => r.hostId === second.id)!;
  await expect(host.getByTestId('host-detail-score')).toHaveAttribute('data-score', String(run.score));
  await expect(host.getByTestId('host-detail-failure')).toHaveCount(c.fail! / 2);
  await shot('host-detail');
  await host.getByTestId('host-detail-failure').first().getByRole('button').click();
  await expect(results.checkDetail).toBeVisible();
  await results.closeDetail();
  await expect(results.hostDetail).toBeVisible();
  await results.closeDetail();
  await expect(results.hostDetail).toHaveCount(0);
});

test.describe('with the test lab', () => {
  test.skip(!labAvailable(), 'the test lab needs root on Linux');

  test('careless: evidence and raw facts of a failing check; more rows than one page', async ({
    app,
    backend,
    shot,
  }) => {
    test.setTimeout(240_000);
    const m = await ensureLab();
    const careless = labHost(m, 'careless');
    const fingerprint = careless.hostKeys.find((k) => k.type === 'ssh-ed25519')!.fingerprint;
    const eng = await call(backend, 'engagement.create', { name: 'Careless x12' });
    // The same host under twelve names: 12 x the catalogue is more than one page of 1000 rows.
    const ids: string[] = [];
    for (let i = 1; i <= 12; i++) {
      const h = await call(backend, 'host.add', {
        engagementId: eng.id,
        host: {
          name: `careless-${String(i).padStart(2, '0')}`,
          address: careless.address,
          user: careless.user,
          auth: { type: 'key', keyPath: m.keys.private },
          privilege: 'auto',
        },
      });
      await call(backend, 'hostKey.accept', { hostId: h.id, fingerprint });
      ids.push(h.id);
    }
    const scan = await scanAndWait(backend, eng.id, ids);
    expect(new Set(scan.hostRuns.map((r) => r.state))).toEqual(new Set(['done']));
    const c = scan.scan.counts;
    const all = c.pass! + c.fail! + c.not_applicable! + c.error! + c.manual!;
    expect(all).toBeGreaterThan(1000);

    // The page was open before the API made the engagement: load the list again.
    await app.reload();
    await new EngagementsPage(app).open('Careless x12');
    const results = new ResultsPage(app);
    await results.goto();
    expect(await results.matchCount()).toBe(all);
    // Sorted by host, careless-12 comes last, past the first 1000 rows: scrolling down fetches them.
    await results.sortBy('host:asc');
    const deep = results.row('careless-12', 'sshd-permit-root-login');
    await results.scrollUntil(deep);
    await expect(deep).toBeVisible();
    expect(Number(await deep.getAttribute('data-index'))).toBeGreaterThan(1000);
    // Keyboard: End goes to the last row.
    await results.focusTable();
    await app.keyboard.press('End');
    await expect(results.rows.last()).toHaveAttribute('data-index', String(all - 1));
    await expect(results.rows.last()).toHaveAttribute('data-host', 'careless-12');

    // careless lets root log in over SSH: the check fails, and the evidence points into sshd's configuration.
    const detail = await results.openCheck('careless-07', 'sshd-permit-root-login');
    await expect(detail).toHaveAttribute('data-verdict', 'fail');
    await expect(results.detailActual()).toContainText(/yes/i);
    await expect(results.detailEvidence().first()).toContainText(/permitrootlogin/i);
    await expect(results.detailFacts().first()).toBeVisible();
    await shot('check-detail');
    await results.closeDetail();

    // Host detail of one name: its failures are this run's failing rows.
    await results.clearFilters();
    await results.toggleVerdict('fail');
    await results.filterHostIds([ids[6]!]);
    const fails = await results.matchCount();
    expect(fails).toBe(c.fail! / 12);
    const host = await results.openHost('careless-07');
    await expect(host.getByTestId('host-detail-failure')).toHaveCount(fails);
    await expect(host.locator('[data-check-id="sshd-permit-root-login"]')).toHaveCount(1);
  });
});
