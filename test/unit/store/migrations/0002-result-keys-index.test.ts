import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../../../../main/store/migrate.js';
import { MIGRATIONS } from '../../../../main/store/migrations/index.js';
import { tempDir } from '../helpers.js';

describe('migration 0002-result-keys-index', () => {
  let cleanup: () => void;
  let db: Database.Database;
  let path: string;
  const NOW = '2026-03-01T00:00:00.000Z';

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = join(dir, '0002.sqlite');
    db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, path, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO engagement (id, name, created_at) VALUES ('e1', 'Acme', ?)").run(NOW);
    db.prepare(
      `INSERT INTO scan (id, engagement_id, started_at, status, catalogue_version, check_ids) VALUES ('s1', 'e1', ?, 'done', '1', '[]')`,
    ).run(NOW);
    db.prepare(
      `INSERT INTO host_run (id, scan_id, ordinal, target_name, source, status) VALUES ('r1', 's1', 1, 'db01', 'ssh', 'done')`,
    ).run();
    const ins = db.prepare(
      `INSERT INTO result (host_run_id, check_id, check_digest, verdict, severity, expected, actual, reason)
       VALUES ('r1', ?, 'd', ?, ?, '', 'x', 'y')`,
    );
    ins.run('ssh-root-login', 'fail', 'high');
    ins.run('ssh-x11', 'pass', 'low');
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const plan = (sql: string, ...p: unknown[]) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...p) as { detail: string }[]).map((r) => r.detail).join('\n');
  const tally = `SELECT r.verdict, r.severity, r.check_id, count(*) AS n FROM host_run h JOIN result r ON r.host_run_id = h.id
                 WHERE h.scan_id = ? GROUP BY r.verdict, r.severity, r.check_id`;

  it('adds a covering index on (host_run_id, verdict, severity, check_id), keeping every row', () => {
    const before = db.prepare('SELECT * FROM result ORDER BY id').all();
    expect(plan(tally, 's1')).not.toMatch(/COVERING INDEX/);
    expect(migrate(db, path, MIGRATIONS.slice(0, 2)).applied).toEqual(['0002-result-keys-index']);
    expect(userVersion(db)).toBe(2);
    const cols = db.prepare(`SELECT name FROM pragma_index_info('result_by_run_keys') ORDER BY seqno`).all();
    expect(cols).toEqual([{ name: 'host_run_id' }, { name: 'verdict' }, { name: 'severity' }, { name: 'check_id' }]);
    expect(db.prepare('SELECT * FROM result ORDER BY id').all()).toEqual(before);
    // Counting a scan's results per verdict and severity no longer reads the table.
    expect(plan(tally, 's1')).toMatch(/COVERING INDEX result_by_run_keys/);
    expect(db.prepare(tally).all('s1')).toEqual([
      { verdict: 'fail', severity: 'high', check_id: 'ssh-root-login', n: 1 },
      { verdict: 'pass', severity: 'low', check_id: 'ssh-x11', n: 1 },
    ]);
  });
});
