import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../../../../main/store/migrate.js';
import { MIGRATIONS } from '../../../../main/store/migrations/index.js';
import { tempDir } from '../helpers.js';

describe('migration 0004-host-run-outcome', () => {
  let cleanup: () => void;
  let db: Database.Database;
  let path: string;
  const NOW = '2026-03-01T00:00:00.000Z';

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = join(dir, '0004.sqlite');
    db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, path, MIGRATIONS.slice(0, 3));
    db.prepare("INSERT INTO engagement (id, name, created_at) VALUES ('e1', 'Acme', ?)").run(NOW);
    db.prepare(
      `INSERT INTO scan (id, engagement_id, started_at, status, catalogue_version, check_ids)
       VALUES ('s1', 'e1', ?, 'done', 'v1', '[]')`,
    ).run(NOW);
    db.prepare(
      `INSERT INTO host_run (id, scan_id, ordinal, target_name, source, status, error_code, error_message)
       VALUES ('r1', 's1', 1, 'db01', 'ssh', 'failed', 'auth_failed', 'refused')`,
    ).run();
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('adds stopped_in and identity, NULL for the runs already stored', () => {
    expect(migrate(db, path, MIGRATIONS.slice(0, 4)).applied).toEqual(['0004-host-run-outcome']);
    expect(userVersion(db)).toBe(4);
    expect(db.prepare("SELECT stopped_in, identity FROM host_run WHERE id = 'r1'").get()).toEqual({
      stopped_in: null,
      identity: null,
    });
  });

  it('checks the stopped state and that identity is a JSON object', () => {
    migrate(db, path, MIGRATIONS.slice(0, 4));
    const set = (col: string, v: string) => () =>
      db.prepare(`UPDATE host_run SET ${col} = ? WHERE id = 'r1'`).run(v);
    for (const s of ['queued', 'connecting', 'collecting', 'evaluating'])
      expect(set('stopped_in', s)).not.toThrow();
    expect(set('stopped_in', 'done')).toThrow(/CHECK/);
    expect(set('identity', '{"hostname":"db01"}')).not.toThrow();
    expect(set('identity', '["db01"]')).toThrow(/CHECK/);
    expect(set('identity', 'db01')).toThrow(/CHECK/);
  });
});
