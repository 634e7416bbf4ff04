/**
 * `publish.jira` through the real bridge and services on a real workspace with three findings in draft, against the fake Jira
 * server (test/support/fake-jira.ts): refused while nobody is signed in; the findings published as issues, recorded in
 * the trail, and published again with no request that changes anything; an edited finding sends one update; an
 * issue Jira refuses comes back as `stopped` naming the finding, and the same call finishes without a duplicate;
 * `final` is refused while a finding is not approved; the token is in no reply, request body or log entry.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import { authHeader } from '../../../main/publish/common.js';
import { openWorkspace } from '../../../main/store/db.js';
import { fakeJira, type FakeJira } from '../../support/fake-jira.js';
import { findingsFixture, type FindingsFixture } from '../findings/fixtures.js';
import { testCipher } from '../secrets/test-cipher.js';
import { startLiveBridge, type LiveBridge } from './live-bridge.js';

const TOKEN = 'CANARY_API_JIRA_TOKEN_8Q2';
const ANN = 'canary-ann-api-jira-61fe';
type Result = MethodOutput<'publish.jira'>;

let fx: FindingsFixture;
let server: FakeJira;
let live: LiveBridge;
let findings: number;

beforeEach(async () => {
  fx = findingsFixture();
  fx.scan({ db01: { [fx.checks[0]]: 'fail', [fx.checks[1]]: 'fail' }, web01: { [fx.checks[0]]: 'fail' } });
  findings = fx.ws.findings.list(fx.engagementId).length;
  const file = fx.ws.path;
  fx.ws.close();
  server = await fakeJira({ authorization: authHeader({ kind: 'bearer', token: TOKEN }) });
  live = await startLiveBridge(file);
  await live.ok('person.add', { name: 'Ann', role: 'consultant', email: 'ann@example.org', passphrase: ANN });
});
const signIn = async (): Promise<void> => {
  const { people } = await live.ok<{ people: { id: string; name: string }[] }>('person.list', {});
  await live.ok('session.signIn', { personId: people.find((p) => p.name === 'Ann')!.id, passphrase: ANN });
};
afterEach(async () => {
  await live.close();
  await server.close();
  fx.cleanup();
});

const input = (o: Record<string, unknown> = {}) => ({
  engagementId: fx.engagementId,
  url: server.url,
  project: 'SEC',
  token: TOKEN,
  ...o,
});
const changing = () =>
  server.requests.filter((r) => r.method === 'PUT' || (r.method === 'POST' && r.url.endsWith('/issue')));

describe('publish.jira over the API', () => {
  it('publishes the findings signed in, records it, then changes nothing; an edit sends one update', async () => {
    expect(await live.call('publish.jira', input())).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
    expect(server.requests).toEqual([]);
    await signIn();

    expect(findings).toBe(2);
    const r = await live.ok<Result>('publish.jira', input());
    expect(r).toMatchObject({ complete: true, stopped: null, dryRun: false });
    expect(r.issues.map((i) => i.action)).toEqual(Array(findings).fill('created'));
    expect(server.issues).toHaveLength(findings);
    for (const i of r.issues) expect(server.withLabel(i.externalId)).toHaveLength(1);

    const before = changing().length;
    const again = await live.ok<Result>('publish.jira', input());
    expect(again.issues.map((i) => i.action)).toEqual(Array(findings).fill('unchanged'));
    expect(changing().length).toBe(before);

    const f = await live.ok<{ finding: { id: string; revision: number } }>('finding.get', {
      findingId: r.issues[0]!.findingId,
    });
    await live.ok('finding.edit', {
      findingId: f.finding.id,
      changes: { notes: 'Seen again on 4 December.' },
      expectedRevision: f.finding.revision,
    });
    const edited = await live.ok<Result>('publish.jira', input());
    expect(edited.issues.filter((i) => i.action === 'updated').map((i) => i.findingId)).toEqual([
      f.finding.id,
    ]);
    expect(server.issues).toHaveLength(findings);

    const ws = openWorkspace(fx.ws.path);
    try {
      const events = ws.audit
        .forObject('engagement', fx.engagementId)
        .filter((e) => e.action === 'publish.jira');
      expect(
        events.map((e) => JSON.parse(e.details ?? '{}') as { created: number; updated: number }),
      ).toEqual([
        expect.objectContaining({ created: findings, updated: 0 }),
        expect.objectContaining({ created: 0, updated: 0, unchanged: findings }),
        expect.objectContaining({ created: 0, updated: 1, unchanged: findings - 1 }),
      ]);
    } finally {
      ws.close();
    }
    for (const q of server.requests) expect(q.body).not.toContain(TOKEN);
    expect(live.replies.join('\n')).not.toContain(TOKEN);
    expect(JSON.stringify(live.log)).not.toContain(TOKEN);
  });

  it('an issue Jira refuses stops the call naming the finding; the same call finishes it, no duplicate', async () => {
    await signIn();
    let creates = 0;
    server.failWhen((q) => q.method === 'POST' && q.url.endsWith('/issue') && ++creates === 2, 400, {
      priority: 'Priority is not on the screen',
    });
    const r = await live.ok<Result>('publish.jira', input());
    expect(r.complete).toBe(false);
    expect(r.stopped?.message).toMatch(/finding [0-9a-f-]{8} ".*".*Priority is not on the screen/s);
    expect(r.issues.map((i) => i.action)).toEqual(['created']);
    server.failWhen(null);
    const rest = await live.ok<Result>('publish.jira', input());
    expect(rest.complete).toBe(true);
    expect(rest.issues.map((i) => i.action).sort()).toEqual(['created', 'unchanged']);
    expect(server.issues).toHaveLength(findings);
    expect(
      new Set(server.issues.map((i) => i.fields.labels.find((l) => /^foureyes-[0-9a-f]{20}$/.test(l)))).size,
    ).toBe(findings);
  });

  it('a reply of another shape than Jira sends stops the call saying so, not as an internal error', async () => {
    await signIn();
    const odd = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"issues":{},"total":1}');
    });
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
      const r = await live.ok<Result>('publish.jira', input({ url }));
      expect(r.complete).toBe(false);
      expect(r.stopped).toMatchObject({
        code: 'bad_input',
        message: expect.stringMatching(/^the server's reply is not what Jira sends \(/),
      });
    } finally {
      odd.close();
    }
  });

  it('refuses a final publish while a finding is not approved, before any request', async () => {
    await signIn();
    const r = await live.call('publish.jira', input({ final: true }));
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: expect.stringMatching(/^final: .* not approved/) },
    });
    expect(server.requests).toEqual([]);
  });
});

describe('a remembered API token (the keychain of the desktop app)', () => {
  it('is kept once Jira took it, used when no token is given, never kept when refused, and forgotten on request', async () => {
    await live.close();
    const cipher = testCipher();
    live = await startLiveBridge(fx.ws.path, cipher);
    await signIn();
    const none = await live.call('publish.jira', input({ token: undefined }));
    expect(none).toMatchObject({
      ok: false,
      error: {
        code: 'bad_input',
        message: `API token is required: none is remembered for ${server.url} on this computer`,
      },
    });

    // A token Jira refuses is not kept.
    const refused = await live.ok<Result>(
      'publish.jira',
      input({ token: 'wrong-token', rememberToken: true }),
    );
    expect(refused.stopped?.code).toBe('auth_failed');
    expect(await live.ok('publish.tokens', {})).toMatchObject({ persistent: true, tokens: [] });

    await live.ok<Result>('publish.jira', input({ rememberToken: true }));
    const listed = await live.ok<{ tokens: { service: string; url: string; user: string }[] }>(
      'publish.tokens',
      {},
    );
    expect(listed.tokens).toEqual([expect.objectContaining({ service: 'jira', url: server.url, user: '' })]);
    const again = await live.ok<Result>('publish.jira', input({ token: undefined }));
    expect(again).toMatchObject({ complete: true, stopped: null });
    expect(again.issues.map((i) => i.action)).toEqual(Array(findings).fill('unchanged'));

    // What the workspace holds is the keychain's ciphertext, not the token.
    const ws = openWorkspace(fx.ws.path);
    try {
      expect(ws.publishTokens.blob('jira', server.url, '')!.toString('latin1')).not.toContain(TOKEN);
    } finally {
      ws.close();
    }
    expect(await live.ok('publish.forgetToken', { service: 'jira', url: server.url })).toEqual({
      forgotten: true,
    });
    expect(await live.call('publish.jira', input({ token: undefined }))).toMatchObject({
      ok: false,
      error: { code: 'bad_input' },
    });
  });

  it('is refused where the keychain does not encrypt (browser mode)', async () => {
    await signIn();
    expect(await live.call('publish.jira', input({ rememberToken: true }))).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: 'the API token cannot be remembered on this computer: test' },
    });
    expect(server.requests).toEqual([]);
  });
});
