/**
 * How far a host run got and what the target said it is. `stopped_in`: the state a failed, cancelled or
 * interrupted run was in when it ended (the progress view shows where it stopped, not a bar as if every stage
 * ran). `identity`: what the target says it is (JSON: hostname, OS release, kernel from the collected facts; the
 * SSH pre-login banner and identification line from the connection), hostile text bounded by the store.
 * Runs stored before this step keep both NULL (not known).
 */
import type { Migration } from './types.js';

export const m0004: Migration = {
  version: 4,
  name: 'host-run-outcome',
  up(db) {
    db.exec(`
ALTER TABLE host_run ADD COLUMN stopped_in TEXT
  CHECK (stopped_in IS NULL OR stopped_in IN ('queued', 'connecting', 'collecting', 'evaluating'));
ALTER TABLE host_run ADD COLUMN identity TEXT
  CHECK (identity IS NULL OR (json_valid(identity) AND json_type(identity) = 'object'));`);
  },
};
