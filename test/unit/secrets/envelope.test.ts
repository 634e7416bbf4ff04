import { describe, expect, it } from 'vitest';
import type { Host } from '../../../shared/model/workspace.js';
import { bindingOf, openSecret, sealSecret } from '../../../main/secrets/envelope.js';
import { testCipher } from './test-cipher.js';

const host = (over: Partial<Host> = {}): Host => ({
  id: 'h1',
  engagementId: 'e1',
  name: 'db01',
  address: '10.0.0.5',
  port: 22,
  user: 'audit',
  auth: { type: 'key', keyPath: '/home/a/.ssh/id_ed25519' },
  jumpHostId: null,
  privilege: 'sudo',
  pinnedFingerprint: null,
  tags: [],
  notes: null,
  createdAt: '',
  updatedAt: '',
  ...over,
});

describe('stored secret envelope', () => {
  const SECRET = 'pässwörd-with-"quotes"-and-\n';

  it('opens what it sealed for the same endpoint; the ciphertext holds no clear text', () => {
    const c = testCipher();
    const blob = sealSecret(c, bindingOf(host(), 'login'), SECRET);
    expect(blob.indexOf(Buffer.from('pässwörd'))).toBe(-1);
    expect(blob.indexOf(Buffer.from('10.0.0.5'))).toBe(-1);
    expect(openSecret(c, blob, bindingOf(host(), 'login'))).toEqual({ ok: true, secret: SECRET });
    // Fields that do not decide where the secret goes may change.
    expect(
      openSecret(c, blob, bindingOf(host({ name: 'renamed', tags: ['x'], privilege: 'none' }), 'login')),
    ).toEqual({
      ok: true,
      secret: SECRET,
    });
  });

  it('refuses another host, purpose, address, port, user or login method', () => {
    const c = testCipher();
    const blob = sealSecret(c, bindingOf(host(), 'login'), SECRET);
    for (const other of [
      bindingOf(host({ id: 'h2' }), 'login'),
      bindingOf(host(), 'sudo'),
      bindingOf(host({ address: '10.0.0.6' }), 'login'),
      bindingOf(host({ port: 2222 }), 'login'),
      bindingOf(host({ user: 'root' }), 'login'),
      bindingOf(host({ auth: { type: 'key', keyPath: '/other' } }), 'login'),
      bindingOf(host({ auth: { type: 'password' } }), 'login'),
    ])
      expect(openSecret(c, blob, other)).toEqual({ ok: false, why: 'elsewhere' });
    // A sudo password does not depend on the login method.
    const sudo = sealSecret(c, bindingOf(host(), 'sudo'), SECRET);
    expect(openSecret(c, sudo, bindingOf(host({ auth: { type: 'password' } }), 'sudo'))).toMatchObject({
      ok: true,
    });
  });

  it('reports a blob of another key, a damaged blob or foreign plaintext as undecryptable, never throwing', () => {
    const c = testCipher();
    const b = bindingOf(host(), 'login');
    const blob = sealSecret(c, b, SECRET);
    expect(openSecret(testCipher(), blob, b)).toEqual({ ok: false, why: 'undecryptable' });
    const damaged = Buffer.from(blob);
    damaged[damaged.length - 1]! ^= 1;
    expect(openSecret(c, damaged, b)).toEqual({ ok: false, why: 'undecryptable' });
    expect(openSecret(c, c.encrypt('just the password'), b)).toEqual({ ok: false, why: 'undecryptable' });
    expect(openSecret(c, c.encrypt(JSON.stringify({ v: 1, b, s: '' })), b)).toEqual({
      ok: false,
      why: 'undecryptable',
    });
  });
});
