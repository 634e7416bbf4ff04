/**
 * A real cipher standing in for Electron's safeStorage in tests: AES-256-GCM under a random key from node:crypto,
 * `iv (12) | tag (16) | ciphertext`. A blob from another key, or a changed byte, fails to decrypt, as with safeStorage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretCipher } from '../../../main/secrets/policy.js';

export function testCipher(): SecretCipher & { calls: { encrypt: number; decrypt: number } } {
  const key = randomBytes(32);
  const calls = { encrypt: 0, decrypt: 0 };
  return {
    calls,
    encrypt(plain) {
      calls.encrypt++;
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(blob) {
      calls.decrypt++;
      const d = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
      d.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([d.update(blob.subarray(28)), d.final()]).toString('utf8');
    },
  };
}
