/**
 * A workspace for the UI benchmark: one engagement, N hosts, one finished scan of every catalogue check on every
 * host, written the way a real scan writes it (the store sink: scan, queued host runs, then per host one
 * transaction with snapshot and results). Verdicts and values are real engine output: each result is the
 * evaluation of one of the check's own pass or fail fixtures (test/unit/engine/fixtures), chosen by a seeded
 * pseudo-random generator, so the same seed gives the same workspace. A small share of results is not
 * applicable, error or manual, as on a real estate.
 */
import { loadCatalogue, type Catalogue } from '../../../main/catalogue/load.js';
import { scenarioSnapshot } from '../../../main/catalogue/scenario.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import { createStoreSink } from '../../../main/scan/store-sink.js';
import { openWorkspace } from '../../../main/store/db.js';
import type { Check } from '../../../shared/checks/schema.js';
import type { CheckResult } from '../../../shared/model/results.js';
import { snap } from '../../unit/engine/fixtures/build.js';
import { FIXTURES } from '../../unit/engine/fixtures/index.js';

export interface BenchWorkspace {
  path: string;
  engagementId: string;
  scanId: string;
  hosts: number;
  checks: number;
  results: number;
  /** Milliseconds spent writing it. */
  buildMs: number;
}

/** mulberry32: small, fast, good enough to spread verdicts; deterministic for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROLES = ['web', 'db', 'app', 'mq', 'cache', 'bastion', 'mail', 'ci', 'log', 'dns', 'ldap', 'kube'];
const SITES = ['fra1', 'ams2', 'lon1', 'par3'];

/** Host i of the estate: a plausible inventory name and a documentation-range address (never contacted). */
export function benchHost(i: number): { name: string; address: string } {
  const role = ROLES[i % ROLES.length]!;
  const site = SITES[Math.floor(i / ROLES.length) % SITES.length]!;
  const n = String(Math.floor(i / (ROLES.length * SITES.length)) + 1).padStart(2, '0');
  return { name: `${role}-${site}-${n}.corp.example`, address: `198.51.100.${(i % 250) + 1}` };
}

interface Templates {
  pass: CheckResult[];
  fail: CheckResult[];
}

/** Real engine results of each check's pass and fail scenarios (its data, its template's, the TypeScript fixtures). */
function templates(checks: readonly Check[]): Map<string, Templates> {
  const out = new Map<string, Templates>();
  for (const c of checks) {
    const fx = FIXTURES[c.id];
    const run = (verdict: 'pass' | 'fail') =>
      [
        ...(fx?.[verdict] ?? []).map((sc) => evaluateCheck(snap(sc), c)),
        ...(c.scenarios?.[verdict] ?? []).map((sc) => evaluateCheck(scenarioSnapshot(sc), c)),
      ].filter((r) => r.verdict === verdict);
    const pass = run('pass');
    const fail = run('fail');
    if (pass.length === 0 || fail.length === 0)
      throw new Error(`bench: fixtures of ${c.id} do not pass and fail`);
    out.set(c.id, { pass, fail });
  }
  return out;
}

function pick<T>(xs: readonly T[], r: number): T {
  return xs[Math.floor(r * xs.length) % xs.length]!;
}

/** One host's results: its hardening level decides how often a check passes. */
function hostResults(checks: readonly Check[], t: Map<string, Templates>, rand: () => number): CheckResult[] {
  const level = 0.3 + rand() * 0.65;
  return checks.map((c) => {
    const tpl = t.get(c.id)!;
    const r = rand();
    if (r < 0.03) {
      const base = pick(tpl.pass, rand());
      return {
        ...base,
        verdict: 'not_applicable',
        actual: 'not installed',
        reason: 'the software this check is about is not installed',
        evidence: [],
      };
    }
    if (r < 0.05) {
      const base = pick(tpl.fail, rand());
      return {
        ...base,
        verdict: 'error',
        actual: '(unreadable)',
        reason: 'a fact this check reads could not be collected: permission denied',
        evidence: [],
      };
    }
    if (r < 0.06) {
      const base = pick(tpl.pass, rand());
      return {
        ...base,
        verdict: 'manual',
        reason: 'the collected value needs a reviewer to decide',
        evidence: base.evidence,
      };
    }
    return rand() < level ? pick(tpl.pass, rand()) : pick(tpl.fail, rand());
  });
}

/** Writes the workspace file at `path` (which must not exist yet). */
export function buildBenchWorkspace(
  path: string,
  hostCount: number,
  seed = 20_261_127,
  catalogue?: Catalogue,
): BenchWorkspace {
  const start = performance.now();
  const cat = catalogue ?? loadCatalogue();
  const checks = cat.checks;
  const t = templates(checks);
  const rand = prng(seed);
  const ws = openWorkspace(path);
  try {
    const e = ws.engagements.create({
      name: 'Benchmark estate',
      customer: 'Example Corp',
      description: `${hostCount} hosts`,
    });
    const hosts = ws.hosts.addMany(
      e.id,
      Array.from({ length: hostCount }, (_, i) => ({
        ...benchHost(i),
        user: 'auditor',
        privilege: 'auto' as const,
      })),
    );
    const sink = createStoreSink(ws, {
      engagementId: e.id,
      catalogue: cat,
      checks,
      hosts: hosts.map((h) => ({ name: h.name, source: 'ssh' as const, hostId: h.id })),
    });
    let results = 0;
    const snapshot = { ...snap({}), source: 'ssh' as const, collectorVersion: 'bench' };
    for (const h of hosts) {
      const rs = hostResults(checks, t, rand);
      results += rs.length;
      sink.hostDone(
        h.name,
        snapshot,
        rs,
        {
          connections: 1,
          execChannels: 1,
          bytesIn: 48_000,
          bytesOut: 9_000,
          durationsMs: { total: 900 + Math.round(rand() * 600) },
        },
        'root',
      );
    }
    sink.finish('done');
    return {
      path,
      engagementId: e.id,
      scanId: sink.scan.id,
      hosts: hostCount,
      checks: checks.length,
      results,
      buildMs: performance.now() - start,
    };
  } finally {
    ws.close();
  }
}
