/**
 * No passphrase reaches a log or an error reply: the dispatch scrubs the call's secret values from what a failing
 * handler says, and the logger redacts secret-named fields and PEM private key blocks whatever logs them.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../main/api/handlers.js';
import { unavailableServices } from '../../../main/api/load-services.js';
import { REDACTED, redact } from '../../../main/api/log.js';
import { createDispatch } from '../../../main/api/registry.js';
import type { Services } from '../../../main/api/services.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { TEST_APP, memoryLogger } from './helpers.js';

const PASS = 'canary-pass-0f3a9c';
const ctx = { transport: 'http' as const };

function dispatchWith(signIn: Services['session']['signIn']) {
  const log = memoryLogger();
  const base = unavailableServices();
  const services: Services = { ...base, session: { ...base.session, signIn } };
  return { log, dispatch: createDispatch(createHandlers(services, TEST_APP), log, services.session) };
}

describe('secrets in what the API says and logs', () => {
  it('scrubs the passphrase from the stack of a handler that quotes it, in the log and the reply', async () => {
    const { log, dispatch } = dispatchWith(({ passphrase }) => {
      throw new Error(`key derivation failed for ${passphrase}`);
    });
    const r = await dispatch('session.signIn', { personId: 'p1', passphrase: PASS }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(log.entries).toHaveLength(1);
    expect(JSON.stringify(log.entries)).toContain(`key derivation failed for ${REDACTED}`);
    expect(JSON.stringify([r, log.entries])).not.toContain(PASS);
  });

  it('scrubs it from an error a user is shown', async () => {
    const { dispatch } = dispatchWith(({ passphrase }) => {
      throw new FoureyesError('auth_failed', `no key opens with "${passphrase}"`);
    });
    const r = await dispatch('session.signIn', { personId: 'p1', passphrase: PASS }, ctx);
    expect(r).toEqual({ ok: false, error: { code: 'auth_failed', message: `no key opens with "${REDACTED}"` } });
  });

  it('never echoes a refused passphrase', async () => {
    const { dispatch } = dispatchWith(() => ({ person: null, keychain: false, sealed: [] }));
    for (const passphrase of [`${PASS}${'x'.repeat(1100)}`, '', 12345678, [PASS]]) {
      const r = await dispatch('session.signIn', { personId: 'bad id!', passphrase }, ctx);
      expect(r.ok).toBe(false);
      expect(JSON.stringify(r)).not.toContain(PASS);
      expect(JSON.stringify(r)).not.toContain('12345678');
    }
  });

  it('the logger redacts secret-named fields and private key blocks, at any depth', () => {
    const pem = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIGbMFcGCSqGSIb3\n-----END ENCRYPTED PRIVATE KEY-----';
    expect(
      redact({ message: `failed: ${pem} after`, fields: { input: { passphrase: PASS, sudoPassword: 'x', user: 'ann' } } }),
    ).toEqual({
      message: `failed: ${REDACTED} after`,
      fields: { input: { passphrase: REDACTED, sudoPassword: REDACTED, user: 'ann' } },
    });
    // The stderr logger as the bridge and the shell use it.
    const out = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import('./main/api/log.ts').then(({ stderrLogger }) => stderrLogger.error('x', { input: { passphrase: '${PASS}' }, key: ${JSON.stringify(pem)} }))`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toContain('"passphrase":"[redacted]"');
    expect(out.stderr).not.toContain(PASS);
    expect(out.stderr).not.toContain('MIGbMFcGCSqGSIb3');
  });
});
