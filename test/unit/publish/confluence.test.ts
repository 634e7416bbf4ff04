/**
 * Publishing a real Confluence bundle (built from the export fixture's workspace, hostile target text and all) to a
 * fake Confluence server over HTTP on 127.0.0.1 (test/support/fake-confluence.ts): the page tree and the storage
 * bodies are the bundle's, the attachments are there; a second publish changes nothing; a changed finding updates
 * its page (version + 1) without a duplicate; a 400 names the page and the server's message and keeps what was
 * done; a connection dropped half-way leaves the state file and the next run completes without a duplicate; a
 * tampered bundle is refused before any request; the token is in no request body, state file or result.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../../main/audit/trail.js';
import {
  confluenceBundle,
  writeConfluenceBundle,
  type ConfluenceBundle,
} from '../../../main/export/confluence/index.js';
import { storageBody } from '../../../main/export/confluence/storage.js';
import { findingService } from '../../../main/findings/service.js';
import { unlock } from '../../../main/people/people.js';
import { publicKeyOf } from '../../../main/people/public-keys.js';
import { authHeader, readToken, restClient, type RestAuth } from '../../../main/publish/common.js';
import { PublishError, publishConfluence, statePathFor } from '../../../main/publish/confluence.js';
import { visibleControls } from '../../../shared/text/controls.js';
import { startFakeConfluence, type FakeConfluence, type FakePage } from '../../support/fake-confluence.js';
import { PASS, TIME, editApprovedFinding, exportFixture, type ExportFixture } from '../export/fixture.js';

const TOKEN = 'CANARY_CONFLUENCE_TOKEN_5X1';
const AUTH: RestAuth = { kind: 'bearer', token: TOKEN };
const tool = { name: 'Foureyes' as const, version: '0.1.0' };
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

let fx: ExportFixture;
let b1: ConfluenceBundle;
let n = 0;
let server: FakeConfluence;

function build(): ConfluenceBundle {
  return confluenceBundle(fx.ws, fx.catalogue, {
    tool,
    now: () => TIME,
    engagementId: fx.engagementId,
    final: false,
    acting: unlock(fx.ws, 'Ann', PASS.ann),
  });
}
function write(b: ConfluenceBundle, zip = false): string {
  const out = join(fx.dir, `bundle-${++n}${zip ? '.zip' : ''}`);
  writeConfluenceBundle(b, out, zip);
  return out;
}
const client = () => restClient({ baseUrl: server.url, auth: AUTH, timeoutMs: 10_000 });
const publish = (bundle: string, o: { parentId?: string } = {}) =>
  publishConfluence({ bundle, client: client(), space: 'SEC', ...o });
async function failure(p: Promise<unknown>): Promise<PublishError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PublishError);
    return e as PublishError;
  }
  throw new Error('the publish did not fail');
}
const allPages = (): FakePage[] => [...server.pages.values()];
const titles = (s: FakeConfluence) => [...s.pages.values()].map((p) => p.title);
/** Everything sent but the Authorization header: URLs, other headers, bodies. */
const sentText = () =>
  server.requests
    .map((r) => {
      const { authorization: _a, ...rest } = r.headers;
      return `${r.method} ${r.url}\n${JSON.stringify(rest)}\n${r.body.toString('latin1')}`;
    })
    .join('\n');

beforeAll(() => {
  fx = exportFixture();
  const svc = findingService(fx.ws, { recordAudit: recordAudit(fx.ws), publicKeyOf: publicKeyOf(fx.ws) });
  svc.attach(unlock(fx.ws, 'Ann', PASS.ann), fx.findingId, { name: 'shot.png', bytes: PNG });
  b1 = build();
});
afterAll(() => fx?.cleanup());
beforeEach(async () => {
  server = await startFakeConfluence({ authorization: authHeader(AUTH), contextPath: '/confluence' });
});
afterEach(() => server.close());

