/** Page object of the Dashboard screen. Figures are read from data-* attributes, never parsed from chart text. */
import { expect, type Locator, type Page } from '@playwright/test';

export interface StackFigures {
  pass: number;
  fail: number;
  error: number;
  manual: number;
  not_applicable: number;
}

export class DashboardPage {
  readonly screen: Locator;
  readonly body: Locator;
  readonly empty: Locator;
  readonly scanChooser: Locator;
  readonly hostsChart: Locator;
  readonly trendChart: Locator;
  readonly trendRows: Locator;
  readonly unscored: Locator;

  constructor(readonly page: Page) {
    this.screen = page.getByTestId('screen-dashboard');
    this.body = page.getByTestId('dashboard-body');
    this.empty = page.getByTestId('dashboard-empty');
    this.scanChooser = page.getByTestId('dashboard-scan');
    this.hostsChart = page.getByTestId('dashboard-hosts-chart');
    this.trendChart = page.getByTestId('dashboard-trend-chart');
    this.trendRows = page.getByTestId('dashboard-trend-row');
    this.unscored = page.getByTestId('dashboard-unscored-host');
  }

  async goto(): Promise<void> {
    await this.page.getByTestId('nav-dashboard').click();
    await expect(this.screen).toBeVisible();
  }

  /** Waits until the dashboard shows `scanId`. */
  async expectScan(scanId: string): Promise<void> {
    await expect(this.body).toHaveAttribute('data-scan-id', scanId);
  }

  async choose(scanId: string | null): Promise<void> {
    await this.scanChooser.selectOption(scanId ?? '');
  }

  /** The number drawn at the end of a host's bar. */
  hostScoreLabel(hostId: string): Locator {
    return this.page.locator(`[data-testid="dashboard-host-score"][data-host-id="${hostId}"]`);
  }

  /** The host's bar (the clickable rectangle) by its position in the worst-first order. */
  hostBar(index: number): Locator {
    return this.hostsChart.locator('.recharts-bar-rectangle').nth(index);
  }

  /** Host names on the chart axis, top (worst) first. */
  async axisLabels(): Promise<string[]> {
    return this.hostsChart
      .locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')
      .allTextContents();
  }

  /** Dots drawn on the trend line. */
  trendDots(): Locator {
    return this.trendChart.locator('.recharts-line-dots circle, .recharts-line-dot');
  }

  async headline(name: 'hosts-scanned' | 'score' | 'failed' | 'critical-high'): Promise<string> {
    return (await this.page.getByTestId(`dashboard-${name}`).getAttribute('data-value')) ?? '';
  }

  /** Counts of one row of the family or severity table (the chart's text alternative). */
  async stack(kind: 'family' | 'severity', name: string): Promise<StackFigures> {
    const row = this.page.locator(`[data-testid="dashboard-${kind}-row"][data-${kind}="${name}"]`);
    await expect(row).toHaveCount(1);
    const n = async (attr: string): Promise<number> => Number(await row.getAttribute(`data-${attr}`));
    return {
      pass: await n('pass'),
      fail: await n('fail'),
      error: await n('error'),
      manual: await n('manual'),
      not_applicable: await n('not-applicable'),
    };
  }

  /** "n failed" under the hosts scanned (absent when none failed). */
  hostsFailed(): Locator {
    return this.page.getByTestId('dashboard-hosts-failed');
  }

  /** A host without a score, with why (failed hosts: where and the reason). */
  unscoredHost(hostId: string): Locator {
    return this.unscored.and(this.page.locator(`[data-host-id="${hostId}"]`));
  }

  /** The shown scan's state in words beside the chooser. */
  scanState(): Locator {
    return this.page.getByTestId('dashboard-scan-state');
  }
}
