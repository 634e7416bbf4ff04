/** Figures of the UI benchmark: medians over rounds, ratios to the baseline, the printed table and the JSON file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RoundFigures } from './measure.js';

export const MEASURES = ['firstRowMs', 'scrollEndMs', 'filterFailMs', 'filterTextMs'] as const;
export type Measure = (typeof MEASURES)[number];

const LABELS: Record<Measure, string> = {
  firstRowMs: 'navigation -> first row painted',
  scrollEndMs: 'scroll to end -> last row painted',
  filterFailMs: 'verdict=fail -> filtered total painted',
  filterTextMs: 'free text -> filtered total painted',
};

export interface SideFigures {
  label: string;
  hosts: number;
  results: number;
  /** Median over the rounds, ms. */
  median: Record<Measure, number>;
  rounds: RoundFigures[];
  domRowsMax: number;
}

export interface UiBenchReport {
  date: string;
  browser: string;
  rounds: number;
  text: string;
  baseline: SideFigures;
  estate: SideFigures;
  /** estate median / baseline median. */
  ratio: Record<Measure, number>;
  /** Whole run, including building the workspaces and the renderer. */
  wallMs: number;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function side(label: string, hosts: number, results: number, rounds: RoundFigures[]): SideFigures {
  const med = Object.fromEntries(MEASURES.map((k) => [k, median(rounds.map((r) => r[k]))])) as Record<
    Measure,
    number
  >;
  return {
    label,
    hosts,
    results,
    median: med,
    rounds,
    domRowsMax: Math.max(...rounds.map((r) => r.domRowsMax)),
  };
}

export function ratios(base: SideFigures, estate: SideFigures): Record<Measure, number> {
  return Object.fromEntries(
    MEASURES.map((k) => [k, estate.median[k] / Math.max(1, base.median[k])]),
  ) as Record<Measure, number>;
}

export function printReport(r: UiBenchReport): void {
  const b = r.baseline;
  const e = r.estate;
  const col = (s: string, n: number) => s.padStart(n);
  console.log(
    `\nresults table in ${r.browser}, 1280x800, median of ${r.rounds} round(s); free text "${r.text}"`,
  );
  console.log(
    `${'measure'.padEnd(40)}${col(`${b.hosts} x 92 (${b.results})`, 18)}${col(`${e.hosts} x 92 (${e.results})`, 22)}${col('ratio', 9)}`,
  );
  for (const k of MEASURES) {
    console.log(
      `${LABELS[k].padEnd(40)}${col(`${b.median[k].toFixed(0)} ms`, 18)}${col(`${e.median[k].toFixed(0)} ms`, 22)}${col(`${r.ratio[k].toFixed(2)}x`, 9)}`,
    );
  }
  console.log(
    `${'row elements in the page (max)'.padEnd(40)}${col(String(b.domRowsMax), 18)}${col(String(e.domRowsMax), 22)}`,
  );
  console.log(
    `\n${e.results} results: ${e.domRowsMax} row elements in the page at most (${((100 * e.domRowsMax) / e.results).toFixed(2)} %); whole UI run ${(r.wallMs / 1000).toFixed(1)} s`,
  );
}

/** Writes the report as JSON; returns the file's path. */
export function writeReport(r: UiBenchReport, dir = path.resolve('test-results', 'bench')): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'ui-results.json');
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}
