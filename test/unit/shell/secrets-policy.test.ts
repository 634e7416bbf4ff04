import { describe, expect, it } from 'vitest';
import { decideSecretStorage, guardCipher } from '../../../main/secrets/policy.js';

describe('secret storage policy', () => {
  it('refuses to store secrets on Linux without a keyring (basic_text) and asks each time instead', () => {
    const d = decideSecretStorage({ platform: 'linux', encryptionAvailable: true, backend: 'basic_text' });
    expect(d.persistent).toBe(false);
    expect(d.detail).toMatch(/asked for each time/);
  });

  it.each([
    [{ platform: 'linux' as const, encryptionAvailable: true, backend: 'gnome_libsecret' }, true],
    [{ platform: 'linux' as const, encryptionAvailable: true, backend: 'kwallet6' }, true],
    [{ platform: 'linux' as const, encryptionAvailable: true, backend: 'unknown' }, false],
    [{ platform: 'linux' as const, encryptionAvailable: true }, false],
    [{ platform: 'linux' as const, encryptionAvailable: false, backend: 'gnome_libsecret' }, false],
    [{ platform: 'darwin' as const, encryptionAvailable: true }, true],
    [{ platform: 'win32' as const, encryptionAvailable: true }, true],
    [{ platform: 'win32' as const, encryptionAvailable: false }, false],
  ])('%j -> persistent %s', (facts, persistent) => {
    expect(decideSecretStorage(facts).persistent).toBe(persistent);
  });

  it('hands the cipher over only when storing is allowed', () => {
    const cipher = { encrypt: (s: string) => Buffer.from(s), decrypt: (b: Buffer) => b.toString() };
    expect(
      guardCipher({ platform: 'linux', encryptionAvailable: true, backend: 'basic_text' }, cipher).cipher,
    ).toBeNull();
    expect(
      guardCipher({ platform: 'linux', encryptionAvailable: true, backend: 'kwallet5' }, cipher).cipher,
    ).toBe(cipher);
  });
});
