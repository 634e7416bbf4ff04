/**
 * secret.status / remember / forget through the real dispatch over a real workspace: with a real cipher (AES-GCM
 * standing in for safeStorage) and with none (browser mode, Linux without a keyring).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../shared/api/reply.js';
import type { Dispatch } from '../../../main/api/registry.js';
import type { Services } from '../../../main/api/services.js';
import type { SecretCipher } from '../../../main/secrets/policy.js';
import { openWorkspace } from '../../../main/store/db.js';
import { testCipher } from '../secrets/test-cipher.js';
import { callDispatch, startDispatch } from './dispatch.js';

const KEYRING = {
  persistent: true,
  detail: 'Secrets are encrypted with a key kept by the desktop keyring (kwallet6).',
};
const NO_KEYRING = {
  persistent: false,
  detail:
    'No keyring (Secret Service or KWallet) is available, so secrets could only be obfuscated with a fixed key: they are asked for each time instead.',
};
const PW = 'db01-S3cret-pw-91ac';

let dir: string;
let file: string;
let services: Services | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-secrets-'));
  file = path.join(dir, 'ws.sqlite');
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(cipher: SecretCipher | null): Promise<Dispatch> {
  let dispatch: Dispatch;
  ({ services, dispatch } = await startDispatch({
    workspacePath: file,
    emit: () => undefined,
    mode: 'electron',
    secrets: { cipher, decision: cipher ? KEYRING : NO_KEYRING },
    platform: 'linux',
  }));
  return dispatch;
}

const call = <T = unknown>(d: Dispatch, method: string, input: unknown): Promise<T> =>
  callDispatch<T>(d, method, input, 'ipc');

interface Status {
  persistent: boolean;
  detail: string;
  stored: { hostId: string; purpose: string; storedAt: string; storedBy: string }[];
}

async function setUp(d: Dispatch) {
  const e = await call<{ id: string }>(d, 'engagement.create', { name: 'Secrets' });
  const add = (name: string, host: Record<string, unknown>) =>
    call<{ id: string }>(d, 'host.add', {
      engagementId: e.id,
      host: { name, address: '10.0.0.5', user: 'audit', ...host },
    });
  return {
    engagementId: e.id,
    pw: (await add('db01', { auth: { type: 'password' }, privilege: 'sudo' })).id,
    key: (await add('web01', { auth: { type: 'key', keyPath: '/k' }, privilege: 'auto' })).id,
    agent: (await add('app01', { auth: { type: 'agent' }, privilege: 'none' })).id,
  };
}

const purposes = (s: Status, hostId: string) =>
  s.stored.filter((x) => x.hostId === hostId).map((x) => x.purpose);

describe('stored secrets with a keychain', () => {
  it('remembers, reports without values, replaces and forgets', async () => {
    const d = await start(testCipher());
    const ids = await setUp(d);
    let s = await call<Status>(d, 'secret.status', { engagementId: ids.engagementId });
    expect(s).toEqual({ persistent: true, detail: KEYRING.detail, stored: [] });

    const r = await call<Record<string, unknown>>(d, 'secret.remember', {
      hostId: ids.pw,
      purpose: 'login',
      secret: PW,
    });
    expect(r).toMatchObject({ hostId: ids.pw, purpose: 'login' });
    expect(Object.keys(r).sort()).toEqual(['hostId', 'purpose', 'storedAt', 'storedBy']);
    await call(d, 'secret.remember', { hostId: ids.pw, purpose: 'sudo', secret: 'sudo-pw' });
    await call(d, 'secret.remember', { hostId: ids.key, purpose: 'login', secret: 'passphrase' });
    await call(d, 'secret.remember', { hostId: ids.pw, purpose: 'login', secret: `${PW}-new` });
    s = await call<Status>(d, 'secret.status', { engagementId: ids.engagementId });
    expect(purposes(s, ids.pw)).toEqual(['login', 'sudo']);
    expect(purposes(s, ids.key)).toEqual(['login']);
    expect(s.stored[0]!.storedBy.length).toBeGreaterThan(0);
    expect(JSON.stringify(s)).not.toContain(PW);

    expect(await call(d, 'secret.forget', { hostId: ids.pw, purpose: 'sudo' })).toEqual({
      hostId: ids.pw,
      forgotten: ['sudo'],
    });
    expect(await call(d, 'secret.forget', { hostId: ids.pw, purpose: 'sudo' })).toEqual({
      hostId: ids.pw,
      forgotten: [],
    });
    expect(await call(d, 'secret.forget', { hostId: ids.key })).toEqual({
      hostId: ids.key,
      forgotten: ['login'],
    });
    s = await call<Status>(d, 'secret.status', { engagementId: ids.engagementId });
    expect(s.stored.map((x) => [x.hostId, x.purpose])).toEqual([[ids.pw, 'login']]);

    // Only ciphertext in the table: what is stored decrypts to more than the secret (it is bound to the host).
    await services!.close();
    services = undefined;
    const ws = openWorkspace(file);
    const blob = ws.secrets.blob(ids.pw, 'login')!;
    ws.close();
    expect(blob.indexOf(Buffer.from(PW))).toBe(-1);
  });

  it('refuses secrets a host cannot use, unknown hosts and archived engagements; answers forget anyway', async () => {
    const d = await start(testCipher());
    const ids = await setUp(d);
    const err = async (method: string, input: unknown) => {
      const r = (await d(method, input, { transport: 'ipc' })) as Reply<unknown>;
      if (r.ok) throw new Error(`${method} succeeded`);
      expect(JSON.stringify(r)).not.toContain('pw-x');
      return r.error;
    };
    expect(await err('secret.remember', { hostId: ids.agent, purpose: 'login', secret: 'pw-x' })).toEqual({
      code: 'bad_input',
      message: 'host app01 logs in with the SSH agent: it has no login secret to store',
    });
    expect(await err('secret.remember', { hostId: ids.key, purpose: 'sudo', secret: 'pw-x' })).toEqual({
      code: 'bad_input',
      message: 'host web01 does not use sudo with a password (privilege auto): no sudo password to store',
    });
    const local = (
      await call<{ engagements: { id: string; name: string }[] }>(d, 'engagement.list', {})
    ).engagements.find((e) => e.name === 'This machine')!;
    const localHost = (await call<{ hosts: { id: string }[] }>(d, 'host.list', { engagementId: local.id }))
      .hosts[0]!;
    expect(
      (await err('secret.remember', { hostId: localHost.id, purpose: 'login', secret: 'pw-x' })).message,
    ).toMatch(/this machine, scanned without SSH/);
    expect((await err('secret.remember', { hostId: 'nope', purpose: 'login', secret: 'pw-x' })).code).toBe(
      'not_found',
    );
    expect((await err('secret.remember', { hostId: ids.pw, purpose: 'root', secret: 'pw-x' })).code).toBe(
      'bad_input',
    );
    expect((await err('secret.remember', { hostId: ids.pw, purpose: 'login', secret: '' })).code).toBe(
      'bad_input',
    );
    expect((await err('secret.status', { engagementId: 'nope' })).code).toBe('not_found');

    await call(d, 'secret.remember', { hostId: ids.pw, purpose: 'login', secret: PW });
    await call(d, 'engagement.archive', { engagementId: ids.engagementId });
    expect((await err('secret.remember', { hostId: ids.pw, purpose: 'sudo', secret: 'pw-x' })).code).toBe(
      'bad_input',
    );
    // Forgetting is always allowed: it only removes.
    expect(await call(d, 'secret.forget', { hostId: ids.pw })).toEqual({
      hostId: ids.pw,
      forgotten: ['login'],
    });
  });

  it('a changed address, port or user forgets both secrets; a changed login method the login secret; a rename nothing', async () => {
    const d = await start(testCipher());
    const ids = await setUp(d);
    const both = async () => {
      await call(d, 'secret.remember', { hostId: ids.pw, purpose: 'login', secret: PW });
      await call(d, 'secret.remember', { hostId: ids.pw, purpose: 'sudo', secret: 'sudo-pw' });
    };
    const stored = async () =>
      purposes(await call<Status>(d, 'secret.status', { engagementId: ids.engagementId }), ids.pw);
    const update = (changes: Record<string, unknown>) => call(d, 'host.update', { hostId: ids.pw, changes });

    await both();
    await update({
      name: 'db01-renamed',
      tags: ['prod'],
      notes: 'x',
      privilege: 'sudo',
      address: '10.0.0.5',
    });
    expect(await stored()).toEqual(['login', 'sudo']);
    await update({ address: '10.0.0.6' });
    expect(await stored()).toEqual([]);
    for (const change of [{ port: 2222 }, { user: 'root' }]) {
      await both();
      await update(change);
      expect(await stored()).toEqual([]);
    }
    await both();
    await update({ auth: { type: 'key', keyPath: '/k2' } });
    expect(await stored()).toEqual(['sudo']);
    await call(d, 'secret.remember', { hostId: ids.pw, purpose: 'login', secret: 'passphrase' });
    await update({ auth: { type: 'key', keyPath: '/k3' } });
    expect(await stored()).toEqual(['sudo']);

    // A refused update changes nothing: the secrets stay with the host as it was.
    await both();
    const clash = (await d(
      'host.update',
      { hostId: ids.pw, changes: { name: 'web01', address: '10.0.0.9' } },
      {
        transport: 'ipc',
      },
    )) as Reply<unknown>;
    expect(clash).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(await stored()).toEqual(['login', 'sudo']);
  });

  it('removing a host removes its stored secrets', async () => {
    const d = await start(testCipher());
    const ids = await setUp(d);
    await call(d, 'secret.remember', { hostId: ids.pw, purpose: 'login', secret: PW });
    await call(d, 'secret.remember', { hostId: ids.key, purpose: 'login', secret: 'passphrase' });
    await call(d, 'host.remove', { hostId: ids.pw });
    const s = await call<Status>(d, 'secret.status', { engagementId: ids.engagementId });
    expect(s.stored.map((x) => x.hostId)).toEqual([ids.key]);
    await services!.close();
    services = undefined;
    const ws = openWorkspace(file);
    expect(ws.db.prepare('SELECT host_id FROM stored_secret').all()).toEqual([{ host_id: ids.key }]);
    ws.close();
  });
});

describe('stored secrets without a keychain', () => {
  it('refuses to remember, naming why; reports persistent false with the reason; forget still answers', async () => {
    const d = await start(null);
    const ids = await setUp(d);
    const r = (await d(
      'secret.remember',
      { hostId: ids.pw, purpose: 'login', secret: PW },
      { transport: 'ipc' },
    )) as Reply<unknown>;
    expect(r).toEqual({
      ok: false,
      error: { code: 'bad_input', message: `secrets cannot be stored on this machine: ${NO_KEYRING.detail}` },
    });
    expect(await call<Status>(d, 'secret.status', { engagementId: ids.engagementId })).toEqual({
      persistent: false,
      detail: NO_KEYRING.detail,
      stored: [],
    });
    expect(await call(d, 'secret.forget', { hostId: ids.pw })).toEqual({ hostId: ids.pw, forgotten: [] });
    await services!.close();
    services = undefined;
    const ws = openWorkspace(file);
    expect(ws.db.prepare('SELECT count(*) AS n FROM stored_secret').get()).toEqual({ n: 0 });
    ws.close();
  });
});
