/**
 * A scan through the services (the API dispatch, as the UI calls it) of the lab's `partial` host, whose sudo needs
 * a password: with the password given as a per-scan credential the collector runs as root; without it the run
 * still ends, unprivileged. The password never reaches the workspace file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatch } from '../../main/api/registry.js';
import type { Services } from '../../main/api/services.js';
import { callDispatch, scanFinished, startDispatch } from '../unit/services/dispatch.js';
import { ensureLab, labHost, type LabManifest } from './lab.js';

const decision = { persistent: false, detail: 'test' };

describe('scan of partial with a sudo credential, through the services', () => {
  let m: LabManifest;
  let dir: string;
  let file: string;
  let services: Services | undefined;
  let d: Dispatch;
  const events: { event: string; payload: { scanId?: string } }[] = [];

  beforeAll(async () => {
    m = await ensureLab();
    dir = mkdtempSync(join(tmpdir(), 'fe-lab-sudo-'));
    file = join(dir, 'ws.sqlite');
    let dispatch: Dispatch;
    ({ services, dispatch } = await startDispatch({
      workspacePath: file,
      emit: (event, payload) => events.push({ event, payload: payload as { scanId?: string } }),
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

  async function scan(engagementId: string, hostId: string, credentials: unknown[]) {
    const { scanId } = await call<{ scanId: string }>('scan.start', {
      engagementId,
      hostIds: [hostId],
      credentials,
    });
    await scanFinished(events, scanId, 120_000);
    return call<{ hostRuns: { state: string; privilege: string | null; error: unknown }[] }>('scan.get', {
      scanId,
    });
  }

  it('privileged with the sudo password, unprivileged without; the password is not in the workspace', async () => {
    const partial = labHost(m, 'partial');
    const sudoPassword = readFileSync(partial.sudoPasswordFile ?? '', 'utf8').replace(/\n$/, '');
    expect(sudoPassword.length).toBeGreaterThan(0);
    const e = await call<{ id: string }>('engagement.create', { name: 'Lab sudo' });
    const h = await call<{ id: string }>('host.add', {
      engagementId: e.id,
      host: {
        name: 'partial',
        address: partial.address,
        port: partial.port,
        user: partial.user,
        auth: { type: 'key', keyPath: partial.keyPath },
        privilege: 'sudo',
      },
    });
    const probe = await call<{ fingerprint: string }>('hostKey.probe', { hostId: h.id });
    expect(partial.hostKeys.map((k) => k.fingerprint)).toContain(probe.fingerprint);
    await call('hostKey.accept', { hostId: h.id, fingerprint: probe.fingerprint });

    const withSudo = await scan(e.id, h.id, [{ hostId: h.id, purpose: 'sudo', secret: sudoPassword }]);
    expect(withSudo.hostRuns).toMatchObject([{ state: 'done', privilege: 'sudo', error: null }]);

    const without = await scan(e.id, h.id, []);
    expect(without.hostRuns).toMatchObject([{ state: 'done', privilege: 'none' }]);

    await services!.close();
    services = undefined;
    for (const f of [file, `${file}-wal`].filter((x) => existsSync(x))) {
      expect(readFileSync(f).indexOf(Buffer.from(sudoPassword, 'utf8'))).toBe(-1);
    }
  }, 300_000);
});
