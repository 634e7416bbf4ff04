/**
 * Page object of the Results screen: scan chooser, counts, filters, the virtualised table (only rows in view are in
 * the page), the check detail and the host detail.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { cssString } from './ScanPage.js';

/** Height of one table row in pixels (as the screen lays it out). */
const ROW_HEIGHT = 34;

export type VerdictName = 'pass' | 'fail' | 'not_applicable' | 'error' | 'manual';

export class ResultsPage {
  readonly screen: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly total: Locator;
  readonly checkDetail: Locator;
  readonly hostDetail: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('screen-results');
    this.table = page.getByTestId('results-table');
    this.rows = page.getByTestId('results-row');
    this.total = page.getByTestId('results-total');
    this.checkDetail = page.getByTestId('check-detail');
    this.hostDetail = page.getByTestId('host-detail');
  }

  async goto(): Promise<void> {
    await this.page.getByTestId('nav-results').click();
    await expect(this.screen).toBeVisible();
  }

  /** Show another scan of the engagement. */
  async chooseScan(scanId: string): Promise<void> {
    await this.page.getByTestId('results-scan').selectOption(scanId);
    await expect(this.screen).toHaveAttribute('data-scan-id', scanId);
  }

  /** Wait for the current query's first reply; returns the number of matching rows. */
  async matchCount(): Promise<number> {
    await expect(this.table).not.toHaveAttribute('data-total', '');
    return Number(await this.table.getAttribute('data-total'));
  }

  /** Wait until exactly `n` rows match the current filters. */
  async expectMatchCount(n: number): Promise<void> {
    await expect(this.table).toHaveAttribute('data-total', String(n));
  }

  /** The scan's count for one verdict (from the counts above the table). */
  async verdictCount(v: VerdictName): Promise<number> {
    return Number(await this.page.getByTestId(`results-count-${v}`).getAttribute('data-count'));
  }

  /** Toggle the verdict filter by its count button. */
  async toggleVerdict(v: VerdictName): Promise<void> {
    await this.page.getByTestId(`results-count-${v}`).click();
  }

  async toggleSeverity(s: string): Promise<void> {
    await this.page.getByTestId(`results-filter-severity-${s}`).click();
  }

  async toggleFamily(f: string): Promise<void> {
    await this.page.getByTestId(`results-filter-family-${f}`).click();
  }

  /** Type into the search box; resolves once the table shows that search (after the debounce). */
  async search(text: string): Promise<void> {
    await this.page.getByTestId('results-filter-text').fill(text);
    await expect(this.table).toHaveAttribute('data-text', text.trim());
  }

  /** Filter by these hosts (by their id; [] for all). */
  async filterHostIds(hostIds: readonly string[]): Promise<void> {
    await this.page.getByTestId('results-filter-host').selectOption([...hostIds]);
  }

  async clearFilters(): Promise<void> {
    await this.page.getByTestId('results-filter-clear').click();
    await expect(this.table).toHaveAttribute('data-text', '');
  }

  /** Sort, e.g. 'host:asc', 'severity:desc'; resolves once the sorted rows arrived. */
  async sortBy(value: string): Promise<void> {
    await this.page.getByTestId('results-sort').selectOption(value);
    await expect(this.table).toHaveAttribute('data-sort', value);
    await this.matchCount();
  }

  /** Attribute values of the rows in view (data-verdict, data-host, data-check-id, ...). */
  async visible(attr: string): Promise<string[]> {
    return this.rows.evaluateAll((els, a) => els.map((e) => e.getAttribute(a) ?? ''), attr);
  }

  /** The row of one check on one host, when it is in view. */
  row(host: string, checkId: string): Locator {
    return this.page.locator(
      `[data-testid="results-row"][data-host=${cssString(host)}][data-check-id=${cssString(checkId)}]`,
    );
  }

  /**
   * Bring the row of `checkId` on `host` into view (search narrows the table to the check id) and return it.
   * The search stays set; clearFilters() lifts it.
   */
  async findRow(host: string, checkId: string): Promise<Locator> {
    await this.search(checkId);
    await this.matchCount();
    const row = this.row(host, checkId);
    await this.scrollUntil(row);
    await expect(row).toHaveCount(1);
    return row;
  }

  /** Scroll the table from the top, a screenful at a time, until `target` is in the page (or the end is reached). */
  async scrollUntil(target: Locator): Promise<void> {
    const scroller = this.page.getByTestId('results-scroll');
    let top = 0;
    for (;;) {
      const at = await scroller.evaluate((el, y) => {
        el.scrollTop = y;
        return { top: el.scrollTop, max: el.scrollHeight - el.clientHeight, step: el.clientHeight - 40 };
      }, top);
      // Wait for the rows of this part of the table to be there with their data.
      const firstIndex = Math.floor(at.top / ROW_HEIGHT) + 1;
      if ((await this.matchCount()) > firstIndex)
        await expect(this.rows.and(this.page.locator(`[data-index="${firstIndex}"]`))).toHaveCount(1);
      if ((await target.count()) > 0 || at.top >= at.max) return;
      top = at.top + at.step;
    }
  }

  /** Open the check detail of `checkId` on `host` (found with findRow). */
  async openCheck(host: string, checkId: string): Promise<Locator> {
    const row = await this.findRow(host, checkId);
    await row.click();
    await expect(this.checkDetail).toHaveAttribute('data-check-id', checkId);
    return this.checkDetail;
  }

  /** Open the host detail from any row of that host in view. */
  async openHost(host: string): Promise<Locator> {
    await this.rows
      .and(this.page.locator(`[data-host=${cssString(host)}]`))
      .first()
      .getByTestId('results-row-host')
      .click();
    await expect(this.hostDetail).toHaveAttribute('data-host', host);
    return this.hostDetail;
  }

  /** Parts of the open check detail. */
  detailActual(): Locator {
    return this.checkDetail.getByTestId('check-detail-actual');
  }
  detailEvidence(): Locator {
    return this.checkDetail.getByTestId('check-detail-evidence');
  }
  detailFacts(): Locator {
    return this.checkDetail.getByTestId('check-detail-fact');
  }

  /** The scan's state in words next to the chooser (data-state: the scan's, data-tone: its outcome). */
  scanState(): Locator {
    return this.page.getByTestId('results-scan-state');
  }

  /** The row of a host that has no results (failed, cancelled, interrupted), above the table. */
  unassessed(host: string): Locator {
    return this.page.locator(`[data-testid="results-unassessed-host"][data-host=${cssString(host)}]`);
  }

  /** Open the host detail of a host without results, from its row. */
  async openUnassessed(host: string): Promise<Locator> {
    await this.unassessed(host).getByTestId('results-unassessed-open').click();
    await expect(this.hostDetail).toHaveAttribute('data-host', host);
    return this.hostDetail;
  }

  /** One field of the open host detail's "what the target says it is" (hostname, os, kernel, ssh-server, banner). */
  identity(field: 'name' | 'hostname' | 'os' | 'kernel' | 'ssh-server' | 'banner'): Locator {
    return this.hostDetail.getByTestId(`host-identity-${field}`);
  }

  /** Close the topmost detail with Escape. */
  async closeDetail(): Promise<void> {
    await this.page.keyboard.press('Escape');
  }

  /** Focus the table (for the keyboard). */
  async focusTable(): Promise<void> {
    await this.table.focus();
  }
}
