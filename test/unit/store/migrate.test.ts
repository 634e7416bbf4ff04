import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../../../main/store/migrate.js';
import { MIGRATIONS, assertRegistry, type Migration } from '../../../main/store/migrations/index.js';
import { tempDir } from './helpers.js';

const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);

describe('migration runner', () => {
  let dir: string;
  let cleanup: () => void;
  let db: Database.Database;
  let path: string;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'm.sqlite');
    db = new Database(path);
    db.pragma('foreign_keys = ON');
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('the registry is numbered 1..n without gaps, and a gap is detected', () => {
    expect(() => assertRegistry(MIGRATIONS)).not.toThrow();
    const gap: Migration[] = [MIGRATIONS[0]!, { version: 3, name: 'skipped-two', up: () => {} }];
    expect(() => assertRegistry(gap)).toThrow(/expected 2/);
    expect(() => assertRegistry([{ version: 1, name: 'Bad Name', up: () => {} }])).toThrow(/bad name/);
  });

  it('runs all pending steps in one transaction: a failing later step leaves the file at its old version', () => {
    const failing: Migration = {
      version: 2,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE finding (id TEXT PRIMARY KEY) STRICT');
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, path, [MIGRATIONS[0]!, failing])).toThrow(
      `workspace ${path}: schema step 2 (broken) failed: boom`,
    );
    expect(userVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]); // step 1's tables were rolled back with step 2
    expect(db.inTransaction).toBe(false);
  });

  it('applies pending steps in order and records the last one in user_version', () => {
    const order: number[] = [];
    const steps: Migration[] = [
      { version: 1, name: 'one', up: (d) => (order.push(1), d.exec('CREATE TABLE a (x INTEGER) STRICT')) },
      { version: 2, name: 'two', up: (d) => (order.push(2), d.exec('ALTER TABLE a ADD COLUMN y TEXT')) },
    ];
    expect(migrate(db, path, steps.slice(0, 1))).toEqual({ from: 0, to: 1, applied: ['0001-one'] });
    expect(migrate(db, path, steps)).toEqual({ from: 1, to: 2, applied: ['0002-two'] });
    expect(order).toEqual([1, 2]);
    expect(userVersion(db)).toBe(2);
    expect(migrate(db, path, steps)).toEqual({ from: 2, to: 2, applied: [] });
  });

  it('refuses to go backwards', () => {
    const newer = MIGRATIONS.length + 1;
    db.pragma(`user_version = ${newer}`);
    expect(() => migrate(db, path, MIGRATIONS)).toThrow(
      `newer Foureyes (schema ${newer}, this build knows ${MIGRATIONS.length})`,
    );
    expect(userVersion(db)).toBe(newer);
  });

  it('a step that leaves a foreign key violation is rolled back', () => {
    const steps: Migration[] = [
      {
        version: 1,
        name: 'orphans',
        up(d) {
          d.exec(`CREATE TABLE p (id INTEGER PRIMARY KEY) STRICT;
                  CREATE TABLE c (p INTEGER NOT NULL REFERENCES p (id)) STRICT;
                  PRAGMA defer_foreign_keys = ON;
                  INSERT INTO c VALUES (42);`);
        },
      },
    ];
    expect(() => migrate(db, path, steps)).toThrow(/foreign key/i);
    expect(userVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
  });
});
