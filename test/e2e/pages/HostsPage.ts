/** Page object of the Hosts screen: inventory table, add/edit form, import panel and host key checks. */
import { expect, type Locator, type Page } from '@playwright/test';

/** Form fields; anything left out keeps its current value (the defaults when adding). */
export interface HostFields {
  name?: string;
  address?: string;
  port?: number | string;
  user?: string;
  auth?: 'key' | 'agent' | 'password';
  /** Private key file (auth 'key'). */
  keyPath?: string;
  /** Agent socket (auth 'agent'). */
  socket?: string;
  /** Jump host by name; null for none. */
  jumpHost?: string | null;
  privilege?: 'auto' | 'none' | 'sudo';
  /** Comma separated. */
  tags?: string;
  notes?: string;
}

export type ImportSourceValue = 'csv' | 'ansible-ini' | 'ansible-yaml' | 'ssh_config';
export type KeyStatus = 'match' | 'mismatch' | 'unknown' | 'revoked';

/** `[data-x="value"]` with the value quoted safely. */
const attr = (name: string, value: string): string => `[${name}=${JSON.stringify(value)}]`;

export class HostsPage {
  readonly screen: Locator;
  readonly rows: Locator;
  readonly form: Locator;
  readonly formError: Locator;
  readonly importPanel: Locator;
  /** Parsed hosts of the import preview. */
  readonly previewHosts: Locator;
  /** Problems of the import preview (each with data-line). */
  readonly previewErrors: Locator;
  /** Hosts the last import added. */
  readonly importedHosts: Locator;
  readonly archivedNote: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('screen-hosts');
    this.rows = page.getByTestId('host-row');
    this.form = page.getByTestId('host-form');
    this.formError = page.getByTestId('host-form-error');
    this.importPanel = page.getByTestId('host-import-panel');
    this.previewHosts = page.getByTestId('host-import-preview-result').getByTestId('host-import-host');
    this.previewErrors = page.getByTestId('host-import-preview-result').getByTestId('host-import-error');
    this.importedHosts = page.getByTestId('host-import-added-item');
    this.archivedNote = page.getByTestId('hosts-archived-note');
  }

  async goto(): Promise<void> {
    await this.page.getByTestId('nav-hosts').click();
    await expect(this.screen).toBeVisible();
  }

  /** The table row of the host with this name. */
  row(name: string): Locator {
    return this.page.locator(`[data-testid="host-row"]${attr('data-host-name', name)}`);
  }

  async hostId(name: string): Promise<string> {
    const id = await this.row(name).getAttribute('data-host-id');
    if (!id) throw new Error(`no host row named ${name}`);
    return id;
  }

  /** Pinned fingerprint of the host as the table shows it ('' when none is accepted). */
  async pinned(name: string): Promise<string> {
    return (await this.row(name).getAttribute('data-pinned')) ?? '';
  }

  async fillForm(f: HostFields): Promise<void> {
    const p = this.page;
    if (f.name !== undefined) await p.getByTestId('host-name').fill(f.name);
    if (f.address !== undefined) await p.getByTestId('host-address').fill(f.address);
    if (f.port !== undefined) await p.getByTestId('host-port').fill(String(f.port));
    if (f.user !== undefined) await p.getByTestId('host-user').fill(f.user);
    if (f.auth !== undefined) await p.getByTestId('host-auth').selectOption(f.auth);
    if (f.keyPath !== undefined) await p.getByTestId('host-key-path').fill(f.keyPath);
    if (f.socket !== undefined) await p.getByTestId('host-agent-socket').fill(f.socket);
    if (f.jumpHost !== undefined) {
      const jump = p.getByTestId('host-jump');
      if (f.jumpHost === null) await jump.selectOption('');
      else await jump.selectOption({ label: f.jumpHost });
    }
    if (f.privilege !== undefined) await p.getByTestId('host-privilege').selectOption(f.privilege);
    if (f.tags !== undefined) await p.getByTestId('host-tags').fill(f.tags);
    if (f.notes !== undefined) await p.getByTestId('host-notes').fill(f.notes);
  }

  /** Opens the add form, fills it and submits; does not wait for the outcome (see add). */
  async submitNew(f: HostFields): Promise<void> {
    await this.page.getByTestId('host-add').click();
    await expect(this.form).toHaveAttribute('data-mode', 'add');
    await this.fillForm(f);
    await this.page.getByTestId('host-save').click();
  }

  /** Adds a host through the form and waits for its row. */
  async add(f: HostFields & { name: string }): Promise<void> {
    await this.submitNew(f);
    await expect(this.form).toBeHidden();
    await expect(this.row(f.name)).toHaveCount(1);
  }

  /** Edits a host through the form; `f.name` renames it. Waits until the form closed. */
  async edit(name: string, f: HostFields): Promise<void> {
    await this.row(name).getByTestId('host-edit').click();
    await expect(this.form).toHaveAttribute('data-mode', 'edit');
    await this.fillForm(f);
    await this.page.getByTestId('host-save').click();
    await expect(this.form).toBeHidden();
  }

  async remove(name: string): Promise<void> {
    this.page.once('dialog', (d) => void d.accept());
    await this.row(name).getByTestId('host-remove').click();
    await expect(this.row(name)).toHaveCount(0);
  }

  // ---- import ----

  async openImport(): Promise<void> {
    if (!(await this.importPanel.isVisible())) await this.page.getByTestId('host-import-open').click();
    await expect(this.importPanel).toBeVisible();
  }

  /** Chooses an inventory file through the file chooser (source guessed from the name unless given). */
  async chooseFile(fileName: string, text: string, source?: ImportSourceValue): Promise<void> {
    await this.openImport();
    await this.page
      .getByTestId('host-import-file')
      .setInputFiles({ name: fileName, mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') });
    await expect(this.page.getByTestId('host-import-text')).toHaveValue(text);
    if (source) await this.page.getByTestId('host-import-source').selectOption(source);
  }

  async paste(text: string, source: ImportSourceValue): Promise<void> {
    await this.openImport();
    await this.page.getByTestId('host-import-source').selectOption(source);
    await this.page.getByTestId('host-import-text').fill(text);
  }

  /** Runs the dry run and waits for its result. */
  async preview(): Promise<void> {
    await this.page.getByTestId('host-import-preview').click();
    await expect(this.page.getByTestId('host-import-preview-result')).toHaveAttribute('data-fresh', 'true');
  }

  /** Line numbers of the preview's problems (0 for a problem not tied to a line). */
  async previewErrorLines(): Promise<number[]> {
    const lines = await this.previewErrors.evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-line') ?? ''),
    );
    return lines.map((l) => (l === '' ? 0 : Number(l)));
  }

  /** Imports what the preview showed; returns the names of the hosts added. */
  async importPreviewed(): Promise<string[]> {
    await this.page.getByTestId('host-import-run').click();
    await expect(this.page.getByTestId('host-import-done')).toBeVisible();
    return this.importedHosts.evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
  }

  // ---- host keys ----

  keyPanel(name: string): Locator {
    return this.page.locator(`[data-testid="host-key-panel"]${attr('data-host-name', name)}`);
  }

  /**
   * Starts a key check from the host's row (or the panel's "Check again" when it is open) and waits for its end.
   * Returns the outcome: a status (match, unknown, mismatch, revoked) or 'failed'.
   */
  async checkHostKey(name: string): Promise<KeyStatus | 'failed'> {
    const panel = this.keyPanel(name);
    if (await panel.isVisible()) await panel.getByTestId('host-key-probe').click();
    else await this.row(name).getByTestId('host-check-key').click();
    await expect(panel).toBeVisible();
    await expect(panel).not.toHaveAttribute('data-state', 'probing', { timeout: 30_000 });
    return (await panel.getAttribute('data-status')) as KeyStatus | 'failed';
  }

  /** Fingerprint the host presented at the last check. */
  async presentedFingerprint(name: string): Promise<string> {
    const fp = await this.keyPanel(name).getByTestId('host-key-presented').getAttribute('data-fingerprint');
    if (!fp) throw new Error(`no presented fingerprint for ${name}`);
    return fp;
  }

  /** Fingerprints the last check listed as expected (mismatch only). */
  async expectedFingerprints(name: string): Promise<string[]> {
    return this.keyPanel(name)
      .getByTestId('host-key-expected-item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-fingerprint') ?? ''));
  }

  /** Accepts an unknown key and waits until the table shows it pinned. Returns the fingerprint. */
  async acceptHostKey(name: string): Promise<string> {
    const fp = await this.presentedFingerprint(name);
    await this.keyPanel(name).getByTestId('host-key-accept').click();
    await expect(this.keyPanel(name).getByTestId('host-key-accepted')).toBeVisible();
    await expect(this.row(name)).toHaveAttribute('data-pinned', fp);
    return fp;
  }

  /** Replaces a changed key: types `typed` as confirmation; the button works only when it is the host's name. */
  async replaceHostKey(name: string, typed: string = name): Promise<void> {
    const panel = this.keyPanel(name);
    const details = panel.locator('details.host-key-replace');
    if ((await details.getAttribute('open')) === null)
      await panel.getByTestId('host-key-replace-open').click();
    await panel.getByTestId('host-key-confirm-name').fill(typed);
    await panel.getByTestId('host-key-replace').click();
    await expect(panel.getByTestId('host-key-accepted')).toBeVisible();
  }

  async closeHostKey(name: string): Promise<void> {
    await this.keyPanel(name).getByTestId('host-key-close').click();
    await expect(this.keyPanel(name)).toHaveCount(0);
  }
}
