/**
 * Scans using secrets stored with secret.remember, against in-process SSH servers with password auth: a stored
 * password logs in when none is given; a given one wins; a stored one the keychain cannot open, or one kept for
 * another host, is never sent and the host fails saying what to do; no secret reaches an event, a reply or the
 * workspace file (WAL and shared memory files included).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatch } from '../../../main/api/registry.js';
import type { Services } from '../../../main/api/services.js';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import type { SecretCipher } from '../../../main/secrets/policy.js';
import { testCipher } from '../secrets/test-cipher.js';
import { addPinnedPasswordHosts, callDispatch, scanFinished, startDispatch } from './dispatch.js';
import { startTestSshServer, type TestSshServer } from './ssh2-server.js';

const decision = {
  persistent: true,
  detail: 'Secrets are encrypted with a key kept by the operating system keychain.',
};
const ALPHA_PW = 'alpha-Stored-pw-4e2d';
const BETA_PW = 'beta-Stored-pw-8c1f';
const GAMMA_PW = 'gamma-Given-pw-6a0b';
const GAMMA_OLD = 'gamma-Old-stored-pw-3d7e';
const SECRETS = [ALPHA_PW, BETA_PW, GAMMA_PW, GAMMA_OLD];

let dir: string;
let file: string;
let services: Services | undefined;
let events: { event: string; payload: unknown }[];
let alpha: TestSshServer;
let beta: TestSshServer;
let gamma: TestSshServer;

beforeAll(async () => {
  alpha = await startTestSshServer({ password: { user: 'auditor', password: ALPHA_PW }, exec: true });
  beta = await startTestSshServer({ password: { user: 'auditor', password: BETA_PW }, exec: true });
  gamma = await startTestSshServer({ password: { user: 'auditor', password: GAMMA_PW }, exec: true });
});
afterAll(async () => {
  await Promise.all([alpha?.stop(), beta?.stop(), gamma?.stop()]);
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-stored-'));
  file = path.join(dir, 'ws.sqlite');
  events = [];
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(cipher: SecretCipher): Promise<Dispatch> {
  let dispatch: Dispatch;
  ({ services, dispatch } = await startDispatch({
    workspacePath: file,
    emit: (event, payload) => events.push({ event, payload }),
    mode: 'electron',
    secrets: { cipher, decision },
    platform: 'linux',
  }));
  return dispatch;
}

async function stop(): Promise<void> {
  await services?.close();
  services = undefined;
}

const call = <T = unknown>(d: Dispatch, method: string, input: unknown): Promise<T> =>
  callDispatch<T>(d, method, input, 'ipc');

const setUp = (d: Dispatch) => addPinnedPasswordHosts(d, 'ipc', 'Stored', { alpha, beta, gamma });

type Runs = Record<string, { state: string; error: { code: string; message: string } | null }>;

async function scan(
  d: Dispatch,
  engagementId: string,
  hostIds: string[],
  credentials: unknown[] = [],
): Promise<Runs> {
  const checkIds = loadCatalogue()
    .checks.slice(0, 3)
    .map((c) => c.id);
  const { scanId } = await call<{ scanId: string }>(d, 'scan.start', {
    engagementId,
    hostIds,
    selection: { checkIds },
    credentials,
  });
  await scanFinished(events, scanId);
  const got = await call<{ hostRuns: ({ hostName: string } & Runs[string])[] }>(d, 'scan.get', { scanId });
  events.push({ event: 'reply', payload: got });
  return Object.fromEntries(got.hostRuns.map((r) => [r.hostName, { state: r.state, error: r.error }]));
}

function expectNoSecretIn(bytes: Buffer, where: string): void {
  for (const s of SECRETS) {
    expect(bytes.indexOf(Buffer.from(s, 'utf8')), `${s} in ${where}`).toBe(-1);
    expect(bytes.indexOf(Buffer.from(s, 'utf16le')), `${s} (UTF-16) in ${where}`).toBe(-1);
  }
}

describe('scans with stored secrets', () => {
  it('a stored password logs in; a given one wins; none leaks into events, replies or the workspace files', async () => {
    const cipher = testCipher();
    const d = await start(cipher);
    const ids = await setUp(d);
    await call(d, 'secret.remember', { hostId: ids.alpha, purpose: 'login', secret: ALPHA_PW });
    await call(d, 'secret.remember', { hostId: ids.gamma, purpose: 'login', secret: GAMMA_OLD });
    alpha.authAttempts.length = 0;
    gamma.authAttempts.length = 0;
    // Before any scan: the keychain encrypted twice and decrypted nothing.
    expect(cipher.calls).toEqual({ encrypt: 2, decrypt: 0 });

    const runs = await scan(
      d,
      ids.engagementId,
      [ids.alpha, ids.gamma],
      [{ hostId: ids.gamma, purpose: 'login', secret: GAMMA_PW }],
    );
    expect(runs['alpha']).toEqual({ state: 'done', error: null });
    expect(alpha.authAttempts).toEqual([{ method: 'password', username: 'auditor', password: ALPHA_PW }]);
    expect(alpha.execs.length).toBeGreaterThan(0);
    // The password given for this scan went to gamma; the stored one was neither sent nor decrypted.
    expect(runs['gamma']).toEqual({ state: 'done', error: null });
    expect(gamma.authAttempts.map((a) => a.password)).toEqual([GAMMA_PW]);
    expect(cipher.calls.decrypt).toBe(1);

    // The stored secret stays stored, for the next scan.
    const again = await scan(d, ids.engagementId, [ids.alpha]);
    expect(again['alpha']?.state).toBe('done');
    expect(alpha.authAttempts.map((a) => a.password)).toEqual([ALPHA_PW, ALPHA_PW]);

    expectNoSecretIn(Buffer.from(JSON.stringify(events)), 'events and replies');
    // Checked while the services still hold the database open (WAL not yet checkpointed), then after closing.
    const files = () => [file, `${file}-wal`, `${file}-shm`].filter((f) => existsSync(f));
    expect(files()).toContain(`${file}-wal`);
    for (const f of files()) expectNoSecretIn(readFileSync(f), f);
    await stop();
    for (const f of files()) expectNoSecretIn(readFileSync(f), f);
    // The search looked at real content: the workspace holds the hosts and the scans.
    expect(readFileSync(file).indexOf(Buffer.from('gamma'))).toBeGreaterThan(-1);
  }, 90_000);

  it('a stored secret the keychain cannot open, or one kept for another host, is never sent: the host fails saying so', async () => {
    const first = testCipher();
    let d = await start(first);
    const ids = await setUp(d);
    await call(d, 'secret.remember', { hostId: ids.alpha, purpose: 'login', secret: ALPHA_PW });
    await call(d, 'secret.remember', { hostId: ids.beta, purpose: 'login', secret: BETA_PW });
    await stop();

    // alpha's ciphertext copied onto gamma's row (a workspace edited behind the application's back).
    const raw = new Database(file);
    raw
      .prepare(
        `INSERT INTO stored_secret (host_id, purpose, ciphertext, stored_at, stored_by)
         SELECT ?, purpose, ciphertext, stored_at, stored_by FROM stored_secret WHERE host_id = ? AND purpose = 'login'`,
      )
      .run(ids.gamma, ids.alpha);
    raw.close();

    d = await start(first);
    alpha.authAttempts.length = 0;
    gamma.authAttempts.length = 0;
    let runs = await scan(d, ids.engagementId, [ids.alpha, ids.gamma]);
    expect(runs['alpha']?.state).toBe('done');
    expect(runs['gamma']).toEqual({
      state: 'failed',
      error: {
        code: 'auth_failed',
        message:
          'stored password for host gamma was kept for another address, port, user or login method; forget it and give it again',
      },
    });
    expect(gamma.authAttempts).toEqual([]);
    await stop();

    // Another keychain key (a new OS profile, a reset keyring): nothing stored can be decrypted any more.
    d = await start(testCipher());
    alpha.authAttempts.length = 0;
    beta.authAttempts.length = 0;
    runs = await scan(
      d,
      ids.engagementId,
      [ids.alpha, ids.beta],
      [{ hostId: ids.beta, purpose: 'login', secret: BETA_PW }],
    );
    expect(runs['alpha']).toEqual({
      state: 'failed',
      error: {
        code: 'auth_failed',
        message: 'stored password for host alpha can no longer be decrypted; forget it and give it again',
      },
    });
    expect(alpha.authAttempts).toEqual([]);
    // A password given for the scan does not need the stored one.
    expect(runs['beta']?.state).toBe('done');
    const failed = events.find(
      (e) =>
        e.event === 'scan.progress' &&
        (e.payload as { host: string; state: string }).host === 'alpha' &&
        (e.payload as { state: string }).state === 'failed',
    );
    expect((failed?.payload as { error?: { message: string } }).error?.message).toMatch(
      /can no longer be decrypted/,
    );

    // Forgotten and given again: works.
    await call(d, 'secret.forget', { hostId: ids.alpha });
    await call(d, 'secret.remember', { hostId: ids.alpha, purpose: 'login', secret: ALPHA_PW });
    runs = await scan(d, ids.engagementId, [ids.alpha]);
    expect(runs['alpha']?.state).toBe('done');
    expectNoSecretIn(Buffer.from(JSON.stringify(events)), 'events and replies');
  }, 120_000);
});
