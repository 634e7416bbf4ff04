/**
 * Import part of `npm run bench` (`npm run bench -- import`): what one import at the limit (10,000 hosts, every
 * tenth a jump host of the nine after it) costs the rest of the application, through the compiled services in dist/
 * (as the workstation runs them) and the API dispatch. While it runs, `engagement.list` is called again and again,
 * each call sent when the one before was answered; reported: the import's wall time, how many of those calls were
 * answered meanwhile and the slowest of them, and the event loop's longest stall. Then host.list: one page of 1000
 * against reading the whole engagement the way host.list did before it had pages (its time and reply size).
 * Writes test-results/bench/import.json. Needs no lab and no root.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { createHandlers as CreateHandlers } from '../../main/api/handlers.js';
import type { Dispatch, createDispatch as CreateDispatch } from '../../main/api/registry.js';
import type { ServicesFactory } from '../../main/api/services.js';
import type { Workspace, openWorkspace as OpenWorkspace } from '../../main/store/db.js';
import { ensureBuilt } from '../support/build.js';
import { csvHosts } from '../unit/services/host-fixtures.js';
import { median } from './ui/report.js';

const HOSTS = 10_000;
const ROUNDS = 5;

async function dist<T>(module: string): Promise<T> {
  return (await import(pathToFileURL(path.resolve('dist', module)).href)) as T;
}

const ms = (x: number): number => Math.round(x * 10) / 10;

export async function importBenchMain(): Promise<void> {
  ensureBuilt();
  const { createServices } = await dist<{ createServices: ServicesFactory }>('main/services/index.js');
  const { createHandlers } = await dist<{ createHandlers: typeof CreateHandlers }>('main/api/handlers.js');
  const { createDispatch } = await dist<{ createDispatch: typeof CreateDispatch }>('main/api/registry.js');
  const { openWorkspace } = await dist<{ openWorkspace: typeof OpenWorkspace }>('main/store/db.js');
  const dir = mkdtempSync(path.join(tmpdir(), 'fe-bench-import-'));
  const workspacePath = path.join(dir, 'ws.sqlite');
  const services = await createServices({
    workspacePath,
    emit: () => undefined,
    mode: 'browser',
    secrets: { cipher: null, decision: { persistent: false, detail: 'bench' } },
  });
  const env = { name: 'foureyes', version: '0', mode: 'browser' as const, workspacePath, platform: process.platform, secretStorage: { persistent: false, detail: 'bench' } };
  const d: Dispatch = createDispatch(createHandlers(services, env), { error: () => undefined, warn: () => undefined });
  const ok = async <T>(method: string, input: unknown): Promise<T> => {
    const r = (await d(method, input, { transport: 'http' })) as { ok: boolean; value?: T; error?: { message: string } };
    if (!r.ok) throw new Error(`${method}: ${r.error?.message}`);
    return r.value as T;
  };
  try {
    const content = csvHosts(HOSTS, { jumpEvery: 10 });
    const runs: { importMs: number; answered: number; slowestCallMs: number; longestStallMs: number }[] = [];
    let engagementId = '';
    for (let round = 0; round < ROUNDS; round++) {
      engagementId = (await ok<{ id: string }>('engagement.create', { name: `Bench ${round}` })).id;
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      let done = false;
      let answered = 0;
      let slowest = 0;
      const t0 = performance.now();
      const importing = ok<{ addedCount: number }>('host.import', { engagementId, source: 'csv', content }).then((r) => {
        done = true;
        return r;
      });
      while (!done) {
        const s = performance.now();
        await ok('engagement.list', {});
        if (!done) {
          answered++;
          slowest = Math.max(slowest, performance.now() - s);
        }
        await new Promise((r) => setImmediate(r));
      }
      const r = await importing;
      const importMs = performance.now() - t0;
      loop.disable();
      if (r.addedCount !== HOSTS) throw new Error(`imported ${r.addedCount} hosts, not ${HOSTS}`);
      runs.push({ importMs: ms(importMs), answered, slowestCallMs: ms(slowest), longestStallMs: ms(loop.max / 1e6) });
    }
    const page: number[] = [];
    let pageBytes = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const s = performance.now();
      const p = await ok('host.list', { engagementId, paging: { offset: HOSTS - 1000, limit: 1000 } });
      page.push(performance.now() - s);
      pageBytes = Buffer.byteLength(JSON.stringify(p));
    }
    // host.list before pages: every host of the engagement and their last privileges, in one reply.
    const ws: Workspace = openWorkspace(workspacePath);
    const whole: number[] = [];
    let wholeBytes = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const s = performance.now();
      const hosts = ws.hosts.list(engagementId);
      const reply = JSON.stringify({ hosts, lastPrivileges: ws.hostRuns.lastPrivileges(hosts.map((h) => h.id)) });
      whole.push(performance.now() - s);
      wholeBytes = Buffer.byteLength(reply);
    }
    ws.close();
    const report = {
      hosts: HOSTS,
      rounds: ROUNDS,
      import: {
        medianMs: ms(median(runs.map((r) => r.importMs))),
        callsAnsweredMeanwhile: median(runs.map((r) => r.answered)),
        slowestCallMs: ms(median(runs.map((r) => r.slowestCallMs))),
        longestEventLoopStallMs: ms(median(runs.map((r) => r.longestStallMs))),
        runs,
      },
      hostList: {
        pageOf1000: { medianMs: ms(median(page)), bytes: pageBytes },
        wholeEngagement: { medianMs: ms(median(whole)), bytes: wholeBytes },
      },
    };
    console.log(
      `import of ${HOSTS} hosts: ${report.import.medianMs} ms; ${report.import.callsAnsweredMeanwhile} engagement.list ` +
        `calls answered meanwhile, the slowest in ${report.import.slowestCallMs} ms; longest event-loop stall ` +
        `${report.import.longestEventLoopStallMs} ms (medians of ${ROUNDS})`,
    );
    console.log(
      `host.list: a page of 1000 in ${report.hostList.pageOf1000.medianMs} ms, ${report.hostList.pageOf1000.bytes} bytes; ` +
        `the whole engagement in ${report.hostList.wholeEngagement.medianMs} ms, ${report.hostList.wholeEngagement.bytes} bytes`,
    );
    const file = path.resolve('test-results', 'bench', 'import.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
