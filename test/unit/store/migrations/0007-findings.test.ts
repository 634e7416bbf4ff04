import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATTACHMENT_TYPES, FINDING_STATUSES, HOST_PART_STATES, REVIEW_STATES } from '../../../../shared/model/finding.js';
import { SEVERITIES } from '../../../../shared/model/results.js';
import { migrate } from '../../../../main/store/migrate.js';
import { MIGRATIONS } from '../../../../main/store/migrations/index.js';
import { tempDir } from '../helpers.js';

// Found by name: the step's number is settled when the branches meet (0006 is the people and trail step).
const STEP = MIGRATIONS.findIndex((m) => m.name === 'findings');

describe('migration 0007-findings', () => {
  let cleanup: () => void;
  let db: Database.Database;
  const NOW = '2026-03-01T00:00:00.000Z';

  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    const path = join(dir, '0007.sqlite');
    db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, path, MIGRATIONS.slice(0, STEP));
    db.prepare("INSERT INTO engagement (id, name, created_at) VALUES ('e1', 'Acme', ?), ('e2', 'Other', ?)").run(NOW, NOW);
    expect(migrate(db, path, MIGRATIONS.slice(0, STEP + 1)).applied).toEqual([
      `${String(STEP + 1).padStart(4, '0')}-findings`,
    ]);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const finding = (id: string, over: Record<string, unknown> = {}) => {
    const row = {
      id,
      engagement_id: 'e1',
      key: id,
      title: 'Root may log in',
      severity: 'high',
      catalogue_severity: 'high',
      severity_reason: null,
      status: 'open',
      status_reason: null,
      review_state: 'draft',
      submitted_by: null,
      ...over,
    };
    db.prepare(
      `INSERT INTO finding (id, engagement_id, key, title, severity, catalogue_severity, severity_reason, status,
                            status_reason, review_state, submitted_by, created_at, updated_at)
       VALUES (@id, @engagement_id, @key, @title, @severity, @catalogue_severity, @severity_reason, @status,
               @status_reason, @review_state, @submitted_by, '${NOW}', '${NOW}')`,
    ).run(row);
  };

  it('existing engagements need one approver; the bounds are checked', () => {
    expect(db.prepare("SELECT approvals_required FROM engagement WHERE id = 'e1'").pluck().get()).toBe(1);
    expect(() => db.prepare("UPDATE engagement SET approvals_required = 0 WHERE id = 'e1'").run()).toThrow(/CHECK/);
    db.prepare("UPDATE engagement SET approvals_required = 2 WHERE id = 'e1'").run();
  });

  it('spells out the domain enumerations of shared/model/finding.ts', () => {
    for (const s of FINDING_STATUSES) finding(`s-${s}`, { status: s, status_reason: 'why' });
    for (const s of REVIEW_STATES) finding(`r-${s}`, { review_state: s, submitted_by: 'p1' });
    for (const s of SEVERITIES) finding(`v-${s}`, { severity: s, catalogue_severity: s });
    expect(() => finding('bad-status', { status: 'closed' })).toThrow(/CHECK/);
    expect(() => finding('bad-review', { review_state: 'done', submitted_by: 'p1' })).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO finding_host (finding_id, check_id, target_name, state, actual, first_seen_at, last_seen_at, fixed_at)
       VALUES ('s-open', 'c', 'db01', ?, '', ?, ?, ?)`,
    ).run(HOST_PART_STATES[0], NOW, NOW, null);
    for (const t of ATTACHMENT_TYPES)
      db.prepare(
        `INSERT INTO attachment (id, finding_id, name, media_type, size, sha256, added_at, added_by, bytes)
         VALUES (?, 's-open', 'a', ?, 1, ?, ?, 'p1', x'00')`,
      ).run(`a-${t}`, t, 'a'.repeat(64), NOW);
  });

  it('refuses an override without a reason, a false positive without one, a review without a submitter', () => {
    expect(() => finding('f1', { severity: 'low' })).toThrow(/CHECK/);
    finding('f1', { severity: 'low', severity_reason: 'internal network only' });
    expect(() => finding('f2', { status: 'false_positive' })).toThrow(/CHECK/);
    expect(() => finding('f3', { status: 'accepted_risk' })).toThrow(/CHECK/);
    expect(() => finding('f4', { review_state: 'in_review' })).toThrow(/CHECK/);
    finding('f5', { key: 'dup' }); // keys are unique per engagement
    expect(() => finding('f6', { key: 'dup' })).toThrow(/UNIQUE/);
    finding('f7', { key: 'dup', engagement_id: 'e2' });
  });

  it('a check goes to one finding per engagement, of that engagement', () => {
    finding('f1');
    const link = (e: string, c: string, f: string) =>
      db.prepare('INSERT INTO finding_check (engagement_id, check_id, finding_id) VALUES (?, ?, ?)').run(e, c, f);
    link('e1', 'sshd-root', 'f1');
    expect(() => link('e1', 'sshd-root', 'f1')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => link('e2', 'sshd-root', 'f1')).toThrow(/FOREIGN KEY/);
  });

  it('one part per host and check; a fixed part has its time; attachments are bounded and sized', () => {
    finding('f1');
    const part = (host: string | null, state = 'failing', fixedAt: string | null = null) =>
      db
        .prepare(
          `INSERT INTO finding_host (finding_id, check_id, host_id, target_name, state, actual, first_seen_at, last_seen_at, fixed_at)
           VALUES ('f1', 'c', ?, 'db01', ?, '', ?, ?, ?)`,
        )
        .run(host, state, NOW, NOW, fixedAt);
    db.prepare(
      `INSERT INTO host (id, engagement_id, name, address, port, user, auth_method, created_at, updated_at)
       VALUES ('h1', 'e1', 'db01', '10.0.0.1', 22, 'audit', '{"type":"agent"}', ?, ?)`,
    ).run(NOW, NOW);
    part('h1');
    expect(() => part('h1')).toThrow(/UNIQUE/);
    expect(() => part(null, 'fixed')).toThrow(/CHECK/);
    part(null, 'fixed', NOW);
    // a removed host leaves its part, by name
    db.prepare("DELETE FROM host WHERE id = 'h1'").run();
    expect(db.prepare("SELECT count(*) FROM finding_host WHERE host_id IS NULL AND target_name = 'db01'").pluck().get()).toBe(2);

    const attach = (id: string, size: number, bytes: Buffer, type = 'image/png') =>
      db
        .prepare(
          `INSERT INTO attachment (id, finding_id, name, media_type, size, sha256, added_at, added_by, bytes)
           VALUES (?, 'f1', 'shot.png', ?, ?, ?, ?, 'p1', ?)`,
        )
        .run(id, type, size, 'b'.repeat(64), NOW, bytes);
    expect(() => attach('a1', 3, Buffer.from('ab'))).toThrow(/CHECK/);
    expect(() => attach('a2', 2, Buffer.from('ab'), 'application/x-msdownload')).toThrow(/CHECK/);
    const big = Buffer.alloc(10 * 1024 * 1024 + 1);
    expect(() => attach('a3', big.length, big)).toThrow(/CHECK/);
    attach('a4', 2, Buffer.from('ab'));
    db.prepare("DELETE FROM finding WHERE id = 'f1'").run();
    expect(db.prepare('SELECT count(*) FROM attachment').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM finding_host').pluck().get()).toBe(0);
  });

  it('one live approval per reviewer; voided ones stay', () => {
    finding('f1');
    const approve = () =>
      db
        .prepare(
          `INSERT INTO finding_approval (finding_id, reviewer_id, reviewer_name, revision, content_hash, signature, at)
           VALUES ('f1', 'p2', 'Bea', 1, ?, 'c2ln', ?)`,
        )
        .run('c'.repeat(64), NOW);
    approve();
    expect(() => approve()).toThrow(/UNIQUE/);
    db.prepare("UPDATE finding_approval SET voided_at = ?, voided_why = 'edited'").run(NOW);
    approve();
    expect(db.prepare('SELECT count(*) FROM finding_approval').pluck().get()).toBe(2);
  });
});
