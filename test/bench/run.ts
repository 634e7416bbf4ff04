/**
 * `npm run bench`: the collect-once design against the classic one-exec-per-check way, on the lab's real sshd
 * hosts, measured in the same run. Reports wall time, SSH connections and exec channels per host, and the ratio.
 * Needs root (the lab). Bounded: N hosts (BENCH_N, default 12, at most 20), each mode run once per round.
 *
 * Parts: `ssh` (above), `ui` (the results table with 25,024 results in Chromium, see ui-results.ts), `api`
 * (results.query, scan.get, scan.list, dashboard.summary on the same 25,024 results, see api.ts) and `cli` (the
 * real `foureyes assess` against OpenSSH running a plain reference script, one host and 20, see cli.ts), `import`
 * (10,000 hosts imported while other calls are answered, host.list pages, see import.ts), `export` (SARIF, JUnit,
 * OHDF and the engagement JSON of some 25,000 results against a plain JSON dump, see export.ts), `evaluate` (100
 * stored snapshots of lab hosts re-evaluated against the whole catalogue, against reading them, see evaluate.ts). All run by
 * default; `npm run bench -- ui` (or BENCH_PARTS=ui) runs only the named ones.
 */
import { loadCatalogue, factsNeeded } from '../../main/catalogue/load.js';
import { collectFacts } from '../../main/collector/collect.js';
import { evaluateAll } from '../../main/engine/evaluate.js';
import { SshTransport } from '../../main/transport/ssh.js';
import type { SecretProvider } from '../../main/transport/types.js';
import type { SshTarget } from '../../shared/model/target.js';
import type { Check } from '../../shared/checks/schema.js';
import { ensureLab, labHost, type LabManifest } from '../lab/lab.js';
import { apiBenchMain } from './api.js';
import { cliBenchMain } from './cli.js';
import { evaluateBenchMain } from './evaluate.js';
import { exportBenchMain } from './export.js';
import { importBenchMain } from './import.js';
import { uiBenchMain } from './ui-results.js';

const N = Math.min(20, Math.max(1, Number(process.env.BENCH_N ?? 12)));
const ROUNDS = Math.min(5, Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3)));
const POOL = 8;
const noSecrets: SecretProvider = { get: async () => undefined };

function target(m: LabManifest, name: 'careless' | 'partial' | 'hardened', user: string): SshTarget {
  const h = labHost(m, name);
  return {
    name,
    address: h.address,
    port: h.port,
    user,
    auth: { type: 'key', keyPath: h.keyPath },
    hostKey: { knownHostsFiles: [m.knownHosts], acceptNew: false },
    jumps: [],
    privilege: 'none',
  };
}

interface HostFigures {
  ms: number;
  connections: number;
  execChannels: number;
  results: number;
}

/** Collect once: one connection, one collector run for all facts, local evaluation. */
async function collectOnce(t: SshTarget, checks: Check[]): Promise<HostFigures> {
  const start = performance.now();
  const tr = new SshTransport(t, noSecrets);
  try {
    const { snapshot } = await collectFacts(tr, factsNeeded(checks));
    const results = evaluateAll(snapshot, checks);
    return { ms: performance.now() - start, ...tr.stats(), results: results.length };
  } finally {
    await tr.close();
  }
}

/** Classic: the same connection, one exec per check collecting only that check's facts. */
async function perCheck(t: SshTarget, checks: Check[]): Promise<HostFigures> {
  const start = performance.now();
  const tr = new SshTransport(t, noSecrets);
  let results = 0;
  try {
    for (const c of checks) {
      const { snapshot } = await collectFacts(tr, factsNeeded([c]));
      results += evaluateAll(snapshot, [c]).length;
    }
    return { ms: performance.now() - start, ...tr.stats(), results };
  } finally {
    await tr.close();
  }
}

