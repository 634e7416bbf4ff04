/**
 * A person's Ed25519 key pair, with Node's crypto only: the private key is kept as PKCS#8 PEM encrypted with
 * aes-256-cbc under the person's passphrase (PBES2 with PBKDF2, as OpenSSL writes it), the public key as SPKI PEM.
 * A wrong passphrase is a sentence naming the person, never a stack trace.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  verify as verifySignature,
  type KeyObject,
} from 'node:crypto';
import { FoureyesError } from '../../shared/model/errors.js';

/** Fewer characters than this is refused as a passphrase. */
export const MIN_PASSPHRASE = 8;

export interface KeyPair {
  /** SPKI PEM. */
  publicKey: string;
  /** PKCS#8 PEM, encrypted with the passphrase. */
  privateKey: string;
  fingerprint: string;
  /** The private key itself, in memory only (for the person's first signature). */
  signingKey: KeyObject;
}

/** Refuses a passphrase too short to protect a signing key. */
export function checkPassphrase(passphrase: string, who: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE)
    throw new FoureyesError(
      'bad_input',
      `the passphrase for ${who} is too short: at least ${MIN_PASSPHRASE} characters are needed`,
    );
}

export function generateKeys(passphrase: string, who: string): KeyPair {
  checkPassphrase(passphrase, who);
  const pair = generateKeyPairSync('ed25519');
  return {
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privateKey: pair.privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase,
    }) as string,
    fingerprint: fingerprintOf(pair.publicKey),
    signingKey: pair.privateKey,
  };
}

/** `SHA256:` and the unpadded base64 of the SHA-256 of the key's SPKI DER. */
export function fingerprintOf(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`;
}

/**
 * An Ed25519 public key from SPKI PEM or base64 SPKI DER; anything else (another key type, a private key, garbage)
 * is a `bad_input` error saying so, with `where` naming its source.
 */
export function parsePublicKey(text: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    const t = text.trim();
    key = t.startsWith('-----BEGIN PUBLIC KEY-----')
      ? createPublicKey({ key: t, format: 'pem' })
      : createPublicKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'spki' });
  } catch {
    throw new FoureyesError('bad_input', `${where} is not a public key (SPKI PEM or base64 DER expected)`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new FoureyesError(
      'bad_input',
      `${where} is a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`,
    );
  return key;
}

/**
 * Decrypts a person's private key. A wrong passphrase, and a stored key that is not the pair of the person's public
 * key, are errors naming the person.
 */
export function unlockPrivateKey(
  encrypted: string,
  passphrase: string,
  who: string,
  publicKey: KeyObject,
): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: encrypted, format: 'pem', passphrase });
  } catch {
    throw new FoureyesError('auth_failed', `wrong passphrase for ${who}: their signing key stays locked`);
  }
  if (key.asymmetricKeyType !== 'ed25519' || fingerprintOf(createPublicKey(key)) !== fingerprintOf(publicKey))
    throw new FoureyesError('store', `the private key stored for ${who} does not belong to their public key`);
  return key;
}

/** Whether `signature` is `key`'s Ed25519 signature of `data` (false for a malformed signature). */
export function signatureValid(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verifySignature(null, data, key, signature);
  } catch {
    return false;
  }
}
