/**
 * `publish.confluence` through the real bridge and services on the export fixture's workspace, against the fake
 * Confluence server (test/support/fake-confluence.ts): refused while nobody is signed in; the zip of a real bundle
 * published (tree and bodies the bundle's), recorded in the trail, and published again with nothing changed; a page
 * the server refuses comes back as `stopped` naming it, and the same call continues; a tampered bundle is refused
 * before any request; the token is in no reply, log entry, request body or state file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import {
  confluenceBundle,
  writeConfluenceBundle,
  type ConfluenceBundle,
} from '../../../main/export/confluence/index.js';
import { storageBody } from '../../../main/export/confluence/storage.js';
import { unlock } from '../../../main/people/people.js';
import { authHeader } from '../../../main/publish/common.js';
import { publishStateDir } from '../../../main/services/publish.js';
import { openWorkspace } from '../../../main/store/db.js';
import { startFakeConfluence, type FakeConfluence } from '../../support/fake-confluence.js';
import { PASS, TIME, exportFixture, type ExportFixture } from '../export/fixture.js';
import { startLiveBridge, type LiveBridge } from './live-bridge.js';

const TOKEN = 'CANARY_API_CONFLUENCE_TOKEN_4H6';
type Result = MethodOutput<'publish.confluence'>;

let fx: ExportFixture;
let bundle: ConfluenceBundle;
let zip: string;
let server: FakeConfluence;
let live: LiveBridge;

beforeEach(async () => {
  fx = exportFixture();
  bundle = confluenceBundle(fx.ws, fx.catalogue, {
    tool: { name: 'Foureyes', version: '0.1.0' },
    now: () => TIME,
    engagementId: fx.engagementId,
    final: false,
    acting: unlock(fx.ws, 'Ann', PASS.ann),
  });
  const out = join(fx.dir, 'bundle.zip');
  writeConfluenceBundle(bundle, out, true);
  zip = readFileSync(out).toString('base64');
  const file = fx.ws.path;
  fx.ws.close();
  server = await startFakeConfluence({ authorization: authHeader({ kind: 'bearer', token: TOKEN }) });
  live = await startLiveBridge(file);
});
afterEach(async () => {
  await live.close();
  await server.close();
  fx.cleanup();
});

const input = (o: Record<string, unknown> = {}) => ({
  bundleBase64: zip,
  url: server.url,
  space: 'SEC',
  token: TOKEN,
  ...o,
});
async function signIn() {
  const { people } = await live.ok<{ people: { id: string; name: string }[] }>('person.list', {});
  await live.ok('session.signIn', {
    personId: people.find((p) => p.name === 'Ann')!.id,
    passphrase: PASS.ann,
  });
}

describe('publish.confluence over the API', () => {
  it('publishes the bundle signed in, records it, and changes nothing the second time', async () => {
    const refused = await live.call('publish.confluence', input());
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(server.requests).toEqual([]);
    await signIn();

    const dry = await live.ok<Result>('publish.confluence', input({ dryRun: true }));
    expect(dry).toMatchObject({ dryRun: true, complete: true, pages: { created: bundle.pages.length } });
    expect(server.pages.size).toBe(0);

    const r = await live.ok<Result>('publish.confluence', input());
    expect(r).toMatchObject({
      complete: true,
      stopped: null,
      pages: { created: bundle.pages.length, updated: 0 },
    });
    expect(r.items.filter((i) => i.kind === 'page')).toHaveLength(bundle.pages.length);
    for (const p of bundle.pages) expect(server.page('SEC', p.title)!.body).toBe(storageBody(p.xml));

    const again = await live.ok<Result>('publish.confluence', input());
    expect(again.pages).toEqual({ created: 0, updated: 0, unchanged: bundle.pages.length, doneBefore: 0 });
    expect([...server.pages.values()].every((p) => p.version === 1)).toBe(true);

    const ws = openWorkspace(fx.ws.path);
    const ev = ws.audit
      .forObject('engagement', fx.engagementId)
      .filter((e) => e.action === 'publish.confluence');
    ws.close();
    expect(ev.map((e) => e.actor_name)).toEqual(['Ann', 'Ann']);
    expect(JSON.parse(ev[0]!.details!)).toMatchObject({
      space: 'SEC',
      complete: true,
      integritySha256: r.digest,
    });
    const trail = await live.ok<{ ok: boolean }>('audit.verify', {});
    expect(trail.ok).toBe(true);

    const states = readdirSync(publishStateDir(fx.ws.path));
    expect(states).toEqual([`confluence-${r.digest}.json`]);
    const state = readFileSync(join(publishStateDir(fx.ws.path), states[0]!), 'utf8');
    const sent = server.requests.map((q) => `${q.url}\n${q.body.toString('latin1')}`).join('\n');
    for (const text of [live.replies.join('\n'), JSON.stringify(live.log.entries), state, sent])
      expect(text).not.toContain(TOKEN);
  });

  it('says where the server stopped it, continues with the same call, and refuses a tampered bundle', async () => {
    await signIn();
    const bad = bundle.pages[1]!.title;
    server.failWhen(
      (q) =>
        q.method === 'POST' &&
        q.url === '/rest/api/content' &&
        q.body.toString('utf8').includes(JSON.stringify(bad)),
      400,
      `Parent page is not valid; you sent ${TOKEN}`,
    );
    const r = await live.ok<Result>('publish.confluence', input());
    expect(r.complete).toBe(false);
    expect(r.stopped).toEqual({
      code: 'bad_input',
      message: `page "${bad}": create: server said 400: Parent page is not valid; you sent [token]`,
    });
    expect(r.pages.created).toBe(1);
    server.failWhen(null);
    const next = await live.ok<Result>('publish.confluence', input());
    expect(next).toMatchObject({
      complete: true,
      pages: { doneBefore: 1, created: bundle.pages.length - 1 },
    });
    expect(server.pages.size).toBe(bundle.pages.length);

    const files = unzipSync(Buffer.from(zip, 'base64'));
    const page = bundle.pages[0]!.file;
    files[page] = Buffer.from(
      Buffer.from(files[page]!).toString('utf8').replace('</foureyes-page>', '<p>x</p></foureyes-page>'),
    );
    const count = server.requests.length;
    const tampered = await live.call(
      'publish.confluence',
      input({ bundleBase64: Buffer.from(zipSync(files)).toString('base64') }),
    );
    expect(tampered).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(JSON.stringify(tampered)).toContain(
      `does not verify against its signed integrity manifest, nothing was published (changed: ${page}`,
    );
    expect(server.requests.length).toBe(count);
    const long = await live.call('publish.confluence', input({ token: `${TOKEN}${'x'.repeat(9000)}` }));
    expect(long).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(live.replies.join('\n')).not.toContain(TOKEN);
  });
});
