/** Page object of the Scan screen: set up (hosts, checks, secrets), start, follow the host runs, cancel, history. */
import { expect, type Locator, type Page } from '@playwright/test';

export type RunState =
  'queued' | 'connecting' | 'collecting' | 'evaluating' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** A CSS attribute-selector string for any text (names from targets may hold quotes, backslashes, controls). */
export function cssString(s: string): string {
  return `"${[...s].map((ch) => (/^[\w .:@/-]$/u.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16)} `)).join('')}"`;
}

export class ScanPage {
  readonly screen: Locator;
  readonly hostRows: Locator;
  readonly startButton: Locator;
  readonly checkCount: Locator;
  readonly live: Locator;
  readonly runs: Locator;
  readonly historyRows: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('screen-scan');
    this.hostRows = page.getByTestId('scan-host-row');
    this.startButton = page.getByTestId('scan-start');
    this.checkCount = page.getByTestId('scan-check-count');
    this.live = page.getByTestId('scan-live');
    this.runs = page.getByTestId('scan-run');
    this.historyRows = page.getByTestId('scan-history-row');
  }

  /** Open the Scan screen of the engagement that is open. */
  async goto(): Promise<void> {
    await this.page.getByTestId('nav-scan').click();
    await expect(this.screen).toBeVisible();
  }

  /** The setup row of one host (by its name). */
  hostRow(name: string): Locator {
    return this.page.locator(`[data-testid="scan-host-row"][data-host=${cssString(name)}]`);
  }

  /** Choose exactly these hosts (by name). */
  async chooseHosts(names: readonly string[]): Promise<void> {
    await this.page.getByTestId('scan-hosts-none').click();
    for (const n of names) await this.hostRow(n).getByTestId('scan-host-check').check();
  }

  async chooseAllHosts(): Promise<void> {
    await this.page.getByTestId('scan-hosts-all').click();
  }

  /** Tick or untick a check family (aaa, hardening, ...). */
  async setFamily(family: string, on: boolean): Promise<void> {
    await this.page.getByTestId(`scan-family-${family}`).setChecked(on);
  }

  async setMinSeverity(severity: string): Promise<void> {
    await this.page.getByTestId('scan-min-severity').selectOption(severity);
  }

  /** Number of checks the current selection gives (waits for the catalogue). */
  async selectedCheckCount(): Promise<number> {
    await expect(this.checkCount).not.toHaveAttribute('data-count', '');
    return Number(await this.checkCount.getAttribute('data-count'));
  }

  /** The secret fields' row of one host (by its name). */
  credRow(hostName: string): Locator {
    return this.page.locator(`[data-testid="scan-cred-row"][data-host=${cssString(hostName)}]`);
  }

  /** The note above the secret fields: whether secrets can be stored here, and why (data-persistent). */
  secretStorageNote(): Locator {
    return this.page.getByTestId('scan-creds-storage');
  }

  /** Every "Remember (encrypted by the OS keychain)" checkbox of the secret fields. */
  rememberBoxes(): Locator {
    return this.page.locator('[data-testid="scan-creds"] [data-testid$="-remember"]');
  }

  /** Every "stored" mark of the secret fields. */
  storedMarks(): Locator {
    return this.page.locator('[data-testid="scan-creds"] [data-testid$="-stored"]');
  }

  /** Type a secret for one host: login (password or key passphrase) or sudo. */
  async fillSecret(hostName: string, purpose: 'login' | 'sudo', secret: string): Promise<void> {
    const row = this.page.locator(`[data-testid="scan-cred-row"][data-host=${cssString(hostName)}]`);
    await row.getByTestId(purpose === 'login' ? 'scan-cred-login' : 'scan-cred-sudo').fill(secret);
  }

  /** Press Start and wait for the live view of the new scan; returns its id. */
  async start(): Promise<string> {
    const before = (await this.live.count()) > 0 ? await this.live.getAttribute('data-scan-id') : null;
    await expect(this.startButton).toBeEnabled();
    await this.startButton.click();
    await expect(this.live).toBeVisible();
    if (before) await expect(this.live).not.toHaveAttribute('data-scan-id', before);
    return (await this.live.getAttribute('data-scan-id'))!;
  }

  /** The live row of one host run (by host name). */
  run(hostName: string): Locator {
    return this.page.locator(`[data-testid="scan-run"][data-host=${cssString(hostName)}]`);
  }

  async expectRunState(hostName: string, state: RunState | RegExp, timeout?: number): Promise<void> {
    await expect(this.run(hostName)).toHaveAttribute(
      'data-state',
      state,
      timeout !== undefined ? { timeout } : {},
    );
  }

  /** Wait until the scan shown live is no longer running; returns its final state. */
  async waitForScanEnd(timeout = 120_000): Promise<string> {
    await expect(this.live).not.toHaveAttribute('data-state', 'running', { timeout });
    return (await this.live.getAttribute('data-state'))!;
  }

  /** The live scan's state in words (data-state: the scan's, data-tone: its outcome). */
  liveState(): Locator {
    return this.page.getByTestId('scan-live-state');
  }

  /** "failed while connecting": where a run that did not end done stopped. */
  runStopped(hostName: string): Locator {
    return this.run(hostName).getByTestId('scan-run-stopped');
  }

  /** The progress bar of a run (aria-valuenow: percent of the steps reached). */
  runBar(hostName: string): Locator {
    return this.run(hostName).getByRole('progressbar');
  }

  /** A history row's state in words, and its failed hosts with their reasons. */
  historyState(scanId: string): Locator {
    return this.historyRow(scanId).getByTestId('scan-history-state');
  }
  historyFailures(scanId: string): Locator {
    return this.historyRow(scanId).getByTestId('scan-history-failure');
  }

  /** Error message shown for a failed run. */
  runError(hostName: string): Locator {
    return this.run(hostName).getByTestId('scan-run-error');
  }

  /** Last note from the progress events for a run. */
  runDetail(hostName: string): Locator {
    return this.run(hostName).getByTestId('scan-run-detail');
  }

  async cancel(): Promise<void> {
    await this.page.getByTestId('scan-cancel').click();
  }

  /** Open the results of the scan shown live. */
  async openResults(): Promise<void> {
    await this.page.getByTestId('scan-open-results').click();
    await expect(this.page.getByTestId('screen-results')).toBeVisible();
  }

  historyRow(scanId: string): Locator {
    return this.page.locator(`[data-testid="scan-history-row"][data-scan-id=${cssString(scanId)}]`);
  }

  /** Open the results of one scan from the history. */
  async openFromHistory(scanId: string): Promise<void> {
    await this.historyRow(scanId).getByTestId('scan-history-results').click();
    await expect(this.page.getByTestId('screen-results')).toHaveAttribute('data-scan-id', scanId);
  }
}
