import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../../../../main/store/migrate.js';
import { MIGRATIONS } from '../../../../main/store/migrations/index.js';
import { tempDir } from '../helpers.js';

const STEP = MIGRATIONS.findIndex((m) => m.name === 'scan-definitions');

describe('migration 0013-scan-definitions', () => {
  let cleanup: () => void;
  let db: Database.Database;
  const NOW = '2026-03-01T00:00:00.000Z';

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    const path = join(dir, '0013.sqlite');
    db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, path, MIGRATIONS.slice(0, STEP));
    db.prepare("INSERT INTO engagement (id, name, created_at) VALUES ('e1', 'Acme', ?)").run(NOW);
    db.prepare(
      "INSERT INTO scan (id, engagement_id, started_at, catalogue_version, check_ids) VALUES ('s1', 'e1', ?, '1.0.0+abc', '[]')",
    ).run(NOW);
    expect(migrate(db, path, MIGRATIONS.slice(0, STEP + 1)).applied).toEqual([`${String(STEP + 1).padStart(4, '0')}-scan-definitions`]);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const check = (over: Record<string, unknown> = {}) =>
    db
      .prepare('INSERT INTO scan_check (scan_id, digest, check_id, origin, definition) VALUES (@scan, @digest, @id, @origin, @definition)')
      .run({ scan: 's1', digest: 'a'.repeat(64), id: 'site-x', origin: 'pack', definition: '{"id":"site-x"}', ...over });
  const answer = (over: Record<string, unknown> = {}) =>
    db
      .prepare(
        `INSERT INTO scan_answer (scan_id, check_id, answer, note, answered_by_name, answered_at)
         VALUES (@scan, @id, @answer, 'seen', 'Alice', '${NOW}')`,
      )
      .run({ scan: 's1', id: 'governance-log-review', answer: 'no', ...over });

  it('adds two STRICT tables keyed by scan (and digest, or check), removed with their scan', () => {
    expect(userVersion(db)).toBe(STEP + 1);
    for (const t of ['scan_check', 'scan_answer'])
      expect(db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(t)).toEqual({ strict: 1 });
    check();
    check({ digest: 'b'.repeat(64), origin: 'tailored' });
    expect(() => check()).toThrow(/UNIQUE|PRIMARY/);
    expect(() => check({ digest: 'c'.repeat(64), origin: 'builtin' })).toThrow(/CHECK/);
    expect(() => check({ digest: 'short' })).toThrow(/CHECK/);
    expect(() => check({ digest: 'd'.repeat(64), definition: '[1]' })).toThrow(/CHECK/);
    expect(() => check({ digest: 'e'.repeat(64), scan: 'nope' })).toThrow(/FOREIGN KEY/);
    answer();
    expect(() => answer()).toThrow(/UNIQUE|PRIMARY/);
    expect(() => answer({ id: 'other', answer: 'maybe' })).toThrow(/CHECK/);
    db.prepare("DELETE FROM scan WHERE id = 's1'").run();
    expect(db.prepare('SELECT count(*) AS n FROM scan_check').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM scan_answer').get()).toEqual({ n: 0 });
  });
});
