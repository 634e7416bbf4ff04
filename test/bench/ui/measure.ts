/**
 * One round of the UI benchmark against one running backend: open the results of the scan in a fresh browser
 * context and time, in the page, what a consultant waits for (see probe.js for how a time is taken).
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

/** A backend serving a workspace, and what its results table must show (totals asked of the API). */
export interface Target {
  label: string;
  /** Start-up URL with the token (signs the browser context in). */
  url: string;
  origin: string;
  engagementId: string;
  scanId: string;
  total: number;
  failTotal: number;
  /** Free text typed after verdict=fail, and the rows matching both. */
  text: string;
  textTotal: number;
}

export interface RoundFigures {
  /** Navigation start to the first result row painted. */
  firstRowMs: number;
  /** Scroll to the end of the unfiltered table to the last row painted with its data. */
  scrollEndMs: number;
  /** Click on the fail count to the table painted with the fail total and only failing rows. */
  filterFailMs: number;
  /** Typing the text (one input event; the screen waits for typing to settle first) to its total painted. */
  filterTextMs: number;
  /** Most row elements in the page at any measured moment (virtualisation keeps this small). */
  domRowsMax: number;
}

const PROBE = fileURLToPath(new URL('./probe.js', import.meta.url));
const WAIT_MS = 30_000;

interface Measured {
  ms: number;
  domRows: number;
}
/** The probe's API as seen from here (it runs in the page; no DOM types needed on this side). */
interface ProbeWindow {
  __feBench: {
    watch(
      id: string,
      name: string,
      arg: unknown,
      from: 'navigation' | 'now' | 'user',
      timeoutMs: number,
    ): void;
    result(id: string): Promise<Measured>;
    scrollToEnd(): void;
    domRows(): number;
  };
}

async function result(page: Page, id: string): Promise<Measured> {
  return page.evaluate((i) => (globalThis as unknown as ProbeWindow).__feBench.result(i), id);
}

async function watch(
  page: Page,
  id: string,
  name: string,
  arg: unknown,
  from: 'now' | 'user',
): Promise<void> {
  await page.evaluate(
    ([i, n, a, f, t]) => (globalThis as unknown as ProbeWindow).__feBench.watch(i, n, a, f, t),
    [id, name, arg, from, WAIT_MS] as [string, string, unknown, 'now' | 'user', number],
  );
}

export async function measureRound(browser: Browser, t: Target, round: number): Promise<RoundFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript({ path: PROBE });
    const page = await context.newPage();
    await page.goto(t.url); // exchanges the token for the session cookie
    // A full load of the results screen (a new query string makes it a navigation, not a hash change).
    await page.goto(`${t.origin}/?round=${round}#/results/${t.engagementId}/${t.scanId}`);
    const first = await result(page, 'first');
    const total = Number(await page.getByTestId('results-table').getAttribute('data-total'));
    if (total !== t.total) throw new Error(`${t.label}: the table shows ${total} rows, the API ${t.total}`);

    await page.evaluate(
      ([index, ms]) => {
        const p = (globalThis as unknown as ProbeWindow).__feBench;
        p.watch('end', 'row', { index }, 'now', ms);
        p.scrollToEnd();
      },
      [t.total - 1, WAIT_MS] as [number, number],
    );
    const end = await result(page, 'end');

    await watch(page, 'fail', 'total', { total: t.failTotal, verdict: 'fail' }, 'user');
    await page.getByTestId('results-count-fail').click();
    const fail = await result(page, 'fail');

    await watch(page, 'text', 'total', { total: t.textTotal, verdict: 'fail' }, 'user');
    await page.getByTestId('results-filter-text').fill(t.text);
    const text = await result(page, 'text');

    const domNow = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__feBench.domRows());
    return {
      firstRowMs: first.ms,
      scrollEndMs: end.ms,
      filterFailMs: fail.ms,
      filterTextMs: text.ms,
      domRowsMax: Math.max(first.domRows, end.domRows, fail.domRows, text.domRows, domNow),
    };
  } finally {
    await context.close();
  }
}
