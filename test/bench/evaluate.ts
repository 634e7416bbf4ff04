/**
 * Evaluate part of `npm run bench` (`npm run bench -- evaluate`): re-evaluating stored snapshots against the whole
 * catalogue, the work done after a catalogue change or when a scan is imported elsewhere. The snapshots are real:
 * one collection of the whole catalogue's facts from each of the lab's careless (as root), partial and hardened
 * (as the auditor, without privilege), stored BENCH_EVAL_SNAPSHOTS times (default 100) in a workspace file the way
 * a scan stores them. Measured in the same run: reading and verifying the stored snapshots alone (the baseline),
 * and reading them plus evaluating every check on each. Reports the median of BENCH_EVAL_ROUNDS (default 5) after
 * a warm-up, the ratio to the baseline, and whether the whole re-evaluation is under 1 s. Writes
 * test-results/bench/evaluate.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { factsNeeded, loadCatalogue } from '../../main/catalogue/load.js';
import { collectFacts } from '../../main/collector/collect.js';
import { evaluateAll } from '../../main/engine/evaluate.js';
import { createStoreSink } from '../../main/scan/store-sink.js';
import { openWorkspace } from '../../main/store/db.js';
import { SshTransport } from '../../main/transport/ssh.js';
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import { ensureLab, labHost } from '../lab/lab.js';
import { median } from './ui/report.js';

const COUNT = Math.min(1000, Math.max(1, Number(process.env.BENCH_EVAL_SNAPSHOTS ?? 100) || 100));
const ROUNDS = Math.min(20, Math.max(1, Number(process.env.BENCH_EVAL_ROUNDS ?? 5) || 5));
const GOAL_MS = 1000;

export async function evaluateBenchMain(): Promise<void> {
  const m = await ensureLab();
  const cat = loadCatalogue();
  const facts = factsNeeded(cat.checks);
  const collected: FactSnapshot[] = [];
  for (const [name, user] of [
    ['careless', 'root'],
    ['partial', 'auditor'],
    ['hardened', 'auditor'],
  ] as const) {
    const h = labHost(m, name);
    const tr = new SshTransport(
      {
        name,
        address: h.address,
        port: h.port,
        user,
        auth: { type: 'key', keyPath: h.keyPath },
        hostKey: { knownHostsFiles: [m.knownHosts], acceptNew: false },
        jumps: [],
        privilege: 'none',
      },
      { get: async () => undefined },
    );
    try {
      collected.push((await collectFacts(tr, facts)).snapshot);
      if (process.env.BENCH_EVAL_DUMP) writeFileSync(process.env.BENCH_EVAL_DUMP, JSON.stringify(collected));
    } finally {
      await tr.close();
    }
  }

  const dir = mkdtempSync(path.join(tmpdir(), 'foureyes-bench-evaluate-'));
  try {
    const ws = openWorkspace(path.join(dir, 'evaluate.sqlite'));
    try {
      const e = ws.engagements.create({ name: 'Re-evaluation', customer: 'Example Corp', description: 'Re-evaluation benchmark' });
      const hosts = ws.hosts.addMany(
        e.id,
        Array.from({ length: COUNT }, (_, i) => ({
          name: `host-${String(i).padStart(4, '0')}`,
          address: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`,
          user: 'auditor',
          privilege: 'auto' as const,
        })),
      );
      const sink = createStoreSink(ws, {
        engagementId: e.id,
        catalogue: cat,
        checks: cat.checks,
        hosts: hosts.map((h) => ({ name: h.name, source: 'ssh' as const, hostId: h.id })),
      });
      hosts.forEach((h, i) => {
        const snapshot = collected[i % collected.length]!;
        const stats = { connections: 1, execChannels: 1, bytesIn: 0, bytesOut: 0, durationsMs: { total: 1 } };
        sink.hostDone(h.name, snapshot, evaluateAll(snapshot, cat.checks), stats, 'root');
      });
      sink.finish('done');
      const runIds = ws.hostRuns.list(sink.scan.id).map((r) => r.id);

      let results = 0;
      const cases: Record<string, () => void> = {
        'read stored snapshots (baseline)': () => {
          for (const id of runIds) ws.snapshots.loadSnapshot(id);
        },
        're-evaluate whole catalogue': () => {
          results = 0;
          for (const id of runIds) results += evaluateAll(ws.snapshots.loadSnapshot(id), cat.checks).length;
        },
      };
      const rows: { name: string; ms: number }[] = [];
      for (const [name, run] of Object.entries(cases)) {
        run(); // warm-up
        const samples: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const t = performance.now();
          run();
          samples.push(performance.now() - t);
        }
        rows.push({ name, ms: median(samples) });
      }
      const base = rows[0]!.ms;
      const total = rows[1]!.ms;
      console.log(
        `${runIds.length} stored snapshots x ${cat.checks.length} checks = ${results} results, median of ${ROUNDS}`,
      );
      for (const r of rows)
        console.log(`  ${r.name.padEnd(34)} ${r.ms.toFixed(0).padStart(6)} ms  ${(r.ms / base).toFixed(2)}x`);
      console.log(
        `  evaluation alone ${(total - base).toFixed(0)} ms; whole re-evaluation ${total < GOAL_MS ? 'under' : 'OVER'} ${GOAL_MS} ms`,
      );
      const out = path.join('test-results', 'bench');
      mkdirSync(out, { recursive: true });
      writeFileSync(
        path.join(out, 'evaluate.json'),
        `${JSON.stringify({ snapshots: runIds.length, checks: cat.checks.length, results, rounds: ROUNDS, rows, goalMs: GOAL_MS }, null, 2)}\n`,
      );
    } finally {
      ws.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
