import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRET_PURPOSES } from '../../../../shared/api/schemas/secrets.js';
import { migrate, userVersion } from '../../../../main/store/migrate.js';
import { MIGRATIONS } from '../../../../main/store/migrations/index.js';
import { tempDir } from '../helpers.js';

describe('migration 0003-stored-secret', () => {
  let cleanup: () => void;
  let db: Database.Database;
  let path: string;
  const NOW = '2026-03-01T00:00:00.000Z';

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = join(dir, '0003.sqlite');
    db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, path, MIGRATIONS.slice(0, 2));
    db.prepare("INSERT INTO engagement (id, name, created_at) VALUES ('e1', 'Acme', ?)").run(NOW);
    const host = db.prepare(
      `INSERT INTO host (id, engagement_id, name, address, port, user, auth_method, created_at, updated_at)
       VALUES (?, 'e1', ?, '10.0.0.1', 22, 'audit', '{"type":"password"}', ?, ?)`,
    );
    host.run('h1', 'db01', NOW, NOW);
    host.run('h2', 'db02', NOW, NOW);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const put = (hostId: string, purpose: string, blob: unknown = Buffer.from([1, 2, 3]), by = 'alice') =>
    db
      .prepare(
        'INSERT INTO stored_secret (host_id, purpose, ciphertext, stored_at, stored_by) VALUES (?, ?, ?, ?, ?)',
      )
      .run(hostId, purpose, blob, NOW, by);

  it('adds a STRICT table keyed by host and purpose, keeping the existing rows', () => {
    const hostsBefore = db.prepare('SELECT * FROM host ORDER BY id').all();
    expect(migrate(db, path, MIGRATIONS.slice(0, 3)).applied).toEqual(['0003-stored-secret']);
    expect(userVersion(db)).toBe(3);
    expect(db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'stored_secret'").get()).toEqual({
      strict: 1,
    });
    const cols = db
      .prepare('SELECT name, type, "notnull" AS nn, pk FROM pragma_table_info(\'stored_secret\')')
      .all();
    expect(cols).toEqual([
      { name: 'host_id', type: 'TEXT', nn: 1, pk: 1 },
      { name: 'purpose', type: 'TEXT', nn: 1, pk: 2 },
      { name: 'ciphertext', type: 'BLOB', nn: 1, pk: 0 },
      { name: 'stored_at', type: 'TEXT', nn: 1, pk: 0 },
      { name: 'stored_by', type: 'TEXT', nn: 1, pk: 0 },
    ]);
    expect(db.prepare('SELECT * FROM host ORDER BY id').all()).toEqual(hostsBefore);
  });

  it('accepts exactly the purposes of the API, one per host, as non-empty blobs of a known host', () => {
    migrate(db, path, MIGRATIONS.slice(0, 3));
    for (const p of SECRET_PURPOSES) put('h1', p);
    expect(() => put('h1', 'login')).toThrow(/UNIQUE/);
    expect(() => put('h1', 'root')).toThrow(/CHECK/);
    // STRICT: text is not a blob; an empty blob is refused.
    expect(() => put('h2', 'login', 'plain text')).toThrow(/cannot store TEXT value in BLOB column/);
    expect(() => put('h2', 'login', Buffer.alloc(0))).toThrow(/CHECK/);
    expect(() => put('h2', 'login', Buffer.from([1]), '')).toThrow(/CHECK/);
    expect(() => put('nope', 'login')).toThrow(/FOREIGN KEY/);
    expect(db.prepare('SELECT count(*) AS n FROM stored_secret').get()).toEqual({ n: 2 });
  });

  it('removing a host removes its secrets, and only its own', () => {
    migrate(db, path, MIGRATIONS.slice(0, 3));
    put('h1', 'login');
    put('h1', 'sudo');
    put('h2', 'login');
    db.prepare("DELETE FROM host WHERE id = 'h1'").run();
    expect(db.prepare('SELECT host_id, purpose FROM stored_secret').all()).toEqual([
      { host_id: 'h2', purpose: 'login' },
    ]);
    db.prepare("DELETE FROM engagement WHERE id = 'e1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM stored_secret').get()).toEqual({ n: 0 });
  });
});
