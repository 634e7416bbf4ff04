import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../../../../main/store/migrate.js';
import { MIGRATIONS } from '../../../../main/store/migrations/index.js';
import { tempDir } from '../helpers.js';

describe('migration 0005-scan-owner', () => {
  let cleanup: () => void;
  let db: Database.Database;
  const NOW = '2026-03-01T00:00:00.000Z';

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    const path = join(dir, '0005.sqlite');
    db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, path, MIGRATIONS.slice(0, 4));
    db.prepare("INSERT INTO engagement (id, name, created_at) VALUES ('e1', 'Acme', ?)").run(NOW);
    db.prepare(
      `INSERT INTO scan (id, engagement_id, started_at, status, catalogue_version, check_ids)
       VALUES ('s1', 'e1', ?, 'running', 'v1', '[]')`,
    ).run(NOW);
    expect(migrate(db, path, MIGRATIONS.slice(0, 5)).applied).toEqual(['0005-scan-owner']);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('scans stored before have no owner; owners are checked and removing one leaves its scans ownerless', () => {
    expect(userVersion(db)).toBe(5);
    expect(db.prepare("SELECT owner_id FROM scan WHERE id = 's1'").pluck().get()).toBeNull();
    const add = (id: string, pid: number) =>
      db
        .prepare(
          `INSERT INTO scan_owner (id, machine, hostname, pid, started_at, heartbeat_at) VALUES (?, 'm', 'h', ?, ?, ?)`,
        )
        .run(id, pid, NOW, NOW);
    expect(() => add('', 1)).toThrow(/CHECK/);
    expect(() => add('o0', 0)).toThrow(/CHECK/);
    add('o1', 10);
    expect(() => db.prepare("UPDATE scan SET owner_id = 'nobody' WHERE id = 's1'").run()).toThrow(/FOREIGN KEY/);
    db.prepare("UPDATE scan SET owner_id = 'o1' WHERE id = 's1'").run();
    db.prepare("DELETE FROM scan_owner WHERE id = 'o1'").run();
    expect(db.prepare("SELECT owner_id FROM scan WHERE id = 's1'").pluck().get()).toBeNull();
  });
});
