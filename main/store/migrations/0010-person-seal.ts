/**
 * A person's signing key sealed by the operating system's keychain (Electron safeStorage, only where it is real:
 * macOS Keychain, Windows DPAPI, a Linux desktop keyring, never its plain-text fallback), so that signing in on this
 * computer needs no passphrase. The key stays in `person.private_key` encrypted under the passphrase too; a seal is
 * an extra copy that only this computer's keychain can open, and removing it (or the person) removes the copy.
 */
import type { Migration } from './types.js';

export const m0010: Migration = {
  version: 10,
  name: 'person-seal',
  up(db) {
    db.exec(`
CREATE TABLE person_seal (
  person_id TEXT PRIMARY KEY NOT NULL REFERENCES person (id) ON DELETE CASCADE,
  sealed    BLOB NOT NULL CHECK (length(sealed) > 0),
  sealed_at TEXT NOT NULL
) STRICT;`);
  },
};
