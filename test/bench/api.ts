/**
 * API part of `npm run bench` (`npm run bench -- api`): results.query, scan.get, scan.list and dashboard.summary on
 * a scan of 272 hosts x the catalogue's 92 checks (25,024 results) against a baseline of one host (92 results), both
 * built by buildBenchWorkspace with the same seed, in the same run. Every call takes the dispatch's path minus the
 * transport: input parsed by the contract (defaults applied), the service, output parsed by the contract.
 *
 * Two implementations answer each call: the services as they are, and the straightforward reference
 * (test/unit/services/api-reference.ts: read every row, filter, sort and page in JS), so the speed-up is measured on
 * the same machine in the same minute. Before timing, both answers of every case are compared and must be equal.
 *
 * Cases marked "with waivers" run the services with approved waivers applied (three checks on every host and 50
 * host+check pairs, given to the services as the overlay main/waivers/overlay.ts computes), against the reference
 * with its verdicts mapped in JS; only queries whose order and filters do not involve the verdict are compared so.
 *
 * Reports medians over BENCH_API_ROUNDS (default 7, at most 30) after one warm-up call, the ratio estate/baseline
 * and reference/current. Writes test-results/bench/api.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CONTRACT, type HandlerInput, type MethodInput, type MethodOutput } from '../../shared/api/contract.js';
import type { MethodName } from '../../shared/api/names.js';
import { loadCatalogue, type Catalogue } from '../../main/catalogue/load.js';
import { dashboardService } from '../../main/services/dashboard.js';
import { resultService } from '../../main/services/results.js';
import { scanService } from '../../main/services/scans.js';
import { openWorkspace, type Workspace } from '../../main/store/db.js';
import { coveringWaiver, type AppliedWaivers } from '../../main/waivers/overlay.js';
import {
  referenceDashboard,
  referenceQuery,
  referenceScanGet,
  referenceScanList,
} from '../unit/services/api-reference.js';
import { median } from './ui/report.js';
import { buildBenchWorkspace, type BenchWorkspace } from './ui/workspace.js';

const ESTATE_HOSTS = 272;
const ROUNDS = Math.min(30, Math.max(1, Number(process.env.BENCH_API_ROUNDS ?? 7) || 7));

type Impl = { [M in 'results.query' | 'scan.get' | 'scan.list' | 'dashboard.summary']: (i: HandlerInput<M>) => unknown };

function current(ws: Workspace, cat: Catalogue, waived?: AppliedWaivers): Impl {
  const overlay = () => waived ?? { allHosts: [], hostChecks: [], waivers: [] };
  const results = resultService(ws, cat, overlay);
  const scans = scanService(ws, cat, () => undefined, undefined, null, overlay);
  const dashboard = dashboardService(ws, cat, { overlay, expiringSoon: () => ({ count: 0, items: [] }) });
  return {
    'results.query': (i) => results.query(i),
    'scan.get': (i) => scans.get(i),
    'scan.list': (i) => scans.list(i),
    'dashboard.summary': (i) => dashboard.summary(i),
  };
}

/** Waivers of the workspace's first checks (on every host) and of 50 host+check pairs that did not pass. */
function benchWaivers(ws: Workspace, scanId: string): AppliedWaivers {
  const rows = ws.results.forScan(scanId, { limit: 20_000 });
  const checks = [...new Set(rows.map((r) => r.checkId))].sort();
  const allHosts = checks.slice(0, 3);
  const hostChecks = rows
    .filter((r) => r.hostId !== null && r.verdict === 'fail' && !allHosts.includes(r.checkId))
    .filter((_, i) => i % 7 === 0)
    .slice(0, 50)
    .map((r): [string, string] => [r.hostId!, r.checkId]);
  // The overlay's waivers as coveringWaiver reads them (check and host only).
  const waivers = [
    ...allHosts.map((checkId) => ({ checkId, hostId: null })),
    ...hostChecks.map(([hostId, checkId]) => ({ checkId, hostId })),
  ] as unknown as AppliedWaivers['waivers'];
  return { allHosts, hostChecks, waivers };
}

