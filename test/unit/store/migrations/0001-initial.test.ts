import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEVERITIES, VERDICTS } from '../../../../shared/model/results.js';
import { HOST_KEY_ORIGINS, HOST_RUN_STATES, SCAN_STATUSES } from '../../../../shared/model/workspace.js';
import { migrate, userVersion } from '../../../../main/store/migrate.js';
import { APPLICATION_ID, MIGRATIONS } from '../../../../main/store/migrations/index.js';
import { tempDir } from '../helpers.js';

const TABLES = ['engagement', 'host', 'host_run', 'known_host_key', 'result', 'scan', 'snapshot'];

describe('migration 0001-initial', () => {
  let cleanup: () => void;
  let db: Database.Database;
  const NOW = '2026-03-01T00:00:00.000Z';

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    const path = join(dir, '0001.sqlite');
    db = new Database(path);
    db.pragma('foreign_keys = ON');
    expect(migrate(db, path, MIGRATIONS.slice(0, 1)).applied).toEqual(['0001-initial']);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const insertEngagement = (id = 'e1') =>
    db.prepare('INSERT INTO engagement (id, name, created_at) VALUES (?, ?, ?)').run(id, 'Acme', NOW);
  const insertHost = (id: string, name: string, jump: string | null = null, engagement = 'e1') =>
    db
      .prepare(
        `INSERT INTO host (id, engagement_id, name, address, port, user, auth_method, jump_host_id, created_at, updated_at)
         VALUES (?, ?, ?, '10.0.0.1', 22, 'audit', '{"type":"agent"}', ?, ?, ?)`,
      )
      .run(id, engagement, name, jump, NOW, NOW);
  const insertScan = (id = 's1', status = 'running') =>
    db
      .prepare(
        `INSERT INTO scan (id, engagement_id, started_at, status, catalogue_version, check_ids) VALUES (?, 'e1', ?, ?, '1', '[]')`,
      )
      .run(id, NOW, status);
  const insertRun = (id: string, status = 'queued', hostId: string | null = null, ordinal = 1) =>
    db
      .prepare(
        `INSERT INTO host_run (id, scan_id, host_id, ordinal, target_name, source, status) VALUES (?, 's1', ?, ?, 'db01', 'ssh', ?)`,
      )
      .run(id, hostId, ordinal, status);
  const insertResult = (runId: string, checkId: string, verdict = 'pass', severity = 'low') =>
    db
      .prepare(
        `INSERT INTO result (host_run_id, check_id, check_digest, verdict, severity, expected, actual, reason)
         VALUES (?, ?, 'd', ?, ?, '', '', '')`,
      )
      .run(runId, checkId, verdict, severity);

  it('creates the seven tables, all STRICT, and marks the file as a Foureyes workspace', () => {
    const list = db
      .prepare(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all();
    expect(list).toEqual(TABLES.map((name) => ({ name, strict: 1 })));
    expect(userVersion(db)).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
  });

  it('every foreign key column is NOT NULL except the optional links (jump host, host of a run)', () => {
    const nullable: string[] = [];
    for (const t of TABLES) {
      const fks = db.prepare(`SELECT "from" FROM pragma_foreign_key_list(?)`).all(t) as { from: string }[];
      const cols = db.prepare(`SELECT name, "notnull" AS nn FROM pragma_table_info(?)`).all(t) as {
        name: string;
        nn: number;
      }[];
      for (const fk of fks)
        if (cols.find((c) => c.name === fk.from)?.nn !== 1) nullable.push(`${t}.${fk.from}`);
    }
    expect(nullable.sort()).toEqual(['host.jump_host_id', 'host_run.host_id']);
  });

  it('CHECK constraints accept exactly the domain enumerations', () => {
    insertEngagement();
    insertScan();
    HOST_RUN_STATES.forEach((s, i) => {
      if (s === 'failed') return; // needs an error, tested below
      expect(() => insertRun(`r${i}`, s, null, i + 1)).not.toThrow();
    });
    expect(() => insertRun('bad', 'paused', null, 99)).toThrow(/CHECK/);
    VERDICTS.forEach((v, i) => expect(() => insertResult('r0', `c${i}`, v)).not.toThrow());
    SEVERITIES.forEach((s, i) => expect(() => insertResult('r0', `s${i}`, 'pass', s)).not.toThrow());
    expect(() => insertResult('r0', 'x1', 'maybe')).toThrow(/CHECK/);
    expect(() => insertResult('r0', 'x2', 'pass', 'urgent')).toThrow(/CHECK/);
    SCAN_STATUSES.forEach((s, i) => expect(() => insertScan(`scan${i}`, s)).not.toThrow());
    expect(() => insertScan('bad', 'paused')).toThrow(/CHECK/);
    insertHost('h1', 'db01');
    HOST_KEY_ORIGINS.forEach((how, i) =>
      expect(() =>
        db
          .prepare(
            `INSERT INTO known_host_key (host_id, key_type, fingerprint, accepted_at, accepted_by, how) VALUES ('h1', 'ssh-ed25519', ?, ?, 'anna', ?)`,
          )
          .run(`SHA256:${i}`, NOW, how),
      ).not.toThrow(),
    );
    expect(() =>
      db
        .prepare(
          `INSERT INTO known_host_key (host_id, key_type, fingerprint, accepted_at, accepted_by, how) VALUES ('h1', 'x', 'SHA256:z', ?, 'anna', 'guess')`,
        )
        .run(NOW),
    ).toThrow(/CHECK/);
  });

  it('a failed run needs an error; a result is unique per (run, check); STRICT rejects wrong types', () => {
    insertEngagement();
    insertScan();
    expect(() => insertRun('f', 'failed')).toThrow(/CHECK/);
    insertRun('r1');
    insertResult('r1', 'ssh-root-login');
    expect(() => insertResult('r1', 'ssh-root-login')).toThrow(/UNIQUE/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO host (id, engagement_id, name, address, port, user, auth_method, created_at, updated_at)
           VALUES ('h', 'e1', 'n', 'a', 'twenty-two', 'u', '{"type":"agent"}', ?, ?)`,
        )
        .run(NOW, NOW),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO host (id, engagement_id, name, address, port, user, auth_method, created_at, updated_at)
           VALUES ('h', 'e1', 'n', 'a', 22, 'u', '{"type":"password","password":"x"}', ?, ?)`,
        )
        .run(NOW, NOW),
    ).not.toThrow(); // the schema checks the type tag; refusing secret fields is the repository's job (tested there)
  });

  it('foreign keys are enforced, and deleting an engagement cascades to everything under it', () => {
    expect(() => insertHost('h1', 'db01', null, 'nope')).toThrow(/FOREIGN KEY/);
    insertEngagement();
    insertHost('h1', 'db01');
    insertHost('h2', 'app01', 'h1');
    insertEngagement('e2');
    insertHost('other', 'x', null, 'e2');
    expect(() => insertHost('h3', 'cross', 'other')).toThrow(/FOREIGN KEY/); // jump host from another engagement
    expect(() => db.prepare("DELETE FROM host WHERE id = 'h1'").run()).toThrow(/FOREIGN KEY/); // still a jump host
    insertScan();
    insertRun('r1', 'done', 'h2');
    insertResult('r1', 'c1');
    db.prepare(
      `INSERT INTO snapshot (host_run_id, format, encoding, compressed, sha256, size_raw, size_compressed, complete, collected_at)
       VALUES ('r1', 'f', 'deflate', x'0102', ?, 10, 2, 1, ?)`,
    ).run('0'.repeat(64), NOW);
    expect(() =>
      db
        .prepare(
          `INSERT INTO result (host_run_id, check_id, check_digest, verdict, severity, expected, actual, reason)
                  VALUES ('ghost', 'c', 'd', 'pass', 'low', '', '', '')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);

    db.prepare("DELETE FROM engagement WHERE id = 'e1'").run();
    const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    expect([count('host'), count('scan'), count('host_run'), count('result'), count('snapshot')]).toEqual([
      1, 0, 0, 0, 0,
    ]);
  });

  it('removing a host keeps its past runs, unlinked', () => {
    insertEngagement();
    insertHost('h1', 'db01');
    insertScan();
    insertRun('r1', 'done', 'h1');
    db.prepare("DELETE FROM host WHERE id = 'h1'").run();
    expect(db.prepare("SELECT host_id, target_name FROM host_run WHERE id = 'r1'").get()).toEqual({
      host_id: null,
      target_name: 'db01',
    });
  });
});
