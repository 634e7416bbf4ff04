/**
 * What an attacker with the workspace file can do to its trail with plain SQL, on a connection of their own (the
 * append-only triggers dropped first, as anyone editing the file can).
 */
import Database from 'better-sqlite3';
import type { AuditEventRow } from '../../../main/store/repos/audit.js';

export function attacker(path: string): Database.Database {
  const db = new Database(path);
  // better-sqlite3 turns foreign keys on; the sqlite3 shell, like SQLite itself, leaves them off.
  db.pragma('foreign_keys = OFF');
  db.exec('DROP TRIGGER IF EXISTS audit_event_no_update; DROP TRIGGER IF EXISTS audit_event_no_delete;');
  return db;
}

/** A seq far beyond any trail, to move rows out of the way (seq must stay positive). */
const FAR = 1_000_000_000;

export const allRows = (db: Database.Database): AuditEventRow[] =>
  db.prepare('SELECT * FROM audit_event ORDER BY seq').all() as AuditEventRow[];

export function updateField(db: Database.Database, seq: number, column: string, value: unknown): void {
  db.prepare(`UPDATE audit_event SET "${column}" = ? WHERE seq = ?`).run(value, seq);
}

export function deleteRow(db: Database.Database, seq: number): void {
  db.prepare('DELETE FROM audit_event WHERE seq = ?').run(seq);
}

/** Moves the rows from `seq` on one place up and puts `row` at `seq`. */
export function insertAt(db: Database.Database, seq: number, row: AuditEventRow): void {
  db.transaction(() => {
    db.prepare('UPDATE audit_event SET seq = seq + ? WHERE seq >= ?').run(FAR, seq);
    db.prepare('UPDATE audit_event SET seq = seq - ? + 1 WHERE seq >= ?').run(FAR, FAR);
    db.prepare(
      `INSERT INTO audit_event VALUES (@seq, @id, @at, @actor_id, @actor_name, @action, @object_type, @object_id,
       @reason, @before, @after, @details, @prev_hash, @hash, @signature)`,
    ).run({ ...row, seq });
  })();
}

export function swapSeq(db: Database.Database, a: number, b: number): void {
  db.transaction(() => {
    db.prepare('UPDATE audit_event SET seq = ? WHERE seq = ?').run(FAR, a);
    db.prepare('UPDATE audit_event SET seq = ? WHERE seq = ?').run(a, b);
    db.prepare('UPDATE audit_event SET seq = ? WHERE seq = ?').run(b, FAR);
  })();
}

/** Deletes every event after the first `keep`. */
export function truncate(db: Database.Database, keep: number): void {
  db.prepare('DELETE FROM audit_event WHERE seq > ?').run(keep);
}
