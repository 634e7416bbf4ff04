import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatch } from '../../../main/api/registry.js';
import type { Services } from '../../../main/api/services.js';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { addPinnedPasswordHosts, callDispatch, scanFinished, startDispatch } from './dispatch.js';
import { startTestSshServer, type TestSshServer } from './ssh2-server.js';

const decision = { persistent: false, detail: 'test' };
const ALPHA_PW = 'alpha-S3cret-pw-7f1c';
const GAMMA_PW = 'gamma-S3cret-pw-2b9e';
const GAMMA_WRONG = 'gamma-Wr0ng-pw-5d3a';

let dir: string;
let file: string;
let services: Services | undefined;
let events: { event: string; payload: unknown }[];
let alpha: TestSshServer;
let beta: TestSshServer;
let gamma: TestSshServer;

beforeAll(async () => {
  alpha = await startTestSshServer({ password: { user: 'auditor', password: ALPHA_PW }, exec: true });
  beta = await startTestSshServer({
    password: { user: 'auditor', password: 'beta-never-given' },
    exec: true,
  });
  gamma = await startTestSshServer({ password: { user: 'auditor', password: GAMMA_PW }, exec: true });
});
afterAll(async () => {
  await Promise.all([alpha?.stop(), beta?.stop(), gamma?.stop()]);
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-creds-'));
  file = path.join(dir, 'ws.sqlite');
  events = [];
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<Dispatch> {
  let dispatch: Dispatch;
  ({ services, dispatch } = await startDispatch({
    workspacePath: file,
    emit: (event, payload) => events.push({ event, payload }),
    mode: 'browser',
    secrets: { cipher: null, decision },
  }));
  return dispatch;
}

const call = <T = unknown>(d: Dispatch, method: string, input: unknown): Promise<T> =>
  callDispatch<T>(d, method, input, 'http');

/** One password-auth host per server, its host key pinned the way a user would (probe, then accept). */
const setUp = (d: Dispatch) => addPinnedPasswordHosts(d, 'http', 'Creds', { alpha, beta, gamma });

const finished = (scanId: string): Promise<void> => scanFinished(events, scanId);

describe('per-scan credentials', () => {
  it('a given password logs in; a host without one fails alone, saying so; secrets reach no file, event or error', async () => {
    const d = await start();
    const ids = await setUp(d);
    const checkIds = loadCatalogue()
      .checks.slice(0, 3)
      .map((c) => c.id);
    const { scanId } = await call<{ scanId: string }>(d, 'scan.start', {
      engagementId: ids.engagementId,
      hostIds: [ids.alpha, ids.beta, ids.gamma],
      selection: { checkIds },
      credentials: [
        { hostId: ids.alpha, purpose: 'login', secret: ALPHA_PW },
        { hostId: ids.gamma, purpose: 'login', secret: GAMMA_WRONG },
      ],
    });
    await finished(scanId);
    const got = await call<{
      hostRuns: { hostName: string; state: string; error: { code: string; message: string } | null }[];
    }>(d, 'scan.get', { scanId });
    const run = Object.fromEntries(got.hostRuns.map((r) => [r.hostName, r]));
    // alpha: authenticated with the given password and ran the collector through the server's exec.
    expect(alpha.authAttempts).toEqual([{ method: 'password', username: 'auditor', password: ALPHA_PW }]);
    expect(alpha.execs.length).toBeGreaterThan(0);
    expect(run['alpha']).toMatchObject({ state: 'done', error: null });
    // beta: no credential: never tried to authenticate, failed with a message that says what to do.
    expect(beta.authAttempts).toEqual([]);
    expect(run['beta']).toMatchObject({
      state: 'failed',
      error: {
        code: 'auth_failed',
        message: 'password needed for host beta: give it when starting the scan',
      },
    });
    // gamma: a wrong password is an authentication failure, not a missing secret.
    expect(gamma.authAttempts.map((a) => a.password)).toContain(GAMMA_WRONG);
    expect(run['gamma']?.state).toBe('failed');
    expect(run['gamma']?.error?.code).toBe('auth_failed');
    expect(run['gamma']?.error?.message).toMatch(/authentication failed/);
    // The progress event for beta carries the same message.
    const betaFailed = events.find(
      (e) =>
        e.event === 'scan.progress' &&
        (e.payload as { host: string; state: string }).host === 'beta' &&
        (e.payload as { state: string }).state === 'failed',
    );
    expect((betaFailed?.payload as { error?: { message: string } }).error?.message).toBe(
      'password needed for host beta: give it when starting the scan',
    );

    const eventsText = JSON.stringify(events) + JSON.stringify(got);
    for (const secret of [ALPHA_PW, GAMMA_WRONG]) expect(eventsText).not.toContain(secret);
    await services!.close();
    services = undefined;
    for (const f of [file, `${file}-wal`, `${file}-shm`].filter((x) => existsSync(x))) {
      const bytes = readFileSync(f);
      for (const secret of [ALPHA_PW, GAMMA_WRONG]) {
        expect(bytes.indexOf(Buffer.from(secret, 'utf8'))).toBe(-1);
        expect(bytes.indexOf(Buffer.from(secret, 'utf16le'))).toBe(-1);
      }
    }
    // The workspace holds the scan (the search above looked at real content).
    expect(readFileSync(file).indexOf(Buffer.from('password needed for host beta'))).toBeGreaterThan(-1);
  }, 90_000);

  it('refuses a credential for a host outside the scan, or two of one kind for a host, before storing a scan', async () => {
    const d = await start();
    const ids = await setUp(d);
    const r = await d(
      'scan.start',
      {
        engagementId: ids.engagementId,
        hostIds: [ids.alpha],
        credentials: [{ hostId: ids.beta, purpose: 'login', secret: 'x-secret-x' }],
      },
      { transport: 'http' },
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(JSON.stringify(r)).not.toContain('x-secret-x');
    expect(JSON.stringify(r)).toContain(ids.beta);
    const twice = await d(
      'scan.start',
      {
        engagementId: ids.engagementId,
        hostIds: [ids.alpha],
        credentials: [
          { hostId: ids.alpha, purpose: 'sudo', secret: 'one' },
          { hostId: ids.alpha, purpose: 'sudo', secret: 'two' },
        ],
      },
      { transport: 'http' },
    );
    expect(twice).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: 'two sudo credentials for host alpha' },
    });
    const list = await call<{ total: number }>(d, 'scan.list', { engagementId: ids.engagementId });
    expect(list.total).toBe(0);
  }, 30_000);
});
