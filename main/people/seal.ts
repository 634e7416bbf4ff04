/**
 * A person's signing key sealed by this computer's keychain (the same guarded safeStorage cipher as stored SSH
 * secrets, main/secrets/policy.ts: only where the operating system really encrypts), so that signing in here needs
 * no passphrase. The key is also kept encrypted under the passphrase (main/people/keys.ts); the seal is an extra
 * copy, made only when the person asks for it at a sign-in with their passphrase, recorded in the trail, and removed
 * on request. A seal that the keychain no longer opens (another computer, a reset keyring) is an error that says to
 * sign in with the passphrase; it never falls back to anything weaker.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Person } from '../../shared/model/person.js';
import type { SecretCipher } from '../secrets/policy.js';
import { fingerprintOf, parsePublicKey } from './keys.js';

/** The key as sealed bytes: PKCS#8 PEM, encrypted by the keychain's cipher. */
export function sealKey(cipher: SecretCipher, key: KeyObject): Buffer {
  return cipher.encrypt(key.export({ type: 'pkcs8', format: 'pem' }) as string);
}

/** Opens a sealed key and checks that it is the pair of the person's public key. */
export function openSealedKey(cipher: SecretCipher, sealed: Buffer, person: Person): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: cipher.decrypt(sealed), format: 'pem' });
  } catch {
    throw new FoureyesError(
      'auth_failed',
      `this computer's keychain cannot open the key it sealed for ${person.name}: sign in with the passphrase`,
    );
  }
  const publicKey = parsePublicKey(person.publicKey, `the public key stored for ${person.name}`);
  if (key.asymmetricKeyType !== 'ed25519' || fingerprintOf(createPublicKey(key)) !== fingerprintOf(publicKey))
    throw new FoureyesError('store', `the key sealed for ${person.name} does not belong to their public key`);
  return key;
}
