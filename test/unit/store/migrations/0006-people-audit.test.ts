import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../../../../main/store/migrate.js';
import { MIGRATIONS } from '../../../../main/store/migrations/index.js';
import { tempDir } from '../helpers.js';

describe('migration 0006-people-audit', () => {
  let cleanup: () => void;
  let db: Database.Database;
  const NOW = '2026-03-01T00:00:00.000Z';

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    const path = join(dir, '0006.sqlite');
    db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, path, MIGRATIONS.slice(0, 5));
    db.prepare("INSERT INTO engagement (id, name, created_at) VALUES ('e1', 'Acme', ?)").run(NOW);
    expect(migrate(db, path, MIGRATIONS.slice(0, 6)).applied).toEqual(['0006-people-audit']);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const person = (id: string, name: string, origin = 'local', priv: string | null = 'ENC', fp = `fp-${id}`) =>
    db
      .prepare(
        `INSERT INTO person (id, name, name_key, role, email, public_key, private_key, created_at, origin, fingerprint)
         VALUES (?, ?, lower(?), 'consultant', 'a@example.org', 'PEM', ?, ?, ?, ?)`,
      )
      .run(id, name, name, priv, NOW, origin, fp);
  const event = (seq: number, actor = 'p1', id = `ev${seq}`) =>
    db
      .prepare(
        `INSERT INTO audit_event (seq, id, at, actor_id, actor_name, action, object_type, object_id, prev_hash, hash, signature)
         VALUES (?, ?, ?, ?, 'Alice', 'person.add', 'person', ?, 'p', 'h', 's')`,
      )
      .run(seq, id, NOW, actor, actor);

  it('adds two STRICT tables, keeping the engagement', () => {
    expect(userVersion(db)).toBe(6);
    for (const t of ['person', 'audit_event'])
      expect(db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(t)).toEqual({ strict: 1 });
    expect(db.prepare('SELECT name FROM engagement').pluck().all()).toEqual(['Acme']);
    const cols = db.prepare("SELECT name FROM pragma_table_info('audit_event')").pluck().all();
    expect(cols).toEqual([
      'seq', 'id', 'at', 'actor_id', 'actor_name', 'action', 'object_type', 'object_id', 'reason',
      'before', 'after', 'details', 'prev_hash', 'hash', 'signature',
    ]);
  });

  it('names are unique without regard to case; a local person has a private key, an imported one none', () => {
    person('p1', 'Alice');
    expect(() => person('p2', 'ALICE')).toThrow(/UNIQUE/);
    expect(() => person('p3', 'Bob', 'imported', 'ENC')).toThrow(/CHECK/);
    expect(() => person('p4', 'Bob', 'local', null)).toThrow(/CHECK/);
    expect(() => person('p5', 'Bob', 'remote', null)).toThrow(/CHECK/);
    expect(() => person('p6', 'Bob', 'imported', null, 'fp-p1')).toThrow(/UNIQUE/);
    person('p7', 'Bob', 'imported', null);
    expect(db.prepare('SELECT count(*) FROM person').pluck().get()).toBe(2);
  });

  it('events name a known actor, have a positive seq and a unique id, and are append-only', () => {
    person('p1', 'Alice');
    event(1);
    expect(() => event(2, 'nobody')).toThrow(/FOREIGN KEY/);
    expect(() => event(0)).toThrow(/CHECK/);
    expect(() => event(3, 'p1', 'ev1')).toThrow(/UNIQUE/);
    expect(() => db.prepare("UPDATE audit_event SET reason = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_event').run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM person WHERE id = 'p1'").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("UPDATE audit_event SET seq = 'two'").run()).toThrow();
    expect(db.prepare('SELECT count(*) FROM audit_event').pluck().get()).toBe(1);
  });
});
