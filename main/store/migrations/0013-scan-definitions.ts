/**
 * What a scan ran that the built-in catalogue cannot give back: the definitions of its checks from a check pack
 * or tailored by a profile (keyed by scan and digest), and the attestation answers its evaluation used. With
 * them a scan can be exported and evaluated again elsewhere (`foureyes export scan`, `foureyes reevaluate`).
 */
import type { Migration } from './types.js';

export const m0013: Migration = {
  version: 13,
  name: 'scan-definitions',
  up(db) {
    db.exec(`
CREATE TABLE scan_check (
  scan_id    TEXT NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
  digest     TEXT NOT NULL CHECK (length(digest) = 64),
  check_id   TEXT NOT NULL CHECK (length(check_id) BETWEEN 1 AND 100),
  origin     TEXT NOT NULL CHECK (origin IN ('pack', 'tailored')),
  definition TEXT NOT NULL CHECK (json_valid(definition) AND json_type(definition) = 'object'),
  PRIMARY KEY (scan_id, digest)
) STRICT;

CREATE TABLE scan_answer (
  scan_id          TEXT NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
  check_id         TEXT NOT NULL CHECK (length(check_id) BETWEEN 1 AND 100),
  answer           TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'not_applicable')),
  note             TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  answered_by_name TEXT NOT NULL,
  answered_at      TEXT NOT NULL,
  PRIMARY KEY (scan_id, check_id)
) STRICT;`);
  },
};
