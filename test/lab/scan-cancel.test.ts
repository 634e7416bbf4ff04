/**
 * Cancelling a scan through the services while one host is still connecting: port 2222 of the lab's `hardened`
 * host is dropped by its nftables (no answer at all, the TCP connect hangs), `careless` scans normally. Cancel
 * after careless is done: the hardened run ends `cancelled` (not failed, not after the connect timeout), careless
 * stays `done`. The same through the bastion, cancelled while the bastion is trying to reach hardened:2222 for
 * us: the bastion's connection attempt and our connection to it both go. The time scan.cancel took is printed,
 * not asserted (the machine is shared).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatch } from '../../main/api/registry.js';
import type { Services } from '../../main/api/services.js';
import { callDispatch, startDispatch } from '../unit/services/dispatch.js';
import { ensureLab, labExec, labHost, type LabManifest } from './lab.js';

const decision = { persistent: false, detail: 'test' };

interface Progress {
  scanId?: string;
  host?: string;
  state?: string;
  error?: { code: string; message: string };
}

describe('scan cancel while a host is connecting, through the services', () => {
  let m: LabManifest;
  let dir: string;
  let services: Services | undefined;
  let d: Dispatch;
  const events: { event: string; payload: Progress }[] = [];

  beforeAll(async () => {
    m = await ensureLab();
    dir = mkdtempSync(join(tmpdir(), 'fe-lab-cancel-'));
    const file = join(dir, 'ws.sqlite');
    let dispatch: Dispatch;
    ({ services, dispatch } = await startDispatch({
      workspacePath: file,
      emit: (event, payload) => events.push({ event, payload: payload as Progress }),
      mode: 'browser',
      secrets: { cipher: null, decision },
    }));
    d = dispatch;
  }, 180_000);
  afterAll(async () => {
    await services?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const call = <T = unknown>(method: string, input: unknown): Promise<T> => callDispatch<T>(d, method, input, 'http');

  const states = (scanId: string, host: string): string[] =>
    events.filter((e) => e.event === 'scan.progress' && e.payload.scanId === scanId && e.payload.host === host).map((e) => e.payload.state ?? '');

  async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function acceptKey(hostId: string): Promise<void> {
    const probe = await call<{ fingerprint: string }>('hostKey.probe', { hostId });
    await call('hostKey.accept', { hostId, fingerprint: probe.fingerprint });
  }

  /** TCP connections of the bastion to hardened:2222 in a state (ss state name). */
  async function bastionTo2222(state: string, address: string): Promise<number> {
    const r = await labExec('bastion', ['ss', '-Htn', 'state', state, 'dst', `${address}:2222`]);
    return r.stdout.toString('utf8').split('\n').filter((l) => l.trim() !== '').length;
  }

  it('hardened:2222 ends cancelled, careless done; scan.cancel returns without waiting for the connect timeout', async () => {
    const careless = labHost(m, 'careless');
    const hardened = labHost(m, 'hardened');
    const e = await call<{ id: string }>('engagement.create', { name: 'Lab cancel' });
    const add = (name: string, address: string, port: number, keyPath: string): Promise<{ id: string }> =>
      call('host.add', {
        engagementId: e.id,
        host: { name, address, port, user: careless.user, auth: { type: 'key', keyPath }, privilege: 'none' },
      });
    const c = await add('careless', careless.address, careless.port, careless.keyPath);
    const h = await add('hardened-2222', hardened.address, 2222, hardened.keyPath);
    await acceptKey(c.id);

    const { scanId } = await call<{ scanId: string }>('scan.start', { engagementId: e.id, hostIds: [h.id, c.id] });
    // Careless finishes in seconds; hardened:2222 would stay in `connecting` until the 20 s connect timeout.
    await until('careless done', () => states(scanId, 'careless').includes('done'), 60_000);
    expect(states(scanId, 'hardened-2222')).toEqual(['queued', 'connecting']);

    const t0 = performance.now();
    const r = await call<{ state: string }>('scan.cancel', { scanId });
    const cancelMs = performance.now() - t0;
    process.stdout.write(`scan.cancel with hardened:2222 connecting returned after ${cancelMs.toFixed(0)} ms\n`);

    expect(r.state).toBe('cancelled');
    const got = await call<{ hostRuns: { hostName: string; state: string; error: { code: string } | null }[] }>('scan.get', { scanId });
    const byName = Object.fromEntries(got.hostRuns.map((x) => [x.hostName, x]));
    expect(byName['careless']).toMatchObject({ state: 'done', error: null });
    expect(byName['hardened-2222']?.state).toBe('cancelled');
    expect(states(scanId, 'hardened-2222')).toEqual(['queued', 'connecting', 'cancelled']);
    // Ended by the cancel itself, not by the connect timeout that happened to come after it.
    const last = events.filter((x) => x.payload.scanId === scanId && x.payload.host === 'hardened-2222').at(-1);
    expect(last?.payload.error?.code).toBe('cancelled');
  }, 120_000);

  it('through the bastion: cancelled while the bastion is connecting to hardened:2222; the bastion drops it', async () => {
    const bastion = labHost(m, 'bastion');
    const hardened = labHost(m, 'hardened');
    const e = await call<{ id: string }>('engagement.create', { name: 'Lab cancel via bastion' });
    const b = await call<{ id: string }>('host.add', {
      engagementId: e.id,
      host: { name: 'bastion', address: bastion.address, port: bastion.port, user: bastion.user, auth: { type: 'key', keyPath: bastion.keyPath }, privilege: 'none' },
    });
    await acceptKey(b.id);
    const h = await call<{ id: string }>('host.add', {
      engagementId: e.id,
      host: {
        name: 'hardened-2222',
        address: hardened.address,
        port: 2222,
        user: hardened.user,
        auth: { type: 'key', keyPath: hardened.keyPath },
        privilege: 'none',
        jumpHostId: b.id,
      },
    });
    expect(await bastionTo2222('syn-sent', hardened.address)).toBe(0);

    const { scanId } = await call<{ scanId: string }>('scan.start', { engagementId: e.id, hostIds: [h.id] });
    // We are authenticated at the bastion and it is trying to reach hardened:2222 for us (its SYN goes unanswered).
    const end = Date.now() + 30_000;
    while ((await bastionTo2222('syn-sent', hardened.address)) === 0) {
      if (Date.now() > end) throw new Error('the bastion never tried to reach hardened:2222');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(states(scanId, 'hardened-2222')).toEqual(['queued', 'connecting']);

    const t0 = performance.now();
    const r = await call<{ state: string }>('scan.cancel', { scanId });
    const cancelMs = performance.now() - t0;
    process.stdout.write(`scan.cancel with hardened:2222 connecting through the bastion returned after ${cancelMs.toFixed(0)} ms\n`);

    expect(r.state).toBe('cancelled');
    const got = await call<{ hostRuns: { hostName: string; state: string }[] }>('scan.get', { scanId });
    expect(got.hostRuns).toMatchObject([{ hostName: 'hardened-2222', state: 'cancelled' }]);
    const last = events.filter((x) => x.payload.scanId === scanId && x.payload.host === 'hardened-2222').at(-1);
    expect(last?.payload.error?.code).toBe('cancelled');
    // Our connection to the bastion ended, and with it the bastion's attempt to reach hardened:2222.
    const deadline = Date.now() + 10_000;
    while ((await bastionTo2222('syn-sent', hardened.address)) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await bastionTo2222('syn-sent', hardened.address)).toBe(0);
  }, 120_000);
});
