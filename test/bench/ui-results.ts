/**
 * UI part of `npm run bench`: the results table with 25,024 results (272 hosts x the 92 catalogue checks) against
 * a baseline of one host (92 results), in Debian's Chromium, the real backend and the real renderer build, in the
 * same run. Reports medians of N rounds (BENCH_UI_ROUNDS, default 3, at most 10), ratios to the baseline, and how
 * many row elements the page holds (virtualisation). Writes test-results/bench/ui-results.json.
 *
 * Bounded: every wait gives up after 30 s, and no new round starts after BENCH_UI_BUDGET_S (default 100 s).
 * FOUREYES_E2E_SKIP_BUILD=1 uses the renderer build in FOUREYES_RENDERER_DIR (or renderer/dist) as it is.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startBackend, type Backend } from '../e2e/backend.js';
import { call } from '../e2e/api.js';
import type { MethodInput } from '../../shared/api/contract.js';
import { buildBenchWorkspace, type BenchWorkspace } from './ui/workspace.js';
import { measureRound, type RoundFigures, type Target } from './ui/measure.js';
import { printReport, ratios, side, writeReport, type UiBenchReport } from './ui/report.js';

const ESTATE_HOSTS = 272;
const TEXT = 'sshd';
const ROUNDS = Math.min(10, Math.max(1, Number(process.env.BENCH_UI_ROUNDS ?? 3) || 3));
const BUDGET_MS = Math.max(10, Number(process.env.BENCH_UI_BUDGET_S ?? 100) || 100) * 1000;
const CHROMIUM = process.env.FOUREYES_CHROMIUM ?? '/usr/bin/chromium';

/** Builds the renderer into its own folder (the bench measures the code as it is now). */
function rendererDir(tmp: string): string {
  if (process.env.FOUREYES_E2E_SKIP_BUILD === '1')
    return process.env.FOUREYES_RENDERER_DIR ?? path.resolve('renderer', 'dist');
  const dir = path.join(tmp, 'renderer');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    env: { ...process.env, FOUREYES_RENDERER_DIR: dir },
    stdio: 'inherit',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`renderer build failed (exit ${r.status ?? r.signal})`);
  return dir;
}

/** What the table must show, asked of the API itself. */
async function target(label: string, b: Backend, w: BenchWorkspace): Promise<Target> {
  const count = async (filter: MethodInput<'results.query'>['filter']) =>
    (await call(b, 'results.query', { scanId: w.scanId, filter, paging: { offset: 0, limit: 1 } })).total;
  const total = await count({});
  if (total !== w.results)
    throw new Error(`${label}: the API counts ${total} results, ${w.results} were written`);
  return {
    label,
    url: b.url,
    origin: b.origin,
    engagementId: w.engagementId,
    scanId: w.scanId,
    total,
    failTotal: await count({ verdicts: ['fail'] }),
    text: TEXT,
    textTotal: await count({ verdicts: ['fail'], text: TEXT }),
  };
}

export async function runUiBench(): Promise<UiBenchReport> {
  const started = performance.now();
  const tmp = mkdtempSync(path.join(tmpdir(), 'foureyes-bench-ui-'));
  const backends: Backend[] = [];
  try {
    const base = buildBenchWorkspace(path.join(tmp, 'baseline.sqlite'), 1);
    const estate = buildBenchWorkspace(path.join(tmp, 'estate.sqlite'), ESTATE_HOSTS);
    console.log(
      `workspaces: ${base.results} and ${estate.results} results written in ${(base.buildMs + estate.buildMs).toFixed(0)} ms`,
    );
    const staticDir = rendererDir(tmp);
    const start = (w: BenchWorkspace) =>
      startBackend({ FOUREYES_WORKSPACE: w.path, FOUREYES_RENDERER_DIR: staticDir });
    const [bb, be] = await Promise.all([start(base), start(estate)]);
    backends.push(bb, be);
    const tBase = await target('baseline', bb, base);
    const tEstate = await target('estate', be, estate);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    const rBase: RoundFigures[] = [];
    const rEstate: RoundFigures[] = [];
    try {
      for (let i = 0; i < ROUNDS; i++) {
        if (i > 0 && performance.now() - started > BUDGET_MS) {
          console.log(`time budget reached after ${i} round(s)`);
          break;
        }
        // Alternate the order so neither side always runs on a warmer machine.
        const order: [Target, RoundFigures[]][] = [
          [tBase, rBase],
          [tEstate, rEstate],
        ];
        if (i % 2 === 1) order.reverse();
        for (const [t, out] of order) out.push(await measureRound(browser, t, i));
        console.log(`round ${i + 1}/${ROUNDS} done`);
      }
      const baseline = side('baseline', base.hosts, base.results, rBase);
      const est = side('estate', estate.hosts, estate.results, rEstate);
      return {
        date: new Date().toISOString(),
        browser: `Chromium ${browser.version()}`,
        rounds: rBase.length,
        text: TEXT,
        baseline,
        estate: est,
        ratio: ratios(baseline, est),
        wallMs: performance.now() - started,
      };
    } finally {
      await browser.close();
    }
  } finally {
    await Promise.all(backends.map((b) => b.stop()));
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Runs the UI part, prints the table and writes the JSON file. */
export async function uiBenchMain(): Promise<void> {
  const report = await runUiBench();
  printReport(report);
  console.log(`written: ${path.relative(process.cwd(), writeReport(report))}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  uiBenchMain().catch((e: unknown) => {
    console.error(`bench ui: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
