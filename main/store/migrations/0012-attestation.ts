/**
 * Attestations (shared/model/attestation.ts): one current answer per engagement and attestation check; earlier
 * answers live in the audit trail, where every answer is recorded signed.
 */
import type { Migration } from './types.js';

export const m0012: Migration = {
  version: 12,
  name: 'attestation',
  up(db) {
    db.exec(`
CREATE TABLE attestation (
  engagement_id    TEXT NOT NULL REFERENCES engagement(id) ON DELETE CASCADE,
  check_id         TEXT NOT NULL CHECK (length(check_id) BETWEEN 1 AND 100),
  answer           TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'not_applicable')),
  note             TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  answered_by      TEXT NOT NULL,
  answered_by_name TEXT NOT NULL,
  answered_at      TEXT NOT NULL,
  PRIMARY KEY (engagement_id, check_id)
) STRICT;`);
  },
};
