/**
 * Findings: the customer-facing issues made from failing results, and their four-eye review.
 *
 * - `finding`: one issue of an engagement, keyed by check id (or by a merge key when a consultant merges checks).
 *   Severity is the catalogue's unless a person overrode it with a reason; false positive and accepted risk carry
 *   a reason; `edited_fields` names the fields a person set, which a re-scan never overwrites. `revision` counts
 *   changes of the reviewed content; an approval is for one revision.
 * - `finding_check`: which finding of an engagement a check's failures go to (one per check: never a duplicate).
 * - `finding_host`: a host's part of a finding (per check): failing or fixed, first and last scan that saw it, and
 *   the evidence of the last scan. A removed host leaves its part (`target_name` keeps the name).
 * - `finding_author`: everyone who edited any part (they cannot approve it).
 * - `finding_change`: the history: who (or which scan), when, what field, before, after, why.
 * - `finding_approval`: a reviewer's Ed25519 signature over the content hash of one revision; voided, never deleted,
 *   by a later change or a rejection.
 * - `attachment`: screenshots and files, typed by their content, 10 MB at most, stored in the workspace.
 * - `engagement.approvals_required`: distinct approvers a finding of the engagement needs (default 1).
 *
 * Enumerations are spelled out (this step never changes); tests check them against shared/model/finding.ts.
 */
import type { Migration } from './types.js';

const SEVERITY = `('info', 'low', 'medium', 'high', 'critical')`;

