/**
 * Fault matrix: a host whose key changes between two scans of one engagement. The second scan refuses that host
 * before authentication, naming the pinned and the presented fingerprint; the other host of the same scan completes;
 * the first scan's results and snapshot are untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import { startHostileSsh, type HostileSsh } from './hostile-ssh.js';
import { faultWorkspace, type FaultWorkspace } from './scan-helpers.js';

let fw: FaultWorkspace;
let good: HostileSsh;
let first: HostileSsh;
let second: HostileSsh;
let scan1: string;
let scan2: string;
let before: { got: MethodOutput<'scan.get'>; results: MethodOutput<'results.query'>; sha: (string | undefined)[] };

const results = (scanId: string) => fw.call<MethodOutput<'results.query'>>('results.query', { scanId });
const shas = (got: MethodOutput<'scan.get'>) => got.hostRuns.map((r) => fw.snapshot(r.id)?.sizeRaw + ':' + JSON.stringify(fw.snapshot(r.id)?.snapshot.facts));

beforeAll(async () => {
  fw = await faultWorkspace('hostkey');
  good = await startHostileSsh({ kind: 'good' });
  first = await startHostileSsh({ kind: 'good' });
  await fw.addHosts([
    { name: 'steady', port: good.port },
    { name: 'rekeyed', port: first.port },
  ]);
  scan1 = await fw.scan(['steady', 'rekeyed'], 60);
  const got1 = await fw.get(scan1);
  before = { got: got1, results: await results(scan1), sha: shas(got1) };
  // Same address and port, another host key (a reinstalled machine, or a machine in the middle).
  await first.stop();
  second = await startHostileSsh({ kind: 'good' }, first.port);
  scan2 = await fw.scan(['steady', 'rekeyed'], 60);
}, 180_000);

afterAll(async () => {
  await good?.stop();
  await second?.stop();
  await fw?.close();
});

describe('fault matrix: a host key that changes between two scans', () => {
  it('the first scan assessed both hosts', () => {
    expect(before.got.hostRuns.map((r) => r.state)).toEqual(['done', 'done']);
    expect(before.results.total).toBeGreaterThan(0);
  });

  it('the second scan refuses the host before authentication, naming both fingerprints', async () => {
    const got = await fw.get(scan2);
    const r = got.hostRuns.find((h) => h.hostName === 'rekeyed')!;
    expect(r).toMatchObject({ state: 'failed', stoppedIn: 'connecting', error: { code: 'host_key_changed' } });
    expect(r.error?.message).toContain(first.fingerprint);
    expect(r.error?.message).toContain(second.fingerprint);
    expect(r.error?.message).toContain('stopped before authentication');
    expect(second.execs).toEqual([]);
    expect(got.hostRuns.find((h) => h.hostName === 'steady')?.state).toBe('done');
  });

  it("the first scan's host runs, results and snapshots are untouched", async () => {
    const got1 = await fw.get(scan1);
    expect(got1).toEqual(before.got);
    expect(await results(scan1)).toEqual(before.results);
    expect(shas(got1)).toEqual(before.sha);
  });
});
