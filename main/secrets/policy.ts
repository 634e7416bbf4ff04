/**
 * Whether secrets (passwords, key passphrases) may be kept between runs. Electron's safeStorage encrypts with a key
 * held by the OS keychain; on Linux without a keyring it falls back to `basic_text`, a fixed key compiled into
 * Chromium, which protects nothing. Then Foureyes keeps no secret on disk and asks for it each time instead.
 * Pure: the shell gathers the facts from Electron and applies the decision.
 */

export interface SecretStorageFacts {
  platform: NodeJS.Platform;
  /** safeStorage.isEncryptionAvailable() (after app ready). */
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend() on Linux; undefined elsewhere. */
  backend?: string;
}

export interface SecretStorageDecision {
  /** True: secrets may be stored encrypted. False: ask each time, store nothing. */
  persistent: boolean;
  /** One sentence for the user (shown in app.info and where a password is asked for). */
  detail: string;
}

/** Linux backends that keep the key in a real keyring. */
const LINUX_KEYRINGS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function decideSecretStorage(facts: SecretStorageFacts): SecretStorageDecision {
  if (!facts.encryptionAvailable) {
    return {
      persistent: false,
      detail: 'The operating system offers no encryption for stored secrets: they are asked for each time.',
    };
  }
  if (facts.platform === 'linux') {
    if (facts.backend === 'basic_text') {
      return {
        persistent: false,
        detail:
          'No keyring (Secret Service or KWallet) is available, so secrets could only be obfuscated with a fixed key: ' +
          'they are asked for each time instead.',
      };
    }
    if (!facts.backend || !LINUX_KEYRINGS.has(facts.backend)) {
      return {
        persistent: false,
        detail: `Unknown secret storage backend "${facts.backend ?? ''}": secrets are asked for each time.`,
      };
    }
    return {
      persistent: true,
      detail: `Secrets are encrypted with a key kept by the desktop keyring (${facts.backend}).`,
    };
  }
  return {
    persistent: true,
    detail: 'Secrets are encrypted with a key kept by the operating system keychain.',
  };
}

/** Encrypts secrets for storage; only handed to services when the decision is persistent. */
export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(blob: Buffer): string;
}

/** The cipher when storing is allowed, otherwise null; always with the user-facing detail. */
export function guardCipher(
  facts: SecretStorageFacts,
  cipher: SecretCipher,
): { cipher: SecretCipher | null; decision: SecretStorageDecision } {
  const decision = decideSecretStorage(facts);
  return { cipher: decision.persistent ? cipher : null, decision };
}
