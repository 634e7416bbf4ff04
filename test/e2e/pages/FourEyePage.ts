/**
 * Page objects of the four-eye workflow: the sign-in panel and person switcher (`People`), the Findings screen and
 * its editor (`FindingsPage`), the review queue and approval dialog (`ReviewPage`) and the audit trail (`AuditPage`).
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { cssString } from './ScanPage.js';

export interface PersonData {
  name: string;
  role: string;
  email: string;
  passphrase: string;
}

export class People {
  readonly panel: Locator;
  readonly switcher: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('signin-panel');
    this.switcher = page.getByTestId('person-switcher');
  }

  /** Open the sign-in panel from the switcher. */
  async open(): Promise<void> {
    if ((await this.panel.count()) === 0) await this.page.getByTestId('person-switch').click();
    await expect(this.panel).toBeVisible();
  }

  person(name: string): Locator {
    return this.panel.locator(`[data-testid="signin-person"][data-person=${cssString(name)}]`);
  }

  /** Add a person through the panel (open). */
  async add(p: PersonData): Promise<void> {
    if ((await this.page.getByTestId('person-add-form').count()) === 0) await this.page.getByTestId('person-add-open').click();
    await this.page.getByTestId('person-add-name').fill(p.name);
    await this.page.getByTestId('person-add-role').fill(p.role);
    await this.page.getByTestId('person-add-email').fill(p.email);
    await this.page.getByTestId('person-add-passphrase').fill(p.passphrase);
    await this.page.getByTestId('person-add-passphrase-again').fill(p.passphrase);
    await this.page.getByTestId('person-add-submit').click();
    await expect(this.person(p.name)).toBeVisible();
  }

  /** Sign in as a listed person; the panel closes and the switcher names them. */
  async signIn(p: PersonData): Promise<void> {
    await this.open();
    await this.person(p.name).locator('input').check();
    await this.page.getByTestId('signin-passphrase').fill(p.passphrase);
    await this.page.getByTestId('signin-submit').click();
    await expect(this.panel).toHaveCount(0);
    await expect(this.switcher).toHaveAttribute('data-person', p.name);
  }

  /** Sign in, adding the person first when the workstation does not know them yet. */
  async signInOrAdd(p: PersonData): Promise<void> {
    await this.open();
    await expect(this.page.getByTestId('signin-people').or(this.page.getByTestId('person-add-form'))).toBeVisible();
    if ((await this.person(p.name).count()) === 0) await this.add(p);
    await this.signIn(p);
  }

  /** Close the panel, staying as whoever is signed in (or read-only). */
  async close(): Promise<void> {
    await this.page.getByTestId('signin-continue').click();
    await expect(this.panel).toHaveCount(0);
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId('person-sign-out').click();
    await expect(this.panel).toBeVisible();
    await this.close();
    await expect(this.switcher).toHaveAttribute('data-person', '');
  }
}

export class FindingsPage {
  readonly screen: Locator;
  readonly rows: Locator;
  readonly editor: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('screen-findings');
    this.rows = page.getByTestId('finding-row');
    this.editor = page.getByTestId('finding-editor');
  }

  async goto(): Promise<void> {
    await this.page.getByTestId('nav-findings').click();
    await expect(this.screen).toBeVisible();
    await expect(this.page.getByTestId('finding-list')).toHaveAttribute('aria-busy', 'false');
  }

  row(key: string): Locator {
    return this.page.locator(`[data-testid="finding-row"][data-key=${cssString(key)}]`);
  }

  /** Open a finding in the editor (by its check id); an editor open before is closed first. */
  async open(key: string): Promise<void> {
    await this.close();
    await this.row(key).getByTestId('finding-open').click();
    await expect(this.editor).toHaveAttribute('data-finding-id', (await this.row(key).getAttribute('data-finding-id'))!);
  }

  /** Close the editor (a drawer over the list) when it is open. */
  async close(): Promise<void> {
    if ((await this.editor.count()) === 0) return;
    await this.editor.getByTestId('finding-close').click();
    await expect(this.editor).toHaveCount(0);
  }

  async revision(): Promise<number> {
    return Number(await this.editor.getAttribute('data-revision'));
  }

  field(name: string): Locator {
    return this.editor.getByTestId(`finding-${name}`);
  }

  /** Save the form and wait for the new revision. */
  async save(): Promise<void> {
    const before = await this.revision();
    await this.field('save').click();
    await expect(this.editor).not.toHaveAttribute('data-revision', String(before));
  }

  async select(keys: readonly string[]): Promise<void> {
    await this.close();
    for (const k of keys) await this.row(k).getByTestId('finding-select').check();
  }

  outcomes(): Locator {
    return this.page.getByTestId('finding-bulk-outcome');
  }

  outcome(findingId: string): Locator {
    return this.page.locator(`[data-testid="finding-bulk-outcome"][data-finding-id=${cssString(findingId)}]`);
  }

  preview(): Locator {
    return this.editor.getByTestId('finding-notes-preview');
  }

  approvals(): Locator {
    return this.editor.getByTestId('finding-approval');
  }

  history(): Locator {
    return this.editor.getByTestId('finding-change');
  }
}

export class ReviewPage {
  readonly screen: Locator;
  readonly rows: Locator;
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('screen-review');
    this.rows = page.getByTestId('review-row');
    this.dialog = page.getByTestId('approval-dialog');
  }

  async goto(): Promise<void> {
    await this.page.getByTestId('nav-review').click();
    await expect(this.screen).toBeVisible();
    await expect(this.page.getByTestId('review-queue')).toHaveAttribute('aria-busy', 'false');
  }

  row(findingId: string): Locator {
    return this.page.locator(`[data-testid="review-row"][data-finding-id=${cssString(findingId)}]`);
  }

  async open(findingId: string): Promise<void> {
    await this.row(findingId).getByTestId('review-open').click();
    await expect(this.dialog).toHaveAttribute('data-finding-id', findingId);
    await expect(this.dialog).not.toHaveAttribute('data-content-hash', '');
  }

  async approve(): Promise<void> {
    await this.dialog.getByTestId('approval-approve').click();
  }

  async close(): Promise<void> {
    await this.dialog.getByTestId('approval-close').click();
    await expect(this.dialog).toHaveCount(0);
  }
}

export class AuditPage {
  readonly screen: Locator;
  readonly events: Locator;
  readonly report: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('screen-audit');
    this.events = page.getByTestId('audit-event');
    this.report = page.getByTestId('audit-report');
  }

  async goto(): Promise<void> {
    await this.page.getByTestId('nav-audit').click();
    await expect(this.screen).toBeVisible();
    await expect(this.page.getByTestId('audit-list')).toHaveAttribute('aria-busy', 'false');
  }

  event(action: string, objectId: string): Locator {
    return this.page.locator(
      `[data-testid="audit-event"][data-action=${cssString(action)}][data-object-id=${cssString(objectId)}]`,
    );
  }

  async verify(): Promise<void> {
    await this.page.getByTestId('audit-verify').click();
    await expect(this.report).toBeVisible();
  }
}