const SQL = `
ALTER TABLE engagement ADD COLUMN approvals_required INTEGER NOT NULL DEFAULT 1
  CHECK (approvals_required BETWEEN 1 AND 9);

CREATE TABLE finding (
  id                 TEXT PRIMARY KEY NOT NULL,
  engagement_id      TEXT NOT NULL REFERENCES engagement (id) ON DELETE CASCADE,
  key                TEXT NOT NULL CHECK (length(key) > 0),
  title              TEXT NOT NULL CHECK (length(title) > 0),
  severity           TEXT NOT NULL CHECK (severity IN ${SEVERITY}),
  catalogue_severity TEXT NOT NULL CHECK (catalogue_severity IN ${SEVERITY}),
  severity_reason    TEXT CHECK (severity_reason IS NULL OR length(severity_reason) > 0),
  status             TEXT NOT NULL DEFAULT 'open' CHECK (status IN
                       ('open', 'confirmed', 'false_positive', 'accepted_risk', 'fixed', 'verified_fixed')),
  status_reason      TEXT CHECK (status_reason IS NULL OR length(status_reason) > 0),
  recommendation     TEXT NOT NULL DEFAULT '',
  notes              TEXT NOT NULL DEFAULT '',
  tags               TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  customer_owner     TEXT,
  due_date           TEXT CHECK (due_date IS NULL OR due_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  review_state       TEXT NOT NULL DEFAULT 'draft' CHECK (review_state IN ('draft', 'in_review', 'approved')),
  submitted_by       TEXT,
  revision           INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
  edited_fields      TEXT NOT NULL DEFAULT '[]'
                     CHECK (json_valid(edited_fields) AND json_type(edited_fields) = 'array'),
  -- person ids; NULL: made or last changed by a scan
  created_at         TEXT NOT NULL,
  created_by         TEXT,
  updated_at         TEXT NOT NULL,
  updated_by         TEXT,
  UNIQUE (engagement_id, key),
  UNIQUE (engagement_id, id),
  CHECK (severity = catalogue_severity OR severity_reason IS NOT NULL),
  CHECK (status NOT IN ('false_positive', 'accepted_risk') OR status_reason IS NOT NULL),
  CHECK (review_state = 'draft' OR submitted_by IS NOT NULL)
) STRICT;
CREATE INDEX finding_by_review ON finding (engagement_id, review_state);

CREATE TABLE finding_check (
  engagement_id TEXT NOT NULL,
  check_id      TEXT NOT NULL CHECK (length(check_id) > 0),
  finding_id    TEXT NOT NULL,
  PRIMARY KEY (engagement_id, check_id),
  FOREIGN KEY (engagement_id, finding_id) REFERENCES finding (engagement_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX finding_check_by_finding ON finding_check (engagement_id, finding_id);

CREATE TABLE finding_host (
  id            INTEGER PRIMARY KEY,
  finding_id    TEXT NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
  check_id      TEXT NOT NULL CHECK (length(check_id) > 0),
  host_id       TEXT REFERENCES host (id) ON DELETE SET NULL,
  target_name   TEXT NOT NULL CHECK (length(target_name) > 0),
  state         TEXT NOT NULL CHECK (state IN ('failing', 'fixed')),
  first_scan_id TEXT REFERENCES scan (id) ON DELETE SET NULL,
  last_scan_id  TEXT REFERENCES scan (id) ON DELETE SET NULL,
  result_id     INTEGER REFERENCES result (id) ON DELETE SET NULL,
  actual        TEXT NOT NULL,
  evidence      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(evidence) AND json_type(evidence) = 'array'),
  first_seen_at TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  fixed_at      TEXT,
  CHECK ((state = 'fixed') = (fixed_at IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX finding_host_part ON finding_host (finding_id, check_id, host_id) WHERE host_id IS NOT NULL;
CREATE INDEX finding_host_by_name ON finding_host (finding_id, check_id, target_name) WHERE host_id IS NULL;
CREATE INDEX finding_host_by_host ON finding_host (host_id) WHERE host_id IS NOT NULL;
CREATE INDEX finding_host_by_first_scan ON finding_host (first_scan_id) WHERE first_scan_id IS NOT NULL;
CREATE INDEX finding_host_by_last_scan ON finding_host (last_scan_id) WHERE last_scan_id IS NOT NULL;
CREATE INDEX finding_host_by_result ON finding_host (result_id) WHERE result_id IS NOT NULL;

CREATE TABLE finding_author (
  finding_id TEXT NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
  person_id  TEXT NOT NULL CHECK (length(person_id) > 0),
  first_at   TEXT NOT NULL,
  PRIMARY KEY (finding_id, person_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE finding_change (
  id         INTEGER PRIMARY KEY,
  finding_id TEXT NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
  at         TEXT NOT NULL,
  -- a person, or the scan whose results made the change
  actor_id   TEXT CHECK (actor_id IS NULL OR length(actor_id) > 0),
  actor_name TEXT,
  scan_id    TEXT,
  field      TEXT NOT NULL CHECK (length(field) > 0),
  before     TEXT CHECK (before IS NULL OR json_valid(before)),
  after      TEXT CHECK (after IS NULL OR json_valid(after)),
  reason     TEXT,
  revision   INTEGER NOT NULL CHECK (revision >= 1),
  CHECK ((actor_id IS NULL) = (actor_name IS NULL)),
  CHECK (actor_id IS NOT NULL OR scan_id IS NOT NULL)
) STRICT;
CREATE INDEX finding_change_by_finding ON finding_change (finding_id, id);

CREATE TABLE finding_approval (
  id            INTEGER PRIMARY KEY,
  finding_id    TEXT NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
  reviewer_id   TEXT NOT NULL CHECK (length(reviewer_id) > 0),
  reviewer_name TEXT NOT NULL,
  revision      INTEGER NOT NULL CHECK (revision >= 1),
  content_hash  TEXT NOT NULL CHECK (length(content_hash) = 64),
  signature     TEXT NOT NULL CHECK (length(signature) > 0),
  at            TEXT NOT NULL,
  voided_at     TEXT,
  voided_why    TEXT,
  CHECK ((voided_at IS NULL) = (voided_why IS NULL))
) STRICT;
CREATE UNIQUE INDEX finding_approval_live ON finding_approval (finding_id, reviewer_id) WHERE voided_at IS NULL;
CREATE INDEX finding_approval_by_finding ON finding_approval (finding_id, id);

CREATE TABLE attachment (
  id         TEXT PRIMARY KEY NOT NULL,
  finding_id TEXT NOT NULL REFERENCES finding (id) ON DELETE CASCADE,
  name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
  media_type TEXT NOT NULL CHECK (media_type IN
               ('image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain')),
  size       INTEGER NOT NULL CHECK (size BETWEEN 1 AND 10485760),
  sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
  added_at   TEXT NOT NULL,
  added_by   TEXT NOT NULL CHECK (length(added_by) > 0),
  -- last, so listing the others never reads the bytes
  bytes      BLOB NOT NULL,
  CHECK (size = length(bytes))
) STRICT;
CREATE INDEX attachment_by_finding ON attachment (finding_id);
`;

export const m0007: Migration = {
  version: 7,
  name: 'findings',
  up(db) {
    db.exec(SQL);
  },
};
