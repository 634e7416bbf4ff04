/**
 * People and the audit trail. `person` is one row per person known to the workspace: their profile, their Ed25519
 * public key (SPKI PEM) with its fingerprint, and, for a person of this workstation (`origin` local), their private
 * key as PKCS#8 PEM encrypted with their passphrase; an imported colleague has no private key here. Names are unique
 * without regard to case (`name_key`, the name folded by the store, holds the uniqueness).
 *
 * `audit_event` is the trail: one row per action, numbered by `seq` from 1 without gaps, each holding the hash of the
 * one before (`prev_hash`; the first holds the genesis value), its own hash over the canonical JSON of its fields,
 * and the actor's signature over that hash (main/audit/). `before`, `after` and `details` are canonical JSON text.
 * The table is append-only for the workstation: triggers refuse UPDATE and DELETE (someone editing the file by hand
 * can drop them; the verifier is what catches that).
 */
import type { Migration } from './types.js';

export const m0006: Migration = {
  version: 6,
  name: 'people-audit',
  up(db) {
    db.exec(`
CREATE TABLE person (
  id          TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  name        TEXT NOT NULL CHECK (length(name) > 0),
  name_key    TEXT NOT NULL UNIQUE CHECK (length(name_key) > 0),
  role        TEXT NOT NULL,
  email       TEXT NOT NULL,
  public_key  TEXT NOT NULL CHECK (length(public_key) > 0),
  private_key TEXT,
  created_at  TEXT NOT NULL,
  origin      TEXT NOT NULL CHECK (origin IN ('local', 'imported')),
  fingerprint TEXT NOT NULL UNIQUE CHECK (length(fingerprint) > 0),
  CHECK ((origin = 'local') = (private_key IS NOT NULL))
) STRICT;
CREATE TABLE audit_event (
  seq         INTEGER PRIMARY KEY CHECK (seq > 0),
  id          TEXT NOT NULL UNIQUE CHECK (length(id) > 0),
  at          TEXT NOT NULL,
  actor_id    TEXT NOT NULL REFERENCES person (id),
  actor_name  TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (length(action) > 0),
  object_type TEXT NOT NULL,
  object_id   TEXT NOT NULL,
  reason      TEXT,
  before      TEXT,
  after       TEXT,
  details     TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  signature   TEXT NOT NULL
) STRICT;
CREATE INDEX audit_event_by_object ON audit_event (object_type, object_id);
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;`);
  },
};
