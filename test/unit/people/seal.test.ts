/**
 * A person's key sealed by this computer's keychain. Electron's safeStorage cannot run here, so the keychain is
 * played by an AES-256-GCM cipher with a key of its own (the SecretCipher interface the Electron shell fills with
 * safeStorage); everything else is real: the session service, the workspace file, the trail and its verifier.
 */
import { createCipheriv, createDecipheriv, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyTrail } from '../../../main/audit/verify.js';
import { addPerson, unlockKey } from '../../../main/people/people.js';
import { publicKeyOf } from '../../../main/people/public-keys.js';
import type { SecretCipher } from '../../../main/secrets/policy.js';
import { sessionService } from '../../../main/services/session.js';
import type { Session } from '../../../shared/api/schemas/people.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { tempDir } from '../store/helpers.js';

const PASS = 'correct horse battery';

/** A keychain of its own: what one computer's safeStorage would be. */
function keychain(): SecretCipher {
  const k = randomBytes(32);
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(blob) {
      const d = createDecipheriv('aes-256-gcm', k, blob.subarray(0, 12));
      d.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([d.update(blob.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

/** The session service's calls are synchronous; the contract's type allows a promise. */
const now = (v: unknown): Session => v as Session;

function refusal(f: () => unknown): FoureyesError {
  try {
    f();
  } catch (e) {
    if (e instanceof FoureyesError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('a signing key sealed by the keychain', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let ws: Workspace;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'w.sqlite');
    ws = openWorkspace(path);
  });
  afterEach(() => {
    ws.close();
    cleanup();
  });

  it('sealed at a sign-in with the passphrase, then opens without it; recorded and verified; removable', () => {
    const chain = keychain();
    const alice = addPerson(ws, { name: 'Alice', role: 'consultant', email: 'a@example.org' }, PASS);
    const s = sessionService(ws, chain);
    expect(now(s.current({}))).toEqual({ person: null, keychain: true, sealed: [] });
    expect(now(s.signIn({ personId: alice.id, passphrase: PASS, remember: true }))).toMatchObject({
      person: { id: alice.id },
      sealed: [alice.id],
    });
    now(s.signOut({}));
    // A new run of the workstation: nothing in memory, the keychain opens the key.
    const later = sessionService(ws, chain);
    expect(now(later.signIn({ personId: alice.id })).person?.id).toBe(alice.id);
    const acting = later.acting()!;
    const { key } = unlockKey(ws, 'Alice', PASS);
    expect(acting.sign(Buffer.from('x'))).toEqual(
      // Ed25519 is deterministic: the key opened by the keychain is the passphrase's key.
      sign(null, Buffer.from('x'), key),
    );
    const actions = ws.audit.page(0, 50).map((e) => e.action);
    expect(actions).toContain('person.seal');
    later.forgetKey({ personId: alice.id }, acting);
    expect(ws.audit.page(0, 50).map((e) => e.action)).toContain('person.unseal');
    expect(now(later.current({})).sealed).toEqual([]);
    now(later.signOut({}));
    expect(refusal(() => later.signIn({ personId: alice.id })).message).toBe(
      "this computer's keychain holds no key for Alice: sign in with the passphrase",
    );
    expect(verifyTrail(ws, { publicKeyOf: publicKeyOf(ws) })).toMatchObject({ ok: true });
  });

  it('no keychain (browser mode, the CLI, a plain-text keyring): nothing sealed, a sentence saying why', () => {
    const alice = addPerson(ws, { name: 'Alice', role: 'consultant', email: 'a@example.org' }, PASS);
    const s = sessionService(ws, null);
    expect(now(s.current({}))).toEqual({ person: null, keychain: false, sealed: [] });
    const e = refusal(() => s.signIn({ personId: alice.id, passphrase: PASS, remember: true }));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(/no keychain that really encrypts/);
    expect(now(s.current({})).person).toBeNull();
    expect(ws.db.prepare('SELECT count(*) FROM person_seal').pluck().get()).toBe(0);
    expect(refusal(() => s.signIn({ personId: alice.id })).message).toMatch(/sign in with the passphrase/);
  });

  it("another computer's keychain does not open the seal; a wrong passphrase seals nothing", () => {
    const alice = addPerson(ws, { name: 'Alice', role: 'consultant', email: 'a@example.org' }, PASS);
    sessionService(ws, keychain()).signIn({ personId: alice.id, passphrase: PASS, remember: true });
    const elsewhere = sessionService(ws, keychain());
    const e = refusal(() => elsewhere.signIn({ personId: alice.id }));
    expect(e).toMatchObject({ code: 'auth_failed' });
    expect(e.message).toBe("this computer's keychain cannot open the key it sealed for Alice: sign in with the passphrase");
    expect(now(elsewhere.current({})).person).toBeNull();
    ws.db.prepare('DELETE FROM person_seal').run();
    expect(refusal(() => elsewhere.signIn({ personId: alice.id, passphrase: 'not the passphrase', remember: true })).code).toBe(
      'auth_failed',
    );
    expect(ws.db.prepare('SELECT count(*) FROM person_seal').pluck().get()).toBe(0);
  });

  it('the workspace file holds the key only encrypted: no private key in clear, no passphrase', () => {
    const alice = addPerson(ws, { name: 'Alice', role: 'consultant', email: 'a@example.org' }, PASS);
    const s = sessionService(ws, keychain());
    s.signIn({ personId: alice.id, passphrase: PASS, remember: true });
    const { key } = unlockKey(ws, 'Alice', PASS);
    const der = key.export({ type: 'pkcs8', format: 'der' });
    const pemBody = (key.export({ type: 'pkcs8', format: 'pem' }) as string).split('\n')[1]!;
    ws.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = [path, `${path}-wal`].map((f) => {
      try {
        return readFileSync(f);
      } catch {
        return Buffer.alloc(0);
      }
    });
    for (const bytes of files) {
      expect(bytes.includes(der.subarray(16))).toBe(false);
      expect(bytes.includes(Buffer.from(pemBody))).toBe(false);
      expect(bytes.includes(Buffer.from('PRIVATE KEY-----\n' + pemBody))).toBe(false);
      expect(bytes.includes(Buffer.from(PASS))).toBe(false);
    }
  });
});
