/**
 * Cancelling a scan while an SSH host is still connecting (a server that accepts TCP and never speaks, as behind a
 * firewall that lets the SYN through but nothing after it): the run ends `cancelled` in the workspace (not
 * failed, not after the 20 s connect timeout, which is left at its default so an ignored abort would show as a
 * test timeout), the local host that had finished stays done, and the connection is closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { runScan, type HostEvent } from '../../../main/scan/runner.js';
import { createStoreSink } from '../../../main/scan/store-sink.js';
import { openWorkspace } from '../../../main/store/db.js';
import { endpoint, target } from '../ssh/cancel-helpers.js';
import { RecordingSecrets } from '../ssh/helpers.js';
import { startSilentTcp } from '../ssh/stuck-servers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('runScan: cancel while an SSH host is connecting', () => {
  it('the connecting host ends cancelled with a cancelled error, the finished one stays done, the socket is closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fe-runner-cancel-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const ws = openWorkspace(join(dir, 'ws.sqlite'));
    cleanups.push(() => ws.close());
    const silent = await startSilentTcp();
    cleanups.push(() => silent.stop());

    const cat = loadCatalogue();
    const checks = cat.checks.slice(0, 5);
    const eng = ws.engagements.create({ name: 'runner cancel' });
    const sink = createStoreSink(ws, {
      engagementId: eng.id,
      catalogue: cat,
      checks,
      hosts: [
        { name: 'stuck', source: 'ssh' },
        { name: 'here', source: 'local' },
      ],
    });
    let failedCalls = 0;
    const events: HostEvent[] = [];
    let hereDone: () => void = () => undefined;
    const hereIsDone = new Promise<void>((r) => (hereDone = r));
    const ac = new AbortController();
    const run = runScan({
      jobs: [
        { name: 'stuck', target: { kind: 'ssh', target: target(endpoint('stuck', silent.port, { type: 'password' })) } },
        { name: 'here', target: { kind: 'local', name: 'here' } },
      ],
      checks,
      concurrency: 2,
      signal: ac.signal,
      secrets: new RecordingSecrets({ password: 'pw' }),
      sink: {
        hostState: (n, s) => sink.hostState?.(n, s),
        hostDone: (...a) => sink.hostDone(...a),
        hostFailed: (...a) => {
          failedCalls++;
          return sink.hostFailed(...a);
        },
      },
      onEvent: (e) => {
        events.push(e);
        if (e.host === 'here' && e.state === 'done') hereDone();
      },
    });
    await silent.opening(1);
    await hereIsDone;
    ac.abort();
    const summary = await run;
    sink.finish('cancelled');

    expect(summary).toEqual({ done: ['here'], failed: [], cancelled: ['stuck'] });
    expect(failedCalls).toBe(0);
    const stuck = events.filter((e) => e.host === 'stuck');
    expect(stuck.map((e) => e.state)).toEqual(['queued', 'connecting', 'cancelled']);
    expect(stuck.at(-1)?.error?.code).toBe('cancelled');
    const runs = ws.scans.getScan(sink.scan.id)?.hostRuns ?? [];
    expect(Object.fromEntries(runs.map((r) => [r.hostName, r.state]))).toEqual({ stuck: 'cancelled', here: 'done' });
    await silent.allClosed();
    expect(silent).toMatchObject({ opened: 1, closed: 1 });
  });
});
