/**
 * Waivers (accepted risks): one check on one host (`host_id`) or on every host of the engagement (`host_id` NULL),
 * with a reason, the customer's owner and an expiry date (the first day it no longer applies), requested by one
 * person and decided by another. An approval is the approver's Ed25519 signature over the SHA-256 of the waiver's
 * canonical content (`content_hash`, main/waivers/content.ts); a rejection and a revocation carry who, when and why.
 * `lapsed` is not stored: it follows from `expires_on`. `host_id` is not a foreign key: a waiver outlives the removal
 * of its host (the name stays in `host_name`) and then applies to nothing.
 *
 * States are spelled out (this step never changes); tests check them against shared/model/waiver.ts.
 */
import type { Migration } from './types.js';

const DATE = `GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`;

const SQL = `
CREATE TABLE waiver (
  id                TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  engagement_id     TEXT NOT NULL REFERENCES engagement (id) ON DELETE CASCADE,
  check_id          TEXT NOT NULL CHECK (length(check_id) > 0),
  host_id           TEXT CHECK (host_id IS NULL OR length(host_id) > 0),
  host_name         TEXT,
  reason            TEXT NOT NULL CHECK (length(reason) > 0),
  owner             TEXT CHECK (owner IS NULL OR length(owner) > 0),
  expires_on        TEXT NOT NULL CHECK (expires_on ${DATE}),
  requested_by      TEXT NOT NULL CHECK (length(requested_by) > 0),
  requested_by_name TEXT NOT NULL,
  requested_at      TEXT NOT NULL,
  content_hash      TEXT NOT NULL CHECK (length(content_hash) = 64),
  state             TEXT NOT NULL DEFAULT 'requested'
                    CHECK (state IN ('requested', 'approved', 'rejected', 'revoked')),
  approved_by       TEXT,
  approved_by_name  TEXT,
  approved_at       TEXT,
  approved_hash     TEXT CHECK (approved_hash IS NULL OR length(approved_hash) = 64),
  signature         TEXT CHECK (signature IS NULL OR length(signature) > 0),
  rejected_by       TEXT,
  rejected_by_name  TEXT,
  rejected_at       TEXT,
  rejection_comment TEXT,
  revoked_by        TEXT,
  revoked_by_name   TEXT,
  revoked_at        TEXT,
  revocation_reason TEXT,
  CHECK ((approved_by IS NULL) = (signature IS NULL) AND (approved_by IS NULL) = (approved_at IS NULL)
         AND (approved_by IS NULL) = (approved_hash IS NULL) AND (approved_by IS NULL) = (approved_by_name IS NULL)),
  CHECK ((rejected_by IS NULL) = (rejected_at IS NULL) AND (rejected_by IS NULL) = (rejection_comment IS NULL)
         AND (rejected_by IS NULL) = (rejected_by_name IS NULL)),
  CHECK ((revoked_by IS NULL) = (revoked_at IS NULL) AND (revoked_by IS NULL) = (revocation_reason IS NULL)
         AND (revoked_by IS NULL) = (revoked_by_name IS NULL)),
  CHECK (state <> 'approved' OR approved_by IS NOT NULL),
  CHECK (state <> 'rejected' OR rejected_by IS NOT NULL),
  CHECK (state <> 'revoked' OR (approved_by IS NOT NULL AND revoked_by IS NOT NULL))
) STRICT;
CREATE INDEX waiver_by_engagement ON waiver (engagement_id, state, expires_on);
`;

export const m0009: Migration = {
  version: 9,
  name: 'waivers',
  up(db) {
    db.exec(SQL);
  },
};
