/**
 * Shutdown cancels a host key probe in flight: through the API (dispatch, as the renderer calls it), against a
 * server that accepts TCP and never speaks, closing the services ends the probe at once with `cancelled` and the
 * server sees the socket close. Without the cancel the probe would wait for its 10 s timeout (connect_timeout).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../shared/api/reply.js';
import type { Dispatch } from '../../../main/api/registry.js';
import type { Services } from '../../../main/api/services.js';
import { startSilentTcp, type SilentTcp } from '../ssh/stuck-servers.js';
import { callDispatch, startDispatch } from './dispatch.js';

const decision = { persistent: false, detail: 'test' };

let dir: string;
let services: Services | undefined;
let silent: SilentTcp;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-probe-shutdown-'));
  silent = await startSilentTcp();
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  await silent.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<Dispatch> {
  let dispatch: Dispatch;
  ({ services, dispatch } = await startDispatch({
    workspacePath: path.join(dir, 'ws.sqlite'),
    emit: () => undefined,
    mode: 'browser',
    secrets: { cipher: null, decision },
  }));
  return dispatch;
}

const call = <T = unknown>(d: Dispatch, method: string, input: unknown): Promise<T> =>
  callDispatch<T>(d, method, input, 'http');

describe('hostKey.probe at shutdown', () => {
  it('a probe waiting on a silent server rejects with cancelled as soon as the services close; the socket is closed', async () => {
    const d = await start();
    const e = await call<{ id: string }>(d, 'engagement.create', { name: 'Shutdown' });
    const h = await call<{ id: string }>(d, 'host.add', {
      engagementId: e.id,
      host: { name: 'silent', address: '127.0.0.1', port: silent.port, user: 'auditor', auth: { type: 'password' } },
    });
    const probe = d('hostKey.probe', { hostId: h.id }, { transport: 'http' }) as Promise<Reply<unknown>>;
    await silent.opening(1);
    const t0 = Date.now();
    await services!.close();
    services = undefined;
    const r = await probe;
    const took = Date.now() - t0;
    expect(r.ok).toBe(false);
    expect(r.ok ? undefined : r.error.code).toBe('cancelled');
    expect(r.ok ? '' : r.error.message).toContain(`127.0.0.1:${silent.port}`);
    // The probe's own timeout is 10 s: far below it means the cancel, not the timeout, ended it.
    expect(took).toBeLessThan(3000);
    await silent.allClosed();
    expect(silent).toMatchObject({ opened: 1, closed: 1 });
  });
});
