import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createApiClient } from '../../../shared/api/client-core.js';
import { createHttpTransport } from '../../../shared/api/http-transport.js';
import { EventHub } from '../../../main/api/event-hub.js';
import { createHandlers } from '../../../main/api/handlers.js';
import { unavailableServices } from '../../../main/api/load-services.js';
import { createDispatch } from '../../../main/api/registry.js';
import type { Services } from '../../../main/api/services.js';
import { SESSION_COOKIE_PREFIX } from '../../../main/bridge/auth.js';
import { eventsSocketProtocols } from '../../../shared/api/http-transport.js';
import { nestsDeeperThan } from '../../../main/bridge/json-depth.js';
import { startBridge, type Bridge } from '../../../main/bridge/server.js';
import { TEST_APP, engagement, memoryLogger } from './helpers.js';
import { raw } from './http-client.js';

const log = memoryLogger();
const hub = new EventHub(log);
const created: string[] = [];
const services: Services = {
  ...unavailableServices(),
  engagements: {
    list: () => ({ engagements: created.map((n, i) => engagement(`e${i}`, n)) }),
    create: ({ name }) => {
      created.push(name);
      return engagement(`e${created.length - 1}`, name);
    },
    get: () => {
      throw new Error('boom: /home/alice/.ssh/id_ed25519 unreadable');
    },
    archive: () => engagement('e0', 'x'),
  },
};

let bridge: Bridge;
let host: string;
let origin: string;
let auth: Record<string, string>;

beforeAll(async () => {
  bridge = await startBridge({
    dispatch: createDispatch(createHandlers(services, TEST_APP), log),
    events: hub,
    staticDir: '/nonexistent/renderer/dist',
    log,
  });
  host = `127.0.0.1:${bridge.port}`;
  origin = `http://${host}`;
  auth = { authorization: `Bearer ${bridge.token}`, origin, 'content-type': 'application/json' };
});
afterAll(() => bridge.close());

const post = (method: string, body: unknown, headers: Record<string, string> = auth) =>
  raw(bridge.port, { method: 'POST', path: `/api/${method}`, headers, body: JSON.stringify(body) });

