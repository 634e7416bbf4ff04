/**
 * Engagements, inventory, accepted host keys, scans, host runs, snapshots and results.
 * Enumerations are spelled out here rather than taken from shared/ so that this step never changes after release;
 * tests check that they match the current domain constants.
 */
import type { Migration } from './types.js';

/** `FEYE`: marks the file as a Foureyes workspace (PRAGMA application_id). */
export const APPLICATION_ID = 0x46455945;

const SQL = `
CREATE TABLE engagement (
  id          TEXT PRIMARY KEY NOT NULL,
  name        TEXT NOT NULL CHECK (length(name) > 0),
  customer    TEXT,
  description TEXT,
  scope       TEXT,
  created_at  TEXT NOT NULL,
  archived_at TEXT
) STRICT;

CREATE TABLE host (
  id              TEXT PRIMARY KEY NOT NULL,
  engagement_id   TEXT NOT NULL REFERENCES engagement (id) ON DELETE CASCADE,
  name            TEXT NOT NULL CHECK (length(name) > 0),
  address         TEXT NOT NULL CHECK (length(address) > 0),
  port            INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  user            TEXT NOT NULL CHECK (length(user) > 0),
  auth_method     TEXT NOT NULL
                  CHECK (json_valid(auth_method) AND json_extract(auth_method, '$.type') IN ('key', 'agent', 'password')),
  jump_host_id    TEXT CHECK (jump_host_id IS NULL OR jump_host_id <> id),
  privilege       TEXT NOT NULL DEFAULT 'auto' CHECK (privilege IN ('auto', 'none', 'sudo')),
  pinned_host_key TEXT CHECK (pinned_host_key IS NULL OR pinned_host_key LIKE 'SHA256:%'),
  tags            TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  notes           TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (engagement_id, name),
  -- parent key of the jump host reference below: a jump host is a host of the same engagement
  UNIQUE (engagement_id, id),
  -- NO ACTION (checked at the end of the statement): removing a host another one jumps through fails, while
  -- deleting a whole engagement removes hosts and their jump hosts together
  FOREIGN KEY (engagement_id, jump_host_id) REFERENCES host (engagement_id, id)
) STRICT;
CREATE INDEX host_by_jump ON host (jump_host_id) WHERE jump_host_id IS NOT NULL;

CREATE TABLE known_host_key (
  id          INTEGER PRIMARY KEY,
  host_id     TEXT NOT NULL REFERENCES host (id) ON DELETE CASCADE,
  key_type    TEXT NOT NULL CHECK (length(key_type) > 0),
  fingerprint TEXT NOT NULL CHECK (fingerprint LIKE 'SHA256:%'),
  accepted_at TEXT NOT NULL,
  accepted_by TEXT NOT NULL CHECK (length(accepted_by) > 0),
  how         TEXT NOT NULL CHECK (how IN ('known_hosts', 'pinned', 'accept-new')),
  UNIQUE (host_id, key_type, fingerprint)
) STRICT;

CREATE TABLE scan (
  id                TEXT PRIMARY KEY NOT NULL,
  engagement_id     TEXT NOT NULL REFERENCES engagement (id) ON DELETE CASCADE,
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  status            TEXT NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'done', 'interrupted', 'cancelled')),
  catalogue_version TEXT NOT NULL,
  profile           TEXT,
  check_ids         TEXT NOT NULL CHECK (json_valid(check_ids) AND json_type(check_ids) = 'array'),
  options           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options) AND json_type(options) = 'object')
) STRICT;
CREATE INDEX scan_by_engagement ON scan (engagement_id, started_at);
CREATE INDEX scan_running ON scan (status) WHERE status = 'running';

CREATE TABLE host_run (
  id            TEXT PRIMARY KEY NOT NULL,
  scan_id       TEXT NOT NULL REFERENCES scan (id) ON DELETE CASCADE,
  -- null for the local machine and imported snapshots; a removed host leaves its history (target_name keeps it)
  host_id       TEXT REFERENCES host (id) ON DELETE SET NULL,
  ordinal       INTEGER NOT NULL,
  target_name   TEXT NOT NULL CHECK (length(target_name) > 0),
  source        TEXT NOT NULL CHECK (source IN ('ssh', 'local', 'import')),
  status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN
                  ('queued', 'connecting', 'collecting', 'evaluating', 'done', 'failed', 'interrupted', 'cancelled')),
  privilege     TEXT CHECK (privilege IS NULL OR privilege IN ('root', 'sudo', 'none')),
  started_at    TEXT,
  finished_at   TEXT,
  error_code    TEXT,
  error_message TEXT,
  error_details TEXT CHECK (error_details IS NULL OR (json_valid(error_details) AND json_type(error_details) = 'object')),
  stats         TEXT CHECK (stats IS NULL OR (json_valid(stats) AND json_type(stats) = 'object')),
  UNIQUE (scan_id, ordinal),
  CHECK ((error_code IS NULL) = (error_message IS NULL)),
  CHECK (status <> 'failed' OR error_code IS NOT NULL)
) STRICT;
CREATE INDEX host_run_by_host ON host_run (host_id) WHERE host_id IS NOT NULL;
CREATE INDEX host_run_unfinished ON host_run (status)
  WHERE status IN ('queued', 'connecting', 'collecting', 'evaluating');

CREATE TABLE snapshot (
  host_run_id     TEXT PRIMARY KEY NOT NULL REFERENCES host_run (id) ON DELETE CASCADE,
  format          TEXT NOT NULL,
  encoding        TEXT NOT NULL CHECK (encoding IN ('deflate')),
  compressed      BLOB NOT NULL,
  sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
  size_raw        INTEGER NOT NULL CHECK (size_raw >= 0),
  size_compressed INTEGER NOT NULL CHECK (size_compressed = length(compressed)),
  complete        INTEGER NOT NULL CHECK (complete IN (0, 1)),
  collected_at    TEXT NOT NULL
) STRICT;

CREATE TABLE result (
  id              INTEGER PRIMARY KEY,
  host_run_id     TEXT NOT NULL REFERENCES host_run (id) ON DELETE CASCADE,
  check_id        TEXT NOT NULL CHECK (length(check_id) > 0),
  check_digest    TEXT NOT NULL,
  verdict         TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'not_applicable', 'error', 'manual')),
  severity        TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  expected        TEXT NOT NULL,
  actual          TEXT NOT NULL,
  reason          TEXT NOT NULL,
  evidence        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(evidence) AND json_type(evidence) = 'array'),
  needs_privilege INTEGER NOT NULL DEFAULT 0 CHECK (needs_privilege IN (0, 1)),
  UNIQUE (host_run_id, check_id)
) STRICT;
CREATE INDEX result_by_check ON result (check_id);
`;

export const m0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(SQL);
    db.pragma(`application_id = ${APPLICATION_ID}`);
  },
};
