/**
 * Waivers over HTTP through the real bridge to the real services (main/services/index.ts) on a real workspace file
 * with a stored scan: the waiver calls need a signed-in person, the requester cannot approve, the approved waiver
 * shows in results.query, dashboard.summary (with its expiring list) and waiver.list, and the trail verifies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import { findingsFixture, type FindingsFixture } from '../findings/fixtures.js';
import { startLiveBridge, type LiveBridge } from './live-bridge.js';

const ALICE = 'canary-alice-waiver-passphrase';
const BOB = 'canary-bob-waiver-passphrase';

type Person = MethodOutput<'person.add'>;
type Item = MethodOutput<'waiver.request'>;

let fx: FindingsFixture;
let api: LiveBridge;
let scanId: string;

beforeEach(async () => {
  fx = findingsFixture();
  scanId = fx.scan({ db01: { [fx.checks[0]]: 'fail' }, web01: { [fx.checks[0]]: 'fail' } });
  const file = fx.ws.path;
  fx.ws.close();
  api = await startLiveBridge(file);
});
afterEach(async () => {
  await api.close();
  fx.cleanup();
});

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('waivers over the bridge', () => {
  it('signed in only; the requester cannot approve; an approved waiver shows in results, dashboard and list', async () => {
    const request = {
      engagementId: fx.engagementId,
      checkId: fx.checks[0],
      hostId: fx.hosts.db01.id,
      reason: 'compensating control: host is offline',
      owner: 'IT Ops',
      expiresOn: inDays(10),
    };
    for (const [method, input] of [
      ['waiver.request', request],
      ['waiver.approve', { waiverId: 'w1' }],
      ['waiver.reject', { waiverId: 'w1', comment: 'no' }],
      ['waiver.revoke', { waiverId: 'w1', reason: 'no' }],
    ] as const) {
      expect(await api.call(method, input), method).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    }
    const alice = await api.ok<Person>('person.add', { name: 'Alice', role: 'consultant', email: 'a@example.org', passphrase: ALICE });
    await api.ok('session.signIn', { personId: alice.id, passphrase: ALICE });
    const bob = await api.ok<Person>('person.add', { name: 'Bob', role: 'reviewer', email: 'b@example.org', passphrase: BOB });

    expect(await api.call('waiver.request', { ...request, expiresOn: '2026-02-30' })).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
    const w = await api.ok<Item>('waiver.request', request);
    expect(w).toMatchObject({ shownState: 'requested', daysUntilExpiry: 10, checkTitle: expect.any(String) });
    expect(await api.call('waiver.approve', { waiverId: w.id })).toMatchObject({
      ok: false,
      error: {
        code: 'not_permitted',
        details: { waiverId: w.id, personId: alice.id },
        message: `Alice cannot approve the waiver of ${fx.checks[0]} on db01: they requested it (four-eye rule: a second person approves)`,
      },
    });
    await api.ok('session.signIn', { personId: bob.id, passphrase: BOB });
    expect(await api.ok<Item>('waiver.approve', { waiverId: w.id })).toMatchObject({ shownState: 'approved', applies: true });

    const rows = await api.ok<MethodOutput<'results.query'>>('results.query', { scanId, sort: { by: 'host', dir: 'asc' } });
    expect(rows.items.map((r) => `${r.hostName} ${r.verdict}`)).toEqual(['db01 waived', 'web01 fail']);
    const dash = await api.ok<MethodOutput<'dashboard.summary'>>('dashboard.summary', { engagementId: fx.engagementId });
    expect(dash.waiversExpiring).toMatchObject({ count: 1, items: [{ id: w.id, owner: 'IT Ops', daysUntilExpiry: 10 }] });
    expect(dash.hosts.find((h) => h.hostName === 'db01')!.counts).toMatchObject({ fail: 0, waived: 1 });
    const list = await api.ok<MethodOutput<'waiver.list'>>('waiver.list', { engagementId: fx.engagementId });
    expect(list.items.map((x) => [x.shownState, x.requestedBy.name, x.approval?.name])).toEqual([['approved', 'Alice', 'Bob']]);

    expect(await api.ok<Item>('waiver.revoke', { waiverId: w.id, reason: 'host is back online' })).toMatchObject({ shownState: 'revoked' });
    const again = await api.ok<MethodOutput<'results.query'>>('results.query', { scanId, filter: { verdicts: ['waived'] } });
    expect(again.total).toBe(0);
    expect(await api.ok<MethodOutput<'audit.verify'>>('audit.verify', {})).toMatchObject({ ok: true });
    const trail = await api.ok<MethodOutput<'audit.list'>>('audit.list', {});
    expect(trail.items.filter((e) => e.action.startsWith('waiver.')).map((e) => [e.action, e.actor.name, e.reason])).toEqual([
      ['waiver.revoke', 'Bob', 'host is back online'],
      ['waiver.approve', 'Bob', 'compensating control: host is offline'],
      ['waiver.request', 'Alice', 'compensating control: host is offline'],
    ]);
  });
});
