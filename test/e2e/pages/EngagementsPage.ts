/** Page object of the Engagements screen. */
import { expect, type Locator, type Page } from '@playwright/test';

export class EngagementsPage {
  readonly screen: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('screen-engagements');
    this.rows = page.getByTestId('engagement-row');
  }

  async goto(): Promise<void> {
    await this.page.getByTestId('nav-engagements').click();
    await expect(this.screen).toBeVisible();
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByTestId('engagement-open').filter({ hasText: name }) });
  }

  async create(name: string, customer?: string, description?: string): Promise<void> {
    await this.page.getByTestId('engagement-name').fill(name);
    if (customer) await this.page.getByTestId('engagement-customer').fill(customer);
    if (description) await this.page.getByTestId('engagement-description').fill(description);
    await this.page.getByTestId('engagement-create').click();
    await expect(this.page.getByTestId('screen-hosts')).toBeVisible();
  }

  async open(name: string): Promise<void> {
    await this.row(name).getByTestId('engagement-open').click();
    await expect(this.page.getByTestId('screen-hosts')).toBeVisible();
  }

  async archive(name: string): Promise<void> {
    this.page.once('dialog', (d) => void d.accept());
    await this.row(name).getByTestId('engagement-archive').click();
  }
}
