/**
 * Page object of the Results screen: scan chooser, counts, filters, the virtualised table (only rows in view are in
 * the page), the check detail and the host detail.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { cssString } from './ScanPage.js';

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

  /** Type into the search box (the query goes out after the debounce). */
  async search(text: string): Promise<void> {
    await this.page.getByTestId('results-filter-text').fill(text);
  }

  /** Filter by these hosts (by their id; [] for all). */
  async filterHostIds(hostIds: readonly string[]): Promise<void> {
    await this.page.getByTestId('results-filter-host').selectOption([...hostIds]);
  }

  async clearFilters(): Promise<void> {
    await this.page.getByTestId('results-filter-clear').click();
  }

  /** Sort, e.g. 'host:asc', 'severity:desc'. */
  async sortBy(value: string): Promise<void> {
    await this.page.getByTestId('results-sort').selectOption(value);
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
    const row = this.row(host, checkId);
    await expect(row).toHaveCount(1);
    return row;
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

  /** Close the topmost detail with Escape. */
  async closeDetail(): Promise<void> {
    await this.page.keyboard.press('Escape');
  }

  /** Focus the table (for the keyboard). */
  async focusTable(): Promise<void> {
    await this.table.focus();
  }
}
