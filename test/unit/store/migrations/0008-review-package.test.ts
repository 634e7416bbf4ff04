import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../../../../main/store/migrate.js';
import { MIGRATIONS } from '../../../../main/store/migrations/index.js';
import { tempDir } from '../helpers.js';

const STEP = MIGRATIONS.findIndex((m) => m.name === 'review-package');

describe('migration 0008-review-package', () => {
  let cleanup: () => void;
  let db: Database.Database;
  const NOW = '2026-03-01T00:00:00.000Z';

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    const path = join(dir, '0008.sqlite');
    db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, path, MIGRATIONS.slice(0, STEP));
    db.prepare(
      `INSERT INTO person (id, name, name_key, role, email, public_key, private_key, created_at, origin, fingerprint)
       VALUES ('p1', 'Rita', 'rita', 'reviewer', 'r@example.org', 'PEM', 'ENC', ?, 'local', 'fp1')`,
    ).run(NOW);
    expect(migrate(db, path, MIGRATIONS.slice(0, STEP + 1)).applied).toEqual([
      `${String(STEP + 1).padStart(4, '0')}-review-package`,
    ]);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const add = (id: string, over: Record<string, unknown> = {}) =>
    db
      .prepare(
        `INSERT INTO review_package (id, sha256, exporter_name, exporter_fingerprint, engagement_name, findings,
         imported_at, imported_by, bytes, answer_id, answered_at, answered_by)
         VALUES (@id, @sha256, 'Ann', 'fpA', 'Acme', @findings, '${NOW}', @imported_by, x'7b7d', @answer_id,
                 @answered_at, @answered_by)`,
      )
      .run({
        id,
        sha256: 'a'.repeat(64),
        findings: 2,
        imported_by: null,
        answer_id: null,
        answered_at: null,
        answered_by: null,
        ...over,
      });

  it('adds one STRICT table; a package is answered with id, time and who, or not at all', () => {
    expect(userVersion(db)).toBe(STEP + 1);
    expect(db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'review_package'").get()).toEqual({
      strict: 1,
    });
    add('k1', { imported_by: 'p1' });
    add('k2', { answer_id: 'ans1', answered_at: NOW, answered_by: 'p1' });
    expect(() => add('k3', { answer_id: 'ans2' })).toThrow(/CHECK/);
    expect(() => add('k4', { answer_id: 'ans1', answered_at: NOW, answered_by: 'p1' })).toThrow(/UNIQUE/);
    expect(() => add('k5', { imported_by: 'nobody' })).toThrow(/FOREIGN KEY/);
    expect(() => add('k6', { sha256: 'short' })).toThrow(/CHECK/);
    expect(() => add('k7', { findings: 0 })).toThrow(/CHECK/);
    expect(() => add('k1')).toThrow(/UNIQUE|PRIMARY/);
  });
});
