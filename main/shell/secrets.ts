/** safeStorage behind the pure policy of main/secrets/policy.ts. Call after app ready (Linux reports 'unknown' before). */
import { safeStorage } from 'electron';
import { guardCipher, type SecretCipher, type SecretStorageDecision } from '../secrets/policy.js';

export function secretStorage(): { cipher: SecretCipher | null; decision: SecretStorageDecision } {
  const facts = {
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
  };
  return guardCipher(facts, {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (blob) => safeStorage.decryptString(blob),
  });
}
