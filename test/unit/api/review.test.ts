/**
 * The offline review over HTTP, through the real bridge to the real services on two real workspace files: the
 * consultants' workstation exports the findings in review, the reviewer's imports the package, answers it, and the
 * answer is applied back as an in-workspace review (approved, sent back to draft). A changed byte, an answer
 * imported twice and calls made while nobody is signed in are refused with the reason; both trails verify.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import { findingsFixture, type FindingsFixture } from '../findings/fixtures.js';
import { startLiveBridge, type LiveBridge } from './live-bridge.js';

const ANN = 'canary-ann-api-review-3e1f';
const BEN = 'canary-ben-api-review-77c2';
const RITA = 'canary-rita-api-review-a0b9';

type Person = MethodOutput<'person.add'>;

let fx: FindingsFixture;
let a: LiveBridge;
let b: LiveBridge;
let ids: [string, string];
let ann: Person;
let ben: Person;
let rita: Person;

beforeEach(async () => {
  fx = findingsFixture();
  fx.scan({ db01: { [fx.checks[0]]: 'fail', [fx.checks[1]]: 'fail' }, web01: { [fx.checks[0]]: 'fail' } });
  ids = [fx.ws.findings.forCheck(fx.engagementId, fx.checks[0])!.id, fx.ws.findings.forCheck(fx.engagementId, fx.checks[1])!.id];
  const file = fx.ws.path;
  fx.ws.close();
  a = await startLiveBridge(file);
  b = await startLiveBridge(join(file, '..', 'reviewer.sqlite'));
  ann = await a.ok<Person>('person.add', { name: 'Ann', role: 'consultant', email: 'ann@example.org', passphrase: ANN });
  await a.ok('session.signIn', { personId: ann.id, passphrase: ANN });
  ben = await a.ok<Person>('person.add', { name: 'Ben', role: 'consultant', email: 'ben@example.org', passphrase: BEN });
  for (const findingId of ids) {
    await a.ok('finding.edit', { findingId, changes: { notes: 'Root logs in with a password.' }, expectedRevision: 1 });
    await a.ok('finding.submit', { findingId });
  }
  rita = await b.ok<Person>('person.add', { name: 'Rita', role: 'reviewer', email: 'rita@example.org', passphrase: RITA });
  await b.ok('session.signIn', { personId: rita.id, passphrase: RITA });
});
afterEach(async () => {
  await a.close();
  await b.close();
  fx.cleanup();
});

describe('the offline review over the bridge', () => {
  it('exports, imports, answers and applies the answer; lists follow on both sides and both trails verify', async () => {
    const exported = await a.ok<MethodOutput<'review.export'>>('review.export', { engagementId: fx.engagementId });
    expect(exported.fileName).toMatch(/^review-.+-[0-9a-f]{8}\.foureyes-review\.json$/);
    expect(exported.findings.map((f) => f.id).sort()).toEqual([...ids].sort());
    const pkg = Buffer.from(exported.contentBase64, 'base64');
    expect(JSON.parse(pkg.toString('utf8'))).toMatchObject({ format: 'foureyes-review/1', id: exported.packageId });

    const summary = await b.ok<MethodOutput<'review.import'>>('review.import', { contentBase64: exported.contentBase64 });
    expect(summary).toMatchObject({
      id: exported.packageId,
      exporter: { name: 'Ann', fingerprint: ann.fingerprint },
      exporterStatus: 'added',
      alreadyImported: false,
    });
    expect(summary.findings.map((f) => f.authors)).toEqual([['Ann'], ['Ann']]);
    const listB = await b.ok<MethodOutput<'review.list'>>('review.list', {});
    expect(listB.received).toMatchObject([{ id: exported.packageId, state: 'to_answer', answer: null, findings: 2 }]);
    expect(listB.exported).toEqual([]);

    const answered = await b.ok<MethodOutput<'review.answer'>>('review.answer', {
      packageId: exported.packageId,
      decisions: [
        { findingId: ids[0], decision: 'approve' },
        { findingId: ids[1], decision: 'reject', comment: 'Name the reload command.' },
      ],
    });
    expect(answered.decisions.map((d) => d.decision)).toEqual(['approve', 'reject']);
    expect((await b.ok<MethodOutput<'review.list'>>('review.list', {})).received[0]).toMatchObject({ state: 'answered' });
    // A package is answered once.
    expect(
      await b.call('review.answer', { packageId: exported.packageId, decisions: [{ findingId: ids[0], decision: 'approve' }] }),
    ).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/was answered already/) } });

    await a.ok('session.signIn', { personId: ben.id, passphrase: BEN });
    const outcome = await a.ok<MethodOutput<'review.importAnswer'>>('review.importAnswer', {
      contentBase64: answered.contentBase64,
    });
    expect(outcome).toMatchObject({
      answerId: answered.answerId,
      packageId: exported.packageId,
      reviewer: { name: 'Rita', fingerprint: rita.fingerprint, added: true },
      refused: [],
    });
    expect(outcome.applied.map((x) => [x.findingId, x.decision, x.reviewState])).toEqual([
      [ids[0], 'approve', 'approved'],
      [ids[1], 'reject', 'draft'],
    ]);
    const approved = await a.ok<MethodOutput<'finding.get'>>('finding.get', { findingId: ids[0] });
    expect(approved.approvals.map((x) => x.reviewerName)).toEqual(['Rita']);
    expect(
      await a.call('review.importAnswer', { contentBase64: answered.contentBase64 }),
    ).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/imported already/) } });

    const listA = await a.ok<MethodOutput<'review.list'>>('review.list', {});
    expect(listA.received).toEqual([]);
    expect(listA.exported).toMatchObject([
      {
        id: exported.packageId,
        by: 'Ann',
        engagementId: fx.engagementId,
        sha256: exported.sha256,
        findings: 2,
        state: 'answered',
        answer: { id: answered.answerId, reviewer: 'Rita', applied: 2, refused: 0 },
      },
    ]);
    for (const api of [a, b]) expect(await api.ok('audit.verify', {})).toMatchObject({ ok: true });
    const actions = (await a.ok<MethodOutput<'audit.list'>>('audit.list', { paging: { offset: 0, limit: 5 } })).items.map(
      (e) => [e.action, e.actor.name],
    );
    expect(actions[0]).toEqual(['review.answer_import', 'Ben']);
    // No passphrase in any reply.
    for (const body of [...a.replies, ...b.replies]) for (const p of [ANN, BEN, RITA]) expect(body).not.toContain(p);
  });

  it('refuses a package with one byte changed, naming what; refuses calls while nobody is signed in', async () => {
    const exported = await a.ok<MethodOutput<'review.export'>>('review.export', { engagementId: fx.engagementId });
    const bytes = Buffer.from(exported.contentBase64, 'base64');
    const at = bytes.indexOf(Buffer.from('Root logs in'));
    bytes[at] = 'r'.charCodeAt(0);
    const r = await b.call('review.import', { contentBase64: bytes.toString('base64') });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: expect.stringMatching(/^this review package is refused: findings\[\d+\]\.content\.notes .* does not match the hash the exporter signed/) },
    });
    expect((await b.ok<MethodOutput<'review.list'>>('review.list', {})).received).toEqual([]);
    expect(await b.call('review.import', { contentBase64: 'not base64!' })).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: expect.stringMatching(/base64/) },
    });

    await b.ok('session.signOut', {});
    for (const [method, input] of [
      ['review.import', { contentBase64: exported.contentBase64 }],
      ['review.answer', { packageId: exported.packageId, decisions: [{ findingId: ids[0], decision: 'approve' }] }],
      ['review.importAnswer', { contentBase64: exported.contentBase64 }],
      ['review.export', { engagementId: fx.engagementId }],
    ] as const)
      expect(await b.call(method, input), method).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });

  it('refuses a rejection without a comment, and stores no answer', async () => {
    const exported = await a.ok<MethodOutput<'review.export'>>('review.export', { engagementId: fx.engagementId });
    await b.ok('review.import', { contentBase64: exported.contentBase64 });
    const r = await b.call('review.answer', {
      packageId: exported.packageId,
      decisions: [{ findingId: ids[0], decision: 'reject' }],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/rejection comment/i) } });
    expect((await b.ok<MethodOutput<'review.list'>>('review.list', {})).received[0]).toMatchObject({ state: 'to_answer' });
  });
});
