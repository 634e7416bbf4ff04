/**
 * Review packages received for an offline review (main/review/). One row per package imported on this
 * workstation: the file itself (`bytes`, verified again before it is answered, since the workspace file can be
 * edited), its SHA-256, who exported it (name and key fingerprint, as the signed package says), the engagement's
 * name there, how many findings it holds, who imported it (null when no one was acting), and once answered the
 * answer's id and time. The findings stay in the file: nothing of them becomes a finding of this workspace.
 */
import type { Migration } from './types.js';

export const m0008: Migration = {
  version: 8,
  name: 'review-package',
  up(db) {
    db.exec(`
CREATE TABLE review_package (
  id                   TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  sha256               TEXT NOT NULL CHECK (length(sha256) = 64),
  exporter_name        TEXT NOT NULL,
  exporter_fingerprint TEXT NOT NULL,
  engagement_name      TEXT NOT NULL,
  findings             INTEGER NOT NULL CHECK (findings > 0),
  imported_at          TEXT NOT NULL,
  imported_by          TEXT REFERENCES person (id),
  bytes                BLOB NOT NULL,
  answer_id            TEXT UNIQUE,
  answered_at          TEXT,
  answered_by          TEXT REFERENCES person (id),
  CHECK ((answer_id IS NULL) = (answered_at IS NULL) AND (answer_id IS NULL) = (answered_by IS NULL))
) STRICT;`);
  },
};