function reference(ws: Workspace, cat: Catalogue, waived?: AppliedWaivers): Impl {
  return {
    'results.query': (i) => {
      const page = referenceQuery(ws, cat, i);
      if (!waived) return page;
      return {
        ...page,
        items: page.items.map((r) => (coveringWaiver(waived, r.hostId, r.checkId, r.verdict as never) ? { ...r, verdict: 'waived' } : r)),
      };
    },
    'scan.get': (i) => referenceScanGet(ws, i),
    'scan.list': (i) => referenceScanList(ws, i),
    'dashboard.summary': (i) => referenceDashboard(ws, cat, i),
  };
}

interface Case {
  name: string;
  method: keyof Impl;
  input: (w: BenchWorkspace) => unknown;
  /** Run with the bench waivers applied (results.query without verdict filter or order only). */
  waived?: true;
}

const page = (offset: number) => ({ offset, limit: 1000 });
const CASES: Case[] = [
  { name: 'query: first page (severity desc)', method: 'results.query', input: (w) => ({ scanId: w.scanId, paging: page(0) }) },
  {
    name: 'query: middle page',
    method: 'results.query',
    input: (w) => ({ scanId: w.scanId, paging: page(Math.floor(w.results / 2000) * 1000) }),
  },
  {
    name: 'query: last page',
    method: 'results.query',
    input: (w) => ({ scanId: w.scanId, paging: page(Math.max(0, Math.floor((w.results - 1) / 1000) * 1000)) }),
  },
  {
    name: 'query: verdict fail',
    method: 'results.query',
    input: (w) => ({ scanId: w.scanId, filter: { verdicts: ['fail'] }, paging: page(0) }),
  },
  {
    name: 'query: fail + text "sshd"',
    method: 'results.query',
    input: (w) => ({ scanId: w.scanId, filter: { verdicts: ['fail'], text: 'sshd' }, paging: page(0) }),
  },
  {
    name: 'query: text "root" (all)',
    method: 'results.query',
    input: (w) => ({ scanId: w.scanId, filter: { text: 'root' }, paging: page(0) }),
  },
  {
    name: 'query: family aaa, by check',
    method: 'results.query',
    input: (w) => ({ scanId: w.scanId, filter: { families: ['aaa'] }, sort: { by: 'check', dir: 'asc' }, paging: page(0) }),
  },
  {
    name: 'query: by host asc, page 6',
    method: 'results.query',
    input: (w) => ({ scanId: w.scanId, sort: { by: 'host', dir: 'asc' }, paging: page(5000) }),
  },
  {
    name: 'query with waivers: first page',
    method: 'results.query',
    waived: true,
    input: (w) => ({ scanId: w.scanId, paging: page(0) }),
  },
  {
    name: 'query with waivers: by host, page 6',
    method: 'results.query',
    waived: true,
    input: (w) => ({ scanId: w.scanId, sort: { by: 'host', dir: 'asc' }, paging: page(5000) }),
  },
  {
    name: 'query with waivers: text "root"',
    method: 'results.query',
    waived: true,
    input: (w) => ({ scanId: w.scanId, filter: { text: 'root' }, paging: page(0) }),
  },
  { name: 'scan.get', method: 'scan.get', input: (w) => ({ scanId: w.scanId }) },
  { name: 'scan.list', method: 'scan.list', input: (w) => ({ engagementId: w.engagementId }) },
  { name: 'dashboard.summary', method: 'dashboard.summary', input: (w) => ({ engagementId: w.engagementId }) },
];

/** One call as the dispatch makes it: contract input parse, service, contract output parse. */
function call<M extends keyof Impl>(impl: Impl, method: M, raw: unknown): MethodOutput<M> {
  const spec = CONTRACT[method as MethodName];
  const input = spec.input.parse(raw as MethodInput<M>) as HandlerInput<M>;
  return spec.output.parse(impl[method](input)) as MethodOutput<M>;
}

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

interface Side {
  label: string;
  bench: BenchWorkspace;
  ws: Workspace;
  impls: { current: Impl; reference: Impl };
  waivedImpls: { current: Impl; reference: Impl };
}

interface Row {
  name: string;
  /** Medians in ms. */
  estateReference: number;
  estateCurrent: number;
  baselineReference: number;
  baselineCurrent: number;
}

