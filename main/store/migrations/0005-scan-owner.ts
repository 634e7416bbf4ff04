/**
 * Who runs a scan. `scan_owner` is one row per process that started a scan: a random id of its own, where it runs
 * (machine id, boot id, PID namespace, host name), its pid and the pid's start time (`/proc/<pid>/stat`, so a reused
 * pid is told apart), and a heartbeat it refreshes while it has scans running. `scan.owner_id` names the owner of a
 * scan; only the owner may move its host runs or end it, and another process interrupts it only once that owner is
 * provably gone (main/store/lease.ts). Scans stored before this step have no owner: a running one among them is
 * left over from a crash.
 */
import type { Migration } from './types.js';

export const m0005: Migration = {
  version: 5,
  name: 'scan-owner',
  up(db) {
    db.exec(`
CREATE TABLE scan_owner (
  id           TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  machine      TEXT NOT NULL,
  hostname     TEXT NOT NULL,
  boot_id      TEXT,
  pid_ns       TEXT,
  pid          INTEGER NOT NULL CHECK (pid > 0),
  pid_start    INTEGER,
  started_at   TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
) STRICT;
ALTER TABLE scan ADD COLUMN owner_id TEXT REFERENCES scan_owner (id) ON DELETE SET NULL;
CREATE INDEX scan_by_owner ON scan (owner_id) WHERE owner_id IS NOT NULL;`);
  },
};
