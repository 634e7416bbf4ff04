import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { runScan, type HostEvent } from '../../../main/scan/runner.js';
import { createStoreSink } from '../../../main/scan/store-sink.js';
import { openWorkspace } from '../../../main/store/db.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/**
 * A real workspace in a fresh directory (closed and removed after the test) and a store sink recording a scan of
 * the local `hosts` with the catalogue's first `nChecks` checks.
 */
function storedScan(nChecks: number, hosts: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'fe-runner-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const ws = openWorkspace(join(dir, 'ws.sqlite'));
  cleanups.push(() => ws.close());
  const cat = loadCatalogue();
  const checks = cat.checks.slice(0, nChecks);
  const eng = ws.engagements.create({ name: 'runner test' });
  const sink = createStoreSink(ws, {
    engagementId: eng.id,
    catalogue: cat,
    checks,
    hosts: hosts.map((name) => ({ name, source: 'local' as const })),
  });
  return { ws, checks, sink };
}

describe('runScan with the local transport', () => {
  it('runs two local jobs and stores their results in a real workspace', async () => {
    const { ws, checks, sink } = storedScan(12, ['a', 'b']);
    const events: HostEvent[] = [];
    const summary = await runScan({
      jobs: [
        { name: 'a', target: { kind: 'local', name: 'a' } },
        { name: 'b', target: { kind: 'local', name: 'b' } },
      ],
      checks,
      concurrency: 2,
      sink,
      onEvent: (e) => events.push(e),
    });
    sink.finish();
    expect(summary.done.sort()).toEqual(['a', 'b']);
    expect(summary.failed).toEqual([]);
    const scan = ws.scans.getScan(sink.scan.id);
    expect(scan?.status).toBe('done');
    expect(scan?.hostRuns.map((r) => r.state)).toEqual(['done', 'done']);
    const stored = ws.results.forScan(sink.scan.id);
    expect(stored).toHaveLength(2 * checks.length);
    expect(new Set(stored.map((r) => r.checkId))).toEqual(new Set(checks.map((c) => c.id)));
    expect(events.filter((e) => e.state === 'done').map((e) => e.host).sort()).toEqual(['a', 'b']);
  });

  it('reports a failing host and goes on with the others; a cancelled signal cancels', async () => {
    const { ws, checks, sink } = storedScan(5, ['ok', 'bad']);
    const { LocalTransport } = await import('../../../main/transport/local.js');
    const summary = await runScan({
      jobs: [
        { name: 'ok', target: { kind: 'local', name: 'ok' } },
        { name: 'bad', target: { kind: 'local', name: 'bad' } },
      ],
      checks,
      sink,
      openTransport: (j) => new LocalTransport(j.name === 'bad' ? { shell: ['/nonexistent-shell'] } : {}),
    });
    expect(summary.done).toEqual(['ok']);
    expect(summary.failed).toEqual(['bad']);
    const runs = ws.scans.getScan(sink.scan.id)?.hostRuns ?? [];
    expect(runs.find((r) => r.hostName === 'bad')?.state).toBe('failed');
    expect(runs.find((r) => r.hostName === 'bad')?.error?.message).toBeTruthy();

    const ac = new AbortController();
    ac.abort();
    const s2 = await runScan({
      jobs: [{ name: 'x', target: { kind: 'local', name: 'x' } }],
      checks,
      signal: ac.signal,
      sink: { hostDone: () => undefined, hostFailed: () => undefined },
    });
    expect(s2.cancelled).toEqual(['x']);
  });
});
