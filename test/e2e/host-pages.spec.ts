/**
 * An engagement of more hosts than one page of the host list: the Hosts screen says how many there are, reads them
 * a page at a time as asked and reaches the last one; a jump host on a page not read yet is shown by name; the
 * scan set-up reads more hosts the same way. Needs no lab.
 */
import { test, expect } from './fixtures.js';
import { call } from './api.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { HostsPage } from './pages/HostsPage.js';
import { ScanPage } from './pages/ScanPage.js';

/** 1200 nodes plus a-first and zz-last: three pages of 500. a-first (page 1) jumps through zz-last (page 3). */
const NODES = 1200;
const TOTAL = NODES + 2;
const node = (i: number) => `node-${String(i).padStart(4, '0')}`;

test('the host table of a 1,202-host engagement shows the count, reads page after page and reaches the last host', async ({
  app,
  backend,
  shot,
}) => {
  const { id: engagementId } = await call(backend, 'engagement.create', { name: 'Large estate' });
  const rows = ['name,address,jump', 'zz-last,192.0.2.99,', 'a-first,192.0.2.1,zz-last'];
  for (let i = 0; i < NODES; i++) rows.push(`${node(i)},10.9.${i >> 8}.${i & 255},`);
  const imported = await call(backend, 'host.import', { engagementId, source: 'csv', content: rows.join('\n') });
  expect(imported.errors).toEqual([]);
  expect(imported.addedCount).toBe(TOTAL);

  await app.reload();
  await new EngagementsPage(app).open('Large estate');
  const hosts = new HostsPage(app);
  const count = app.getByTestId('host-count');
  const more = app.getByTestId('host-more');
  const bar = app.getByTestId('host-more-bar');

  await expect(count).toHaveAttribute('data-count', String(TOTAL));
  await expect(count).toContainText('1,202 hosts');
  await expect(hosts.rows).toHaveCount(500);
  await expect(bar).toContainText('Showing 500 of 1,202 hosts');
  // The jump host is on the last page, not read yet: its name comes with the first page.
  await expect(hosts.row('a-first').getByTestId('host-cell-jump')).toHaveText('zz-last');
  await expect(hosts.row('zz-last')).toHaveCount(0);
  await shot('hosts-paged');

  await more.click();
  await expect(hosts.rows).toHaveCount(1000);
  await expect(more).toHaveText('Show 202 more');
  await more.click();
  await expect(hosts.rows).toHaveCount(TOTAL);
  await expect(bar).toHaveCount(0);
  await expect(hosts.rows.last()).toHaveAttribute('data-host-name', 'zz-last');
  await expect(hosts.row(node(NODES - 1))).toHaveCount(1);

  // A change reads the list again as far as it was read: the place in the table stays.
  await hosts.remove(node(0));
  await expect(count).toHaveAttribute('data-count', String(TOTAL - 1));
  await expect(hosts.rows).toHaveCount(TOTAL - 1);
  await expect(hosts.rows.last()).toHaveAttribute('data-host-name', 'zz-last');

  // The scan set-up reads the engagement's hosts a page at a time too, and says how many there are in all.
  const scan = new ScanPage(app);
  await scan.goto();
  await expect(app.getByTestId('scan-host-row')).toHaveCount(500);
  await expect(app.getByTestId('scan-hosts')).toContainText('1,201 in all');
  await app.getByTestId('scan-host-more').click();
  await expect(app.getByTestId('scan-host-row')).toHaveCount(1000);
});
