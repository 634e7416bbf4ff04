/**
 * Secrets kept between runs (login password or key passphrase, sudo password), one per host and purpose. Only
 * ciphertext is stored: the services encrypt with the OS keychain (Electron safeStorage) before anything reaches
 * this table, and store nothing where no keychain protects the key. Removing a host removes its secrets.
 */
import type { Migration } from './types.js';

export const m0003: Migration = {
  version: 3,
  name: 'stored-secret',
  up(db) {
    db.exec(`
CREATE TABLE stored_secret (
  host_id    TEXT NOT NULL REFERENCES host (id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL CHECK (purpose IN ('login', 'sudo')),
  ciphertext BLOB NOT NULL CHECK (length(ciphertext) > 0),
  stored_at  TEXT NOT NULL,
  stored_by  TEXT NOT NULL CHECK (length(stored_by) > 0),
  PRIMARY KEY (host_id, purpose)
) STRICT;`);
  },
};