async function pool<T>(items: T[], size: number, fn: (t: T) => Promise<HostFigures>): Promise<HostFigures[]> {
  const out: HostFigures[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (i < items.length) out.push(await fn(items[i++]!));
    }),
  );
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function sshBench() {
  const m = await ensureLab();
  const { checks } = loadCatalogue();
  const root = target(m, 'careless', 'root'); // careless allows root login: both modes run privileged, no sudo
  const names = ['careless', 'partial', 'hardened'] as const;
  const many = Array.from({ length: N }, (_, i) => target(m, names[i % names.length]!, 'auditor'));
  console.log(
    `catalogue: ${checks.length} checks, ${factsNeeded(checks).length} facts; N=${N}, rounds=${ROUNDS}`,
  );

  const rows: Record<string, number[]> = { one: [], oneClassic: [], many: [], manyClassic: [] };
  let lastOne: HostFigures | undefined,
    lastClassic: HostFigures | undefined,
    lastMany: HostFigures[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate the order each round so neither mode always runs on a warmer machine.
    const a = async () => {
      lastOne = await collectOnce(root, checks);
      rows.one!.push(lastOne.ms);
    };
    const b = async () => {
      lastClassic = await perCheck(root, checks);
      rows.oneClassic!.push(lastClassic.ms);
    };
    if (r % 2 === 0) {
      await a();
      await b();
    } else {
      await b();
      await a();
    }
    const t0 = performance.now();
    lastMany = await pool(many, POOL, (t) => collectOnce(t, checks));
    rows.many!.push(performance.now() - t0);
    const t1 = performance.now();
    await pool(many, POOL, (t) => perCheck(t, checks));
    rows.manyClassic!.push(performance.now() - t1);
  }
  const one = median(rows.one!),
    oneC = median(rows.oneClassic!),
    mny = median(rows.many!),
    mnyC = median(rows.manyClassic!);
  console.log('\nmode                               wall (median)   connections/host   exec channels/host');
  console.log(
    `one host, collect once            ${one.toFixed(0).padStart(8)} ms   ${lastOne!.connections.toString().padStart(10)}   ${lastOne!.execChannels.toString().padStart(12)}`,
  );
  console.log(
    `one host, one exec per check      ${oneC.toFixed(0).padStart(8)} ms   ${lastClassic!.connections.toString().padStart(10)}   ${lastClassic!.execChannels.toString().padStart(12)}`,
  );
  const maxCh = Math.max(...lastMany.map((f) => f.execChannels));
  const maxConn = Math.max(...lastMany.map((f) => f.connections));
  console.log(
    `${N} hosts, collect once (pool ${POOL})   ${mny.toFixed(0).padStart(8)} ms   ${String(maxConn).padStart(10)}   ${String(maxCh).padStart(12)}`,
  );
  console.log(`${N} hosts, one exec per check      ${mnyC.toFixed(0).padStart(8)} ms`);
  console.log(
    `\nspeed-up, one host: ${(oneC / one).toFixed(1)}x; ${N} hosts: ${(mnyC / mny).toFixed(1)}x (classic / collect-once, same run)`,
  );
  console.log(
    `check results per host: ${lastOne!.results} (collect once) vs ${lastClassic!.results} (classic)`,
  );
}

const PARTS = { ssh: sshBench, ui: uiBenchMain, api: apiBenchMain, cli: cliBenchMain, import: importBenchMain, export: exportBenchMain, evaluate: evaluateBenchMain } as const;
type Part = keyof typeof PARTS;

/** Parts named on the command line or in BENCH_PARTS (comma-separated); all when none is named. */
function chosenParts(): Part[] {
  const named = [...process.argv.slice(2), ...(process.env.BENCH_PARTS ?? '').split(',')]
    .map((p) => p.trim())
    .filter(Boolean);
  const unknown = named.filter((p) => !Object.hasOwn(PARTS, p));
  if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')} (parts: ${Object.keys(PARTS).join(', ')})`);
  return named.length > 0 ? [...new Set(named as Part[])] : (Object.keys(PARTS) as Part[]);
}

async function main() {
  for (const part of chosenParts()) {
    console.log(`\n== bench: ${part}`);
    await PARTS[part]();
  }
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