describe('bridge: who may connect', () => {
  it('listens on 127.0.0.1 and prints a URL with a 32-byte base64url token', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/?token=${bridge.token}`);
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses requests without credentials (401)', async () => {
    expect((await raw(bridge.port, { path: '/' })).status).toBe(401);
    const r = await post('engagement.list', {}, { origin, 'content-type': 'application/json' });
    expect(r.status).toBe(401);
    expect(created).toEqual([]);
  });

  it('refuses a wrong token, as Bearer and as ?token= (401)', async () => {
    const wrong = `${bridge.token.slice(0, -1)}${bridge.token.endsWith('A') ? 'B' : 'A'}`;
    expect((await post('engagement.list', {}, { ...auth, authorization: `Bearer ${wrong}` })).status).toBe(
      401,
    );
    expect((await raw(bridge.port, { path: `/?token=${wrong}` })).status).toBe(401);
    expect(
      (await raw(bridge.port, { path: '/', headers: { cookie: `foureyes_session=${bridge.token}` } })).status,
    ).toBe(401);
  });

  it('refuses another Origin (403), and a POST without Origin (403)', async () => {
    expect((await post('engagement.list', {}, { ...auth, origin: 'http://evil.example' })).status).toBe(403);
    expect(
      (await post('engagement.list', {}, { ...auth, origin: `http://127.0.0.1:${bridge.port + 1}` })).status,
    ).toBe(403);
    expect((await post('engagement.list', {}, { ...auth, origin: 'null' })).status).toBe(403);
    const { origin: _o, ...noOrigin } = auth;
    expect((await post('engagement.list', {}, noOrigin)).status).toBe(403);
  });

  it('refuses a wrong Host header (DNS rebinding), even with the right token (403)', async () => {
    for (const h of [
      'evil.example',
      `evil.example:${bridge.port}`,
      `127.0.0.1:${bridge.port + 1}`,
      '127.0.0.1',
    ]) {
      const r = await post('engagement.list', {}, { ...auth, host: h, origin: `http://${h}` });
      expect(r.status, h).toBe(403);
    }
    expect(
      (
        await post(
          'engagement.list',
          {},
          { ...auth, host: `localhost:${bridge.port}`, origin: `http://localhost:${bridge.port}` },
        )
      ).status,
    ).toBe(200);
  });

  it('serves the page for ?token= with an HttpOnly SameSite=Strict cookie of its own name, never a redirect', async () => {
    const r = await raw(bridge.port, { path: `/?token=${bridge.token}` });
    expect(r.status).toBe(200);
    expect(r.headers.location).toBeUndefined();
    expect(r.body).toContain('not built yet');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(
      new RegExp(`^${SESSION_COOKIE_PREFIX}[0-9a-f]{16}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`),
    );
    expect(cookie).not.toContain(bridge.token);
    const pair = cookie.split(';')[0]!;
    const page = await raw(bridge.port, { path: '/', headers: { cookie: pair } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('not built yet');
    // The cookie loads the page's files, nothing more: with it and a forged Origin, every API call is refused.
    const api = await post('app.info', {}, { cookie: pair, origin, 'content-type': 'application/json' });
    expect(api.status).toBe(401);
    const withToken = await post('app.info', {}, { ...auth, cookie: pair });
    expect(JSON.parse(withToken.body)).toMatchObject({ ok: true, value: { name: 'Foureyes' } });
  });

  it('never redirects, wherever the token is given (no open redirect)', async () => {
    for (const path of [`/.//evil.example/x?token=${bridge.token}`, `//evil.example/?token=${bridge.token}`, `/x/?token=${bridge.token}`]) {
      const r = await raw(bridge.port, { path });
      expect(r.status, path).toBe(404);
      expect(r.headers.location, path).toBeUndefined();
      expect(r.headers['set-cookie'], path).toBeUndefined();
    }
  });

  it('two instances name their cookies apart, so neither replaces the other', async () => {
    const other = await startBridge({
      dispatch: createDispatch(createHandlers(services, TEST_APP), log),
      events: hub,
      staticDir: '/nonexistent/renderer/dist',
      log,
    });
    try {
      const name = async (b: Bridge) =>
        String((await raw(b.port, { path: `/?token=${b.token}` })).headers['set-cookie']).split('=')[0];
      expect(await name(other)).not.toBe(await name(bridge));
    } finally {
      await other.close();
    }
  });

  it('refuses a body nested deeper than 32 levels before parsing it; brackets inside strings do not count', async () => {
    const deep = '['.repeat(3_000_000) + ']'.repeat(3_000_000);
    const before = created.length;
    const r = await raw(bridge.port, { method: 'POST', path: '/api/engagement.create', headers: auth, body: deep });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({
      ok: false,
      error: { code: 'bad_input', message: 'engagement.create: request body nests deeper than 32 levels' },
    });
    expect(created).toHaveLength(before);
    expect(nestsDeeperThan(Buffer.from(JSON.stringify({ name: '['.repeat(100), note: '\\"[[' })), 32)).toBe(false);
    expect(nestsDeeperThan(Buffer.from(`${'['.repeat(33)}${']'.repeat(33)}`), 32)).toBe(true);
    expect(nestsDeeperThan(Buffer.from(`${'{"a":'.repeat(32)}1${'}'.repeat(32)}`), 32)).toBe(false);
  });

  it('refuses a body that is not JSON (415) or too large (413)', async () => {
    expect((await post('engagement.list', {}, { ...auth, 'content-type': 'text/plain' })).status).toBe(415);
    const big = await raw(bridge.port, {
      method: 'POST',
      path: '/api/engagement.create',
      headers: auth,
      body: JSON.stringify({ name: 'x'.repeat(9 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
  });

  it('sends the CSP and hardening headers on every response', async () => {
    for (const r of [await raw(bridge.port, { path: '/' }), await post('app.info', {})]) {
      expect(r.headers['content-security-policy']).toContain("default-src 'self'");
      expect(r.headers['content-security-policy']).toContain(
        `connect-src 'self' ws://127.0.0.1:${bridge.port}`,
      );
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('bridge: API over HTTP', () => {
  it('round-trips a call to a handler', async () => {
    const r = await post('engagement.create', { name: 'Acme audit' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: engagement('e0', 'Acme audit') });
  });

  it('returns bad_input naming the field', async () => {
    const r = JSON.parse((await post('engagement.create', { name: 42 })).body);
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_input', details: { field: 'name' } } });
    expect(r.error.message).toBe('Engagement name must be text (got 42).');
    const notJson = await raw(bridge.port, {
      method: 'POST',
      path: '/api/engagement.create',
      headers: auth,
      body: '{name',
    });
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('does not leak an internal error', async () => {
    const r = await post('engagement.get', { engagementId: 'e0' });
    const reply = JSON.parse(r.body);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(r.body).not.toMatch(/boom|alice|id_ed25519|\.ts:|\n\s+at /);
  });

  it('works through the typed client and the HTTP transport', async () => {
    const transport = createHttpTransport({
      baseUrl: origin,
      fetch: (url, init) => fetch(url, init),
      token: bridge.token,
      openSocket: (url, h, token) => {
        const ws = new WebSocket(url, eventsSocketProtocols(token), { headers: { origin } });
        ws.on('message', (data) => h.message(String(data)));
        ws.on('close', () => h.close());
        ws.on('error', () => undefined);
        return ws;
      },
      headers: { origin },
    });
    const api = createApiClient(transport);
    const before = bridge.eventClientCount();
    const r = await api.engagement.list();
    expect(r.ok && r.value.engagements.map((e) => e.name)).toEqual(['Acme audit']);
    const progress: unknown[] = [];
    api.on('scan.progress', (p) => progress.push(p));
    await waitFor(() => bridge.eventClientCount() > before);
    const event = { scanId: 's1', hostRunId: 'r1', hostId: 'h1', host: 'db01', state: 'connecting' } as const;
    hub.emit('scan.progress', event);
    await waitFor(() => progress.length === 1);
    expect(progress).toEqual([event]);
    transport.close();
  });
});

describe('bridge: events WebSocket', () => {
  const open = (headers: Record<string, string>, protocols: string[] = []) =>
    new Promise<{ ws: WebSocket; status: number }>((resolve) => {
      const ws = new WebSocket(`ws://${host}/events`, protocols, { headers });
      ws.on('open', () => resolve({ ws, status: 101 }));
      ws.on('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? 0 }));
      ws.on('error', () => undefined);
    });

  it('refuses an upgrade without credentials, with a wrong token or from another origin', async () => {
    expect((await open({ origin })).status).toBe(401);
    expect((await open({ origin, authorization: 'Bearer nope' })).status).toBe(401);
    expect((await open({ origin: 'http://evil.example', authorization: auth.authorization! })).status).toBe(
      403,
    );
    expect((await open({ authorization: auth.authorization! })).status).toBe(403);
  });

  it('takes the token as subprotocol (as a browser sends it), never the session cookie alone', async () => {
    const { ws, status } = await open({ origin }, eventsSocketProtocols(bridge.token));
    expect(status).toBe(101);
    expect(ws.protocol).toBe('foureyes.events');
    ws.close();
    const r = await raw(bridge.port, { path: `/?token=${bridge.token}` });
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    expect((await open({ origin, cookie })).status).toBe(401);
    expect((await open({ origin }, eventsSocketProtocols('forged'))).status).toBe(401);
    expect((await open({ origin }, [...eventsSocketProtocols(bridge.token), 'foureyes.bearer.second'])).status).toBe(401);
  });

  it('pushes events to an authorised socket and closes one that talks', async () => {
    const { ws, status } = await open({ origin, authorization: auth.authorization! });
    expect(status).toBe(101);
    const frames: unknown[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    const payload = {
      scanId: 's1',
      state: 'done',
      counts: { pass: 1, fail: 2, not_applicable: 0, error: 0, manual: 0 },
    } as const;
    hub.emit('scan.finished', payload);
    await waitFor(() => frames.length === 1);
    expect(frames).toEqual([{ event: 'scan.finished', payload }]);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('hello');
    expect(await closed).toBe(1008);
  });
});

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
