/**
 * API tokens of publishing targets (a Confluence or Jira server, and the account on it) kept between runs, as the
 * OS keychain's ciphertext only (main/secrets/envelope.ts, bound to the service, URL and user): stored only where
 * the keychain really encrypts (the desktop app), never in browser mode or by the CLI.
 */
import type { Migration } from './types.js';

export const m0011: Migration = {
  version: 11,
  name: 'publish-token',
  up(db) {
    db.exec(`
CREATE TABLE publish_token (
  service    TEXT NOT NULL CHECK (service IN ('confluence', 'jira')),
  url        TEXT NOT NULL CHECK (length(url) > 0),
  user       TEXT NOT NULL DEFAULT '',
  ciphertext BLOB NOT NULL CHECK (length(ciphertext) > 0),
  stored_at  TEXT NOT NULL,
  stored_by  TEXT NOT NULL,
  PRIMARY KEY (service, url, user)
) STRICT;`);
  },
};