export interface ApiBenchReport {
  date: string;
  rounds: number;
  estate: { hosts: number; results: number };
  baseline: { hosts: number; results: number };
  rows: Row[];
}

function measure(sides: { estate: Side; baseline: Side }): Row[] {
  const rows: Row[] = [];
  for (const c of CASES) {
    const samples = { estateReference: [] as number[], estateCurrent: [] as number[], baselineReference: [] as number[], baselineCurrent: [] as number[] };
    for (const [sideName, side] of Object.entries(sides) as ['estate' | 'baseline', Side][]) {
      const input = c.input(side.bench);
      const impls = c.waived ? side.waivedImpls : side.impls;
      const cur = call(impls.current, c.method, input);
      const ref = call(impls.reference, c.method, input);
      if (!isDeepStrictEqual(cur, ref)) throw new Error(`${sideName}: "${c.name}": current and reference answers differ`);
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate so neither implementation always runs second.
        const order = r % 2 === 0 ? (['current', 'reference'] as const) : (['reference', 'current'] as const);
        for (const which of order) {
          const ms = time(() => call(impls[which], c.method, input));
          samples[`${sideName}${which === 'current' ? 'Current' : 'Reference'}`].push(ms);
        }
      }
    }
    rows.push({
      name: c.name,
      estateReference: median(samples.estateReference),
      estateCurrent: median(samples.estateCurrent),
      baselineReference: median(samples.baselineReference),
      baselineCurrent: median(samples.baselineCurrent),
    });
  }
  return rows;
}

export function runApiBench(): ApiBenchReport {
  const tmp = mkdtempSync(path.join(tmpdir(), 'foureyes-bench-api-'));
  const open: Workspace[] = [];
  try {
    const cat = loadCatalogue();
    const side = (label: string, hosts: number): Side => {
      const bench = buildBenchWorkspace(path.join(tmp, `${label}.sqlite`), hosts, undefined, cat);
      const ws = openWorkspace(bench.path);
      open.push(ws);
      const waived = benchWaivers(ws, bench.scanId);
      return {
        label,
        bench,
        ws,
        impls: { current: current(ws, cat), reference: reference(ws, cat) },
        waivedImpls: { current: current(ws, cat, waived), reference: reference(ws, cat, waived) },
      };
    };
    const baseline = side('baseline', 1);
    const estate = side('estate', ESTATE_HOSTS);
    console.log(
      `workspaces: ${baseline.bench.results} and ${estate.bench.results} results; ${ROUNDS} rounds per case and side`,
    );
    const rows = measure({ estate, baseline });
    return {
      date: new Date().toISOString(),
      rounds: ROUNDS,
      estate: { hosts: estate.bench.hosts, results: estate.bench.results },
      baseline: { hosts: baseline.bench.hosts, results: baseline.bench.results },
      rows,
    };
  } finally {
    for (const ws of open) ws.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const f = (ms: number) => ms.toFixed(1).padStart(8);
const x = (a: number, b: number) => `${(a / b).toFixed(1)}x`.padStart(8);

export function printApiReport(r: ApiBenchReport): void {
  console.log(
    `\nmedians in ms; estate ${r.estate.hosts} hosts / ${r.estate.results} results, baseline ${r.baseline.hosts} host / ${r.baseline.results} results`,
  );
  console.log(
    `${'case'.padEnd(34)}${'ref 272'.padStart(8)}${'now 272'.padStart(8)}${'ref 1'.padStart(8)}${'now 1'.padStart(8)}${'272/1'.padStart(8)}${'ref/now'.padStart(8)}`,
  );
  for (const row of r.rows) {
    console.log(
      `${row.name.padEnd(34)}${f(row.estateReference)}${f(row.estateCurrent)}${f(row.baselineReference)}${f(row.baselineCurrent)}` +
        `${x(row.estateCurrent, row.baselineCurrent)}${x(row.estateReference, row.estateCurrent)}`,
    );
  }
}

/** Runs the API part, prints the table and writes the JSON file. */
export function apiBenchMain(): void {
  const report = runApiBench();
  printApiReport(report);
  const dir = path.resolve('test-results', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'api.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`written: ${path.relative(process.cwd(), file)}`);
}