describe('publish confluence', () => {
  it('creates the page tree with the bundle bodies and attachments, under --parent', async () => {
    const dir = write(b1);
    const top = await server_page('Engagements');
    const r = await publish(dir, { parentId: top.id });
    expect(r.complete).toBe(true);
    expect(r.pages).toEqual({ created: b1.pages.length, updated: 0, unchanged: 0, doneBefore: 0 });
    const attachments = b1.pages.reduce((k, p) => k + p.attachments.length, 0);
    expect(attachments).toBeGreaterThanOrEqual(3);
    expect(r.attachments).toEqual({ created: attachments, updated: 0, unchanged: 0 });
    expect(server.pages.size).toBe(b1.pages.length + 1);
    const byBundleId = new Map<string, FakePage>();
    for (const p of b1.pages) {
      const s = server.page('SEC', p.title)!;
      expect(s, p.title).toBeDefined();
      byBundleId.set(p.id, s);
      expect(s.body).toBe(storageBody(p.xml));
      expect(s.version).toBe(1);
      expect(s.parent).toBe(p.parent === null ? top.id : byBundleId.get(p.parent)!.id);
      expect(s.attachments.map((a) => a.name).sort()).toEqual([...p.attachments].sort());
      for (const a of s.attachments)
        expect(a.bytes.equals(b1.files.find((f) => f.path === `attachments/${a.name}`)!.bytes)).toBe(true);
    }
    const finding = b1.pages.find((p) => p.title.includes(': Finding: '))!;
    const png = server.page('SEC', finding.title)!.attachments.find((a) => a.bytes.equals(PNG));
    expect(png?.mediaType).toBe('image/png');
    // every attachment upload carried X-Atlassian-Token (the server refuses one without)
    const uploads = server.requests.filter((q) => q.method === 'POST' && q.url.includes('/child/attachment'));
    expect(uploads).toHaveLength(attachments);
    expect(uploads.every((q) => q.headers['x-atlassian-token'] === 'no-check')).toBe(true);
    const state = readFileSync(statePathFor(dir), 'utf8');
    expect(JSON.parse(state)).toMatchObject({
      targets: [{ url: server.url, space: 'SEC', complete: true, digest: r.digest }],
    });
    for (const text of [state, sentText(), JSON.stringify(r)]) expect(text).not.toContain(TOKEN);
    expect(sentText()).not.toContain(Buffer.from(TOKEN).toString('base64'));
  });

  it('publishing the same bundle again changes nothing, with the state file and without it', async () => {
    const zip = write(b1, true);
    await publish(zip);
    const before = allPages().map((p) => ({ ...p, attachments: p.attachments.map((a) => ({ ...a })) }));
    const count = server.requests.length;
    const again = await publish(zip);
    expect(again.pages).toEqual({ created: 0, updated: 0, unchanged: b1.pages.length, doneBefore: 0 });
    expect(again.attachments.created + again.attachments.updated).toBe(0);
    const writes = server.requests.slice(count).filter((q) => q.method !== 'GET');
    expect(writes).toEqual([]);
    expect(allPages()).toEqual(before);
    // A machine without the state file: the bodies and the attachments' bytes are compared on the server.
    writeFileSync(
      statePathFor(zip),
      JSON.stringify({ format: 'foureyes-confluence-publish/1', targets: [] }),
    );
    const third = await publish(zip);
    expect(third.pages.unchanged).toBe(b1.pages.length);
    expect(third.attachments.unchanged).toBe(again.attachments.unchanged);
    expect(allPages()).toEqual(before);
  });

  it('an attachment download the server redirects (Confluence Cloud) is sent again as a new version, not a stop', async () => {
    const zip = write(b1, true);
    await publish(zip);
    writeFileSync(
      statePathFor(zip),
      JSON.stringify({ format: 'foureyes-confluence-publish/1', targets: [] }),
    );
    server.failWhen(
      (q) => q.method === 'GET' && q.url.includes('/download/'),
      302,
      'moved to the media service',
    );
    const again = await publish(zip);
    expect(again.complete).toBe(true);
    expect(again.pages.unchanged).toBe(b1.pages.length);
    const attachments = b1.pages.reduce((k, p) => k + p.attachments.length, 0);
    expect(again.attachments).toEqual({ created: 0, updated: attachments, unchanged: 0 });
    expect(allPages().every((p) => p.attachments.every((a) => a.version === 2))).toBe(true);
  });

  it('a changed finding, exported again, updates its page to version 2 without a duplicate', async () => {
    await publish(write(b1));
    editApprovedFinding(fx.ws, fx.findingId, 'Changed notes for the customer');
    const b2 = build();
    const page = b2.pages.find((p) => p.title.includes(': Finding: '))!;
    expect(storageBody(page.xml)).not.toBe(storageBody(b1.pages.find((p) => p.title === page.title)!.xml));
    const r = await publish(write(b2));
    expect(r.pages.created).toBe(0);
    expect(r.pages.updated).toBeGreaterThanOrEqual(1);
    expect(server.pages.size).toBe(b2.pages.length);
    expect(new Set(titles(server)).size).toBe(server.pages.size);
    const s = server.page('SEC', page.title)!;
    expect(s.version).toBe(2);
    expect(s.body).toBe(storageBody(page.xml));
    expect(s.body).toContain('Changed notes for the customer');
    for (const p of b2.pages) {
      const same = storageBody(p.xml) === storageBody(b1.pages.find((x) => x.title === p.title)!.xml);
      expect(server.page('SEC', p.title)!.version, p.title).toBe(same ? 1 : 2);
    }
    // the PUTs sent version = current + 1 (the server answers 409 to any other)
    expect(server.requests.filter((q) => q.method === 'PUT')).toHaveLength(r.pages.updated);
  });

  it('a page someone else changed between the look-up and the update: 409 names the page, nothing is lost', async () => {
    await publish(write(b1));
    editApprovedFinding(fx.ws, fx.findingId, 'Edited once more');
    const b2 = build();
    const page = b2.pages.find((p) => p.title.includes(': Finding: '))!;
    const target = server.page('SEC', page.title)!;
    server.failWhen((q) => {
      // another editor saves the page while this publish is between its look-up and its update
      if (q.method === 'PUT' && q.url.endsWith(`/rest/api/content/${target.id}`)) target.version += 1;
      return false;
    });
    const e = await failure(publish(write(b2)));
    expect(e.message).toBe(
      `page "${visibleControls(page.title, false)}": update: server said 409: Version must be incremented on update. Current version is: 2`,
    );
    expect(target.body).not.toContain('Edited once more');
    server.failWhen(null);
    const r = await publish(write(b2));
    expect(r.complete).toBe(true);
    expect(target.version).toBe(3);
    expect(target.body).toContain('Edited once more');
  });

  it('a page the server refuses (400) stops the publish naming it and the message; what was done is kept', async () => {
    const dir = write(b1);
    const bad = b1.pages[2]!;
    server.failWhen(
      (q) =>
        q.method === 'POST' &&
        q.url.endsWith('/rest/api/content') &&
        q.body.toString('utf8').includes(JSON.stringify(bad.title)),
      400,
      'Error parsing xhtml: Unexpected \u001b[31mcharacter\u001b[0m',
    );
    const e = await failure(publish(dir));
    expect(e.code).toBe('bad_input');
    expect(e.message).toContain(`page "${visibleControls(bad.title, false)}"`);
    expect(e.message).toContain(
      'server said 400: Error parsing xhtml: Unexpected \\x1b[31mcharacter\\x1b[0m',
    );
    expect(e.message.includes('\u001b')).toBe(false);
    expect(e.result.complete).toBe(false);
    expect(e.result.pages.created).toBe(2);
    expect(titles(server).sort()).toEqual(
      b1.pages
        .slice(0, 2)
        .map((p) => p.title)
        .sort(),
    );
    const state = JSON.parse(readFileSync(statePathFor(dir), 'utf8')) as {
      targets: { complete: boolean; pages: Record<string, { done: boolean }> }[];
    };
    expect(state.targets[0]!.complete).toBe(false);
    expect(Object.keys(state.targets[0]!.pages).sort()).toEqual(
      b1.pages
        .slice(0, 2)
        .map((p) => p.title)
        .sort(),
    );
    server.failWhen(null);
    const r = await publish(dir);
    expect(r.complete).toBe(true);
    expect(r.pages.doneBefore).toBe(2);
    expect(server.pages.size).toBe(b1.pages.length);
  });

  it('a connection dropped half-way leaves the state file; the next run completes with no duplicate', async () => {
    const dir = write(b1);
    const count = b1.pages.length;
    server.dropAfter(9);
    const e = await failure(publish(dir));
    expect(e.code).toMatch(/unreachable|timeout/);
    expect(e.message).toMatch(/^(page|attachment) "/);
    expect(existsSync(statePathFor(dir))).toBe(true);
    const partial = server.pages.size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(count);
    server.dropAfter(null);
    const r = await publish(dir);
    expect(r.complete).toBe(true);
    expect(server.pages.size).toBe(count);
    expect(new Set(titles(server)).size).toBe(count);
    for (const p of allPages())
      expect(new Set(p.attachments.map((a) => a.name)).size).toBe(p.attachments.length);
    expect(r.pages.created + r.pages.doneBefore + r.pages.unchanged).toBe(count);
    expect(allPages().every((p) => p.version === 1)).toBe(true);
  });

  it('a page the server created but whose answer was lost is found by title on the next run', async () => {
    const dir = write(b1);
    const second = b1.pages[1]!;
    server.dropAnswerWhen(
      (q) =>
        q.method === 'POST' &&
        q.url.endsWith('/rest/api/content') &&
        q.body.toString('utf8').includes(JSON.stringify(second.title)),
    );
    const e = await failure(publish(dir));
    expect(e.message).toContain(`page "${second.title}": create:`);
    expect(server.pages.size).toBe(2);
    server.dropAnswerWhen(null);
    const r = await publish(dir);
    expect(r.pages).toMatchObject({ doneBefore: 1, unchanged: 1, created: b1.pages.length - 2 });
    expect(server.pages.size).toBe(b1.pages.length);
    expect(new Set(titles(server)).size).toBe(b1.pages.length);
  });

  it('refuses a tampered bundle before any request, and a wrong token with the server message', async () => {
    const dir = write(b1);
    const file = join(dir, b1.pages[1]!.file);
    writeFileSync(file, readFileSync(file, 'utf8').replace('<', '<b>x</b><'));
    await expect(publish(dir)).rejects.toThrow(/does not verify.*changed: pages\//);
    expect(server.requests).toEqual([]);
    const wrong = restClient({
      baseUrl: server.url,
      auth: { kind: 'bearer', token: 'CANARY_WRONG_TOKEN_9' },
    });
    const e = await failure(publishConfluence({ bundle: write(b1), client: wrong, space: 'SEC' }));
    expect(e.code).toBe('auth_failed');
    expect(e.message).toMatch(/server said 401: This request requires authentication/);
    expect(e.message).not.toContain('CANARY');
  });
});

describe('API token', () => {
  it('refuses a token file others can read, reads one only its owner can', async () => {
    const f = join(fx.dir, 'token');
    writeFileSync(f, `${TOKEN}\n`);
    chmodSync(f, 0o644);
    await expect(readToken({ file: f, envName: 'X', label: 'x' })).rejects.toThrow(/mode 0644.*chmod 600/);
    chmodSync(f, 0o600);
    expect(await readToken({ file: f, envName: 'X', label: 'x' })).toBe(TOKEN);
    expect(await readToken({ envName: 'T', env: { T: TOKEN }, label: 'x' })).toBe(TOKEN);
    await expect(
      readToken({ envName: 'T', env: {}, label: 'x', ask: () => Promise.resolve(undefined) }),
    ).rejects.toThrow(/no API token: give --token-file FILE, set T/);
  });
});

async function server_page(title: string): Promise<FakePage> {
  const r = await client().request<{ id: string }>({
    method: 'POST',
    path: '/rest/api/content',
    json: {
      type: 'page',
      title,
      space: { key: 'SEC' },
      body: { storage: { value: '<p>x</p>', representation: 'storage' } },
    },
    what: `page "${title}"`,
    op: 'create',
  });
  return server.pages.get(r.id)!;
}
