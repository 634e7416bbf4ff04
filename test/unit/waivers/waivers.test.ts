/**
 * Waivers on a real workspace file with real people (keys in the person table, a signed trail), scans stored
 * through the store sink, and the services the API dispatches to: the four-eye rule, the overlay on results, check
 * detail, scores, the dashboard and findings, re-scans, lapse on the expiry date (an injected clock), revocation,
 * and rows edited with plain SQL.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { recordAudit } from '../../../main/audit/trail.js';
import { verifyTrail } from '../../../main/audit/verify.js';
import { addPerson, unlock } from '../../../main/people/people.js';
import type { Acting } from '../../../main/people/acting.js';
import { publicKeyOf } from '../../../main/people/public-keys.js';
import { LATEST_VERSION, MIGRATIONS } from '../../../main/store/migrations/index.js';
import { dashboardService } from '../../../main/services/dashboard.js';
import { findingApiService } from '../../../main/services/findings.js';
import { resultService } from '../../../main/services/results.js';
import { scanService } from '../../../main/services/scans.js';
import { waiverService, type WaiverCommands } from '../../../main/services/waivers.js';
import { attacker } from '../audit/tamper.js';
import { findingsFixture, type FindingsFixture } from '../findings/fixtures.js';

const PASS = { ann: 'ann-waiver-pass-1', bea: 'bea-waiver-pass-2' };

function refusal(fn: () => unknown): FoureyesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FoureyesError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const sync = <T,>(v: T | Promise<T>): T => {
  if (v instanceof Promise) throw new Error('expected a synchronous answer');
  return v;
};

describe('waivers', () => {
  let fx: FindingsFixture;
  let ann: Acting;
  let bea: Acting;
  let clock: Date;
  let svc: WaiverCommands;
  let scanId: string;
  let failing: string;
  let passing: string;

  const services = () => {
    const keys = publicKeyOf(fx.ws);
    svc = waiverService(fx.ws, { recordAudit: recordAudit(fx.ws), publicKeyOf: keys, catalogue: fx.catalogue, now: () => clock });
    return {
      results: resultService(fx.ws, fx.catalogue, svc.overlay),
      dashboard: dashboardService(fx.ws, fx.catalogue, svc),
      findings: findingApiService(fx.ws, { recordAudit: recordAudit(fx.ws), publicKeyOf: keys, overlay: svc.overlay }),
      scans: scanService(fx.ws, fx.catalogue, () => {}, () => {}, null, svc.overlay),
    };
  };
  let api: ReturnType<typeof services>;

  beforeEach(() => {
    fx = findingsFixture();
    [failing, passing] = fx.checks;
    scanId = fx.scan({ db01: { [failing]: 'fail', [passing]: 'pass' }, web01: { [failing]: 'fail', [passing]: 'pass' } });
    addPerson(fx.ws, { name: 'Ann', role: 'consultant', email: 'ann@example.org' }, PASS.ann);
    addPerson(fx.ws, { name: 'Bea', role: 'reviewer', email: 'bea@example.org' }, PASS.bea);
    ann = unlock(fx.ws, 'Ann', PASS.ann);
    bea = unlock(fx.ws, 'Bea', PASS.bea);
    clock = new Date('2026-12-04T10:00:00Z');
    api = services();
  });
  afterEach(() => fx.cleanup());

  const request = (over: Record<string, unknown> = {}) =>
    svc.request(
      {
        engagementId: fx.engagementId,
        checkId: failing,
        hostId: fx.hosts.db01.id,
        reason: 'Legacy backup agent needs it until the migration in Q1',
        owner: 'Ops (J. Doe)',
        expiresOn: '2027-01-31',
        ...over,
      } as never,
      ann,
    );

  const rows = (id = scanId) =>
    sync(api.results.query({ scanId: id, filter: {}, sort: { by: 'check', dir: 'asc' }, paging: { offset: 0, limit: 100 } }))
      .items.map((r) => `${r.hostName} ${r.checkId === failing ? 'failing-check' : 'passing-check'} ${r.verdict}`)
      .sort();
  const hostOf = (s: MethodOutput<'dashboard.summary'>, name: string) => s.hosts.find((h) => h.hostName === name)!;
  const summary = () => sync(api.dashboard.summary({ engagementId: fx.engagementId }));
  const events = () =>
    (fx.ws.db.prepare("SELECT action, actor_name, reason FROM audit_event WHERE action LIKE 'waiver.%' ORDER BY seq").all() as {
      action: string;
      actor_name: string;
      reason: string | null;
    }[]).map((e) => `${e.action} ${e.actor_name}: ${e.reason}`);

  it('the requester cannot approve their own waiver; a second person does, signing its content hash', () => {
    const w = request();
    expect(w).toMatchObject({ state: 'requested', shownState: 'requested', applies: false, daysUntilExpiry: 58 });
    const e = refusal(() => svc.approve({ waiverId: w.id }, ann));
    expect(e.code).toBe('not_permitted');
    expect(e.message).toBe(
      `Ann cannot approve the waiver of ${failing} on db01: they requested it (four-eye rule: a second person approves)`,
    );
    expect(fx.ws.waivers.require(w.id).state).toBe('requested');
    expect(rows()).toContain(`db01 failing-check fail`);

    const ok = svc.approve({ waiverId: w.id }, bea);
    expect(ok).toMatchObject({ state: 'approved', shownState: 'approved', applies: true, problem: null });
    expect(ok.approval).toMatchObject({ name: 'Bea', contentHash: w.contentHash });
    expect(refusal(() => svc.approve({ waiverId: w.id }, bea)).message).toMatch(/it is approved, not requested/);
    expect(events()).toEqual([
      'waiver.request Ann: Legacy backup agent needs it until the migration in Q1',
      'waiver.approve Bea: Legacy backup agent needs it until the migration in Q1',
    ]);
    expect(verifyTrail(fx.ws)).toMatchObject({ ok: true });
  });

  it('an approved waiver shows its results as waived in results, check detail, scores, the dashboard and findings', () => {
    const before = summary();
    expect(hostOf(before, 'db01').counts).toMatchObject({ pass: 1, fail: 1 });
    expect(hostOf(before, 'db01').counts.waived).toBeUndefined();
    const scoreBefore = hostOf(before, 'db01').score;
    expect(scoreBefore).not.toBeNull();
    expect(scoreBefore).toBeLessThan(100);

    svc.approve({ waiverId: request().id }, bea);

    expect(rows()).toEqual([
      'db01 failing-check waived',
      'db01 passing-check pass',
      'web01 failing-check fail',
      'web01 passing-check pass',
    ]);
    const q = (verdicts: ('fail' | 'waived')[]) =>
      sync(api.results.query({ scanId, filter: { verdicts }, sort: { by: 'verdict', dir: 'desc' }, paging: { offset: 0, limit: 10 } }));
    expect(q(['fail']).items.map((r) => r.hostName)).toEqual(['web01']);
    expect(q(['waived'])).toMatchObject({ total: 1, items: [{ hostName: 'db01', verdict: 'waived' }] });

    const run = fx.ws.hostRuns.list(scanId).find((r) => r.hostName === 'db01')!;
    const detail = sync(api.results.checkDetail({ hostRunId: run.id, checkId: failing }));
    expect(detail.result.verdict).toBe('fail');
    expect(detail.waiver).toMatchObject({ owner: 'Ops (J. Doe)', expiresOn: '2027-01-31', approvedBy: 'Bea' });

    const after = summary();
    expect(hostOf(after, 'db01').counts).toMatchObject({ pass: 1, fail: 0, waived: 1 });
    expect(hostOf(after, 'db01').score).toBe(100);
    expect(hostOf(after, 'web01')).toEqual(hostOf(before, 'web01'));
    expect(after.trend.at(-1)!.counts).toMatchObject({ fail: 1, waived: 1, pass: 2 });
    expect(after.trend.at(-1)!.score).toBeGreaterThan(before.trend.at(-1)!.score!);
    const scan = sync(api.scans.get({ scanId }));
    expect(scan.scan.counts).toMatchObject({ fail: 1, waived: 1 });
    expect(scan.hostRuns.find((r) => r.hostName === 'db01')!.score).toBe(100);

    const list = sync(api.findings.list({ engagementId: fx.engagementId, filters: {}, sort: { by: 'severity', dir: 'desc' }, paging: { offset: 0, limit: 10 } }));
    const f = list.items.find((i) => i.key === failing)!;
    expect(f.hosts).toEqual({ failing: 1, waived: 1, fixed: 0, names: ['web01'] });
    const got = sync(api.findings.get({ findingId: f.id, hostPaging: { offset: 0, limit: 10 } }));
    expect(got.hosts.items.map((p) => `${p.targetName} ${p.state}`).sort()).toEqual(['db01 waived', 'web01 failing']);
    // The stored part, and so the content a reviewer signs, is unchanged.
    expect(fx.ws.findings.hosts.forFinding(f.id).map((p) => p.state)).toEqual(['failing', 'failing']);
  });

  it('a waiver on every host covers the check on each of them', () => {
    svc.approve({ waiverId: request({ hostId: null }).id }, bea);
    expect(rows()).toEqual([
      'db01 failing-check waived',
      'db01 passing-check pass',
      'web01 failing-check waived',
      'web01 passing-check pass',
    ]);
    expect(svc.list({ engagementId: fx.engagementId }).items[0]).toMatchObject({ hostId: null, applies: true });
  });

  it('survives a re-scan: the new scan’s results are waived too, the stored results are untouched', () => {
    svc.approve({ waiverId: request().id }, bea);
    const second = fx.scan({ db01: { [failing]: 'fail', [passing]: 'pass' }, web01: { [failing]: 'pass', [passing]: 'pass' } });
    expect(rows(second)).toEqual([
      'db01 failing-check waived',
      'db01 passing-check pass',
      'web01 failing-check pass',
      'web01 passing-check pass',
    ]);
    expect(summary().scanId).toBe(second);
    expect(hostOf(summary(), 'db01').counts).toMatchObject({ fail: 0, waived: 1 });
    const stored = fx.ws.db
      .prepare("SELECT count(*) AS n FROM result WHERE verdict = 'fail' AND check_id = ?")
      .get(failing) as { n: number };
    expect(stored.n).toBe(3);
  });

  it('lapses on its expiry date, with the dashboard warning in the 14 days before', () => {
    const w = request({ expiresOn: '2026-12-20' });
    svc.approve({ waiverId: w.id }, bea);
    expect(summary().waiversExpiring).toMatchObject({ count: 0, items: [] });

    clock = new Date('2026-12-06T08:00:00Z');
    expect(summary().waiversExpiring).toMatchObject({ count: 1, items: [{ id: w.id, daysUntilExpiry: 14, checkTitle: expect.any(String) }] });

    clock = new Date('2026-12-19T23:59:59Z');
    expect(rows()).toContain('db01 failing-check waived');

    clock = new Date('2026-12-20T00:00:00Z');
    expect(rows()).toContain('db01 failing-check fail');
    expect(svc.list({ engagementId: fx.engagementId }).items[0]).toMatchObject({
      state: 'approved',
      shownState: 'lapsed',
      applies: false,
      daysUntilExpiry: 0,
    });
    expect(summary().waiversExpiring.count).toBe(0);
    expect(hostOf(summary(), 'db01').counts).toMatchObject({ fail: 1 });
  });

  it('refuses an expiry date that is not after today, and a second open waiver of the same check and host', () => {
    expect(refusal(() => request({ expiresOn: '2026-12-04' })).message).toBe('Expiry date 2026-12-04 is not after today (2026-12-04)');
    const w = request();
    expect(refusal(() => request()).message).toMatch(new RegExp(`already requested \\(${w.id.slice(0, 8)}, until 2027-01-31\\)`));
    expect(refusal(() => request({ checkId: 'no-such-check' })).message).toMatch(/is not in the catalogue/);
  });

  it('revoked or rejected: it stops applying, each with its reason in the trail', () => {
    const w = request();
    svc.approve({ waiverId: w.id }, bea);
    expect(rows()).toContain('db01 failing-check waived');
    expect(svc.revoke({ waiverId: w.id, reason: 'the agent was replaced' }, ann)).toMatchObject({ shownState: 'revoked', applies: false });
    expect(rows()).toContain('db01 failing-check fail');

    const other = request({ hostId: fx.hosts.web01.id });
    expect(svc.reject({ waiverId: other.id, comment: 'not an accepted risk: fix it' }, bea)).toMatchObject({ state: 'rejected' });
    expect(refusal(() => svc.approve({ waiverId: other.id }, bea)).message).toMatch(/it is rejected, not requested/);
    expect(events()).toEqual([
      'waiver.request Ann: Legacy backup agent needs it until the migration in Q1',
      'waiver.approve Bea: Legacy backup agent needs it until the migration in Q1',
      'waiver.revoke Ann: the agent was replaced',
      'waiver.request Ann: Legacy backup agent needs it until the migration in Q1',
      'waiver.reject Bea: not an accepted risk: fix it',
    ]);
    expect(verifyTrail(fx.ws)).toMatchObject({ ok: true });

    // Put back to approved with plain SQL (its approval still verifies): the trail's revocation keeps it ended.
    const db = attacker(fx.ws.path);
    try {
      db.prepare(
        `UPDATE waiver SET state = 'approved', revoked_by = NULL, revoked_by_name = NULL, revoked_at = NULL,
         revocation_reason = NULL WHERE id = ?`,
      ).run(w.id);
    } finally {
      db.close();
    }
    expect(rows()).toContain('db01 failing-check fail');
    expect(svc.list({ engagementId: fx.engagementId }).items.find((x) => x.id === w.id)).toMatchObject({
      shownState: 'approved',
      applies: false,
      problem: 'the audit trail records it revoked or rejected, yet the waiver as stored is approved',
    });
  });

  it('a waiver row edited with plain SQL no longer verifies nor applies; an edited trail is named by audit verify', () => {
    const w = request();
    svc.approve({ waiverId: w.id }, bea);
    const db = attacker(fx.ws.path);
    try {
      // Stretch the accepted risk to another host, then to a later date.
      db.prepare('UPDATE waiver SET host_id = ?, host_name = ? WHERE id = ?').run(fx.hosts.web01.id, 'web01', w.id);
      expect(rows()).toContain('web01 failing-check fail');
      expect(rows()).toContain('db01 failing-check fail');
      db.prepare('UPDATE waiver SET host_id = ?, host_name = ?, expires_on = ? WHERE id = ?').run(fx.hosts.db01.id, 'db01', '2030-01-01', w.id);
      expect(rows()).toContain('db01 failing-check fail');
      const listed = svc.list({ engagementId: fx.engagementId }).items[0]!;
      expect(listed).toMatchObject({ shownState: 'approved', applies: false });
      expect(listed.problem).toMatch(/^the approval by Bea of .+ is for other content/);
      expect(hostOf(summary(), 'db01').counts).toMatchObject({ fail: 1 });
      expect(hostOf(summary(), 'db01').counts.waived).toBeUndefined();

      // Back as approved, then a request approved with SQL only: no signature of Bea's over it, so nothing applies.
      db.prepare("UPDATE waiver SET expires_on = '2027-01-31' WHERE id = ?").run(w.id);
      expect(rows()).toContain('db01 failing-check waived');
      const forged = request({ hostId: fx.hosts.web01.id });
      db.prepare(
        `UPDATE waiver SET state = 'approved', approved_by = ?, approved_by_name = 'Bea', approved_at = ?,
         approved_hash = content_hash, signature = ? WHERE id = ?`,
      ).run(bea.actor.personId, clock.toISOString(), fx.ws.waivers.require(w.id).approval!.signature, forged.id);
      expect(rows()).toContain('web01 failing-check fail');
      expect(svc.list({ engagementId: fx.engagementId }).items.find((x) => x.id === forged.id)!.problem).toMatch(
        /has a signature that does not verify with Bea's key/,
      );

      // Rewriting the trail's record of the approval is caught by the trail's own verification.
      const seq = (db.prepare("SELECT seq FROM audit_event WHERE action = 'waiver.approve'").get() as { seq: number }).seq;
      db.prepare("UPDATE audit_event SET reason = 'approved by the customer' WHERE seq = ?").run(seq);
    } finally {
      db.close();
    }
    expect(verifyTrail(fx.ws)).toMatchObject({ ok: false, firstBad: { seq: expect.any(Number), reason: expect.stringMatching(/hash/) } });
  });
});

describe('schema 0009 on a workspace at 0008', () => {
  let fx: FindingsFixture;
  afterEach(() => fx.cleanup());

  it('adds the waiver table and leaves results, findings, people and the trail as they were', async () => {
    fx = findingsFixture();
    fx.scan({ db01: { [fx.checks[0]]: 'fail' } });
    addPerson(fx.ws, { name: 'Ann', role: 'consultant', email: 'ann@example.org' }, PASS.ann);
    const path = fx.ws.path;
    const count = (db: Database.Database, t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    const tables = ['result', 'host_run', 'finding', 'finding_host', 'person', 'audit_event'];
    fx.ws.close();
    // A workspace as schema 0008 left it: everything but the tables of the later steps.
    const raw = new Database(path);
    raw.exec('DROP TABLE waiver; DROP TABLE person_seal; DROP TABLE publish_token; DROP TABLE attestation; DROP TABLE scan_check; DROP TABLE scan_answer');
    raw.pragma('user_version = 8');
    const before = Object.fromEntries(tables.map((t) => [t, count(raw, t)]));
    raw.close();
    expect(before.result).toBe(1);

    const { openWorkspace } = await import('../../../main/store/db.js');
    const ws = openWorkspace(path);
    try {
      expect(ws.migration).toEqual({ from: 8, to: LATEST_VERSION, applied: MIGRATIONS.slice(8).map((m) => `${String(m.version).padStart(4, '0')}-${m.name}`) });
      expect(Object.fromEntries(tables.map((t) => [t, count(ws.db, t)]))).toEqual(before);
      expect(ws.db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'waiver'").get()).toEqual({ strict: 1 });
      expect(ws.waivers.list()).toEqual([]);
      expect(verifyTrail(ws)).toMatchObject({ ok: true });
    } finally {
      ws.close();
    }
  });

  it('stores exactly the states shared/model/waiver.ts names', async () => {
    fx = findingsFixture();
    const { STORED_WAIVER_STATES } = await import('../../../shared/model/waiver.js');
    const sql = (fx.ws.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'waiver'").get() as { sql: string }).sql;
    const listed = /state IN \(([^)]*)\)/.exec(sql)![1]!.split(',').map((s) => s.trim().replace(/'/g, ''));
    expect(listed).toEqual([...STORED_WAIVER_STATES]);
  });
});
