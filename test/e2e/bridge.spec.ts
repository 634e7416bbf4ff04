/**
 * Browser mode as a user meets it: `npm start` prints a URL with a launch token; that URL opens the workstation;
 * without the token nothing is served; a page from another origin cannot use the bridge even though the user's
 * browser holds the session cookie.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { reply } from './api.js';
import { test, expect } from './fixtures.js';

test('npm start serves the UI in browser mode and prints its URL', async ({ page }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'foureyes-start-'));
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, FOUREYES_WORKSPACE: path.join(dir, 'ws.sqlite'), FOUREYES_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      // npm start builds first (prestart: renderer, services, CLI bundle): on a loaded machine that takes a while.
      const t = setTimeout(() => reject(new Error(`no URL printed in 150 s: ${out}`)), 150_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /running in browser mode: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,})/.exec(
          out,
        );
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
    await page.goto(url);
    await expect(page.getByTestId('screen-engagements')).toBeVisible();
    await expect(page.getByTestId('engagement-row')).toContainText('This machine');
    expect(page.url()).not.toContain('token=');
    // A reload of the tab keeps working (the token is kept in this origin's sessionStorage, never in a cookie).
    await page.reload();
    await expect(page.getByTestId('engagement-row')).toContainText('This machine');
    // Another tab has only the cookie: it gets the page, but no API call answers it.
    const tab = await page.context().newPage();
    const calls: number[] = [];
    tab.on('response', (r) => {
      if (r.url().includes('/api/')) calls.push(r.status());
    });
    await tab.goto(new URL(url).origin + '/');
    await expect.poll(() => calls.length).toBeGreaterThan(0);
    expect(new Set(calls)).toEqual(new Set([401]));
    await tab.close();
  } finally {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without the token the bridge serves nothing and answers no API call', async ({ page, backend }) => {
  const res = await page.goto(backend.origin + '/');
  expect(res?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('Not signed in');
  expect(await page.locator('#root').count()).toBe(0);

  const wrong = await page.goto(`${backend.origin}/?token=${'A'.repeat(43)}`);
  expect(wrong?.status()).toBe(401);

  const api = await fetch(`${backend.origin}/api/engagement.list`, {
    method: 'POST',
    headers: { origin: backend.origin, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(api.status).toBe(401);
});

test('a page from another origin cannot use the bridge, even with the session cookie in the browser', async ({
  app,
  backend,
}) => {
  // The user is signed in (app fixture); now a page on another local origin tries every way in. Cookies ignore
  // ports, so that server receives the bridge's session cookie: record it and try it from outside the browser too.
  const cookies: string[] = [];
  const foreign: Server = createServer((req, res) => {
    if (req.headers.cookie) cookies.push(req.headers.cookie);
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><body><script>
      const bridge = ${JSON.stringify(backend.origin)};
      const out = {};
      async function run() {
        try {
          const r = await fetch(bridge + '/api/engagement.create', { method: 'POST', credentials: 'include',
            headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'from-foreign-fetch' }) });
          out.fetch = 'status ' + r.status;
        } catch (e) { out.fetch = 'blocked'; }
        try {
          await fetch(bridge + '/api/engagement.create', { method: 'POST', mode: 'no-cors', credentials: 'include',
            body: JSON.stringify({ name: 'from-foreign-no-cors' }) });
          out.noCors = 'sent';
        } catch (e) { out.noCors = 'blocked'; }
        out.ws = await new Promise((resolve) => {
          const ws = new WebSocket(bridge.replace('http', 'ws') + '/events');
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        });
        document.title = 'done:' + JSON.stringify(out);
      }
      run();
    </script></body>`);
  });
  await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', () => r()));
  const foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  try {
    const other = await app.context().newPage();
    await other.goto(foreignOrigin + '/');
    await expect(other).toHaveTitle(/^done:/);
    const result = JSON.parse((await other.title()).slice('done:'.length)) as Record<string, string>;
    expect(result.fetch).toBe('blocked');
    expect(result.ws).toBe('refused');
    await other.close();

    // The neighbour got the cookie (the browser sends it to every port); with it, and every header forged, a
    // program gets no API call through and no events socket.
    const stolen = cookies.join('; ');
    expect(stolen).toMatch(/foureyes_session_[0-9a-f]{16}=/);
    const forged = { cookie: stolen, origin: backend.origin, host: new URL(backend.origin).host };
    for (const method of ['engagement.create', 'engagement.list', 'app.info']) {
      const r = await fetch(`${backend.origin}/api/${method}`, {
        method: 'POST',
        headers: { ...forged, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'from-stolen-cookie' }),
      });
      expect(r.status, method).toBe(401);
    }
    const bearerGuess = await fetch(`${backend.origin}/api/engagement.create`, {
      method: 'POST',
      headers: { ...forged, authorization: `Bearer ${'A'.repeat(43)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'from-stolen-cookie' }),
    });
    expect(bearerGuess.status).toBe(401);
    const ws = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`${backend.origin.replace('http', 'ws')}/events`, { headers: forged });
      socket.on('open', () => resolve('open'));
      socket.on('unexpected-response', (_q, res) => resolve(`status ${res.statusCode}`));
      socket.on('error', () => resolve('error'));
    });
    expect(ws).toBe('status 401');

    // Whatever reached the bridge was refused: no engagement was created.
    const list = await reply(backend, 'engagement.list', { includeArchived: true });
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    expect(list.value.engagements.map((e) => e.name)).not.toContain('from-foreign-fetch');
    expect(list.value.engagements.map((e) => e.name)).not.toContain('from-foreign-no-cors');
    expect(list.value.engagements.map((e) => e.name)).not.toContain('from-stolen-cookie');
    expect(list.value.engagements.length).toBeGreaterThan(0);
  } finally {
    foreign.close();
  }
});

test('the workstation is served with a strict Content-Security-Policy and loads nothing from elsewhere', async ({
  app,
  backend,
}) => {
  const res = await app.request.get(backend.origin + '/');
  const csp = res.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  // Fonts are bundled: the document's fonts come from our own origin and are loaded.
  // Runs in the page; the test project has no DOM types, so the page's globals are typed here.
  type PageFonts = { fonts: { ready: Promise<unknown> } & Iterable<{ status: string; family: string }> };
  const fonts = await app.evaluate(async () => {
    const doc = (globalThis as unknown as { document: PageFonts }).document;
    await doc.fonts.ready;
    return [...doc.fonts].filter((f) => f.status === 'loaded').map((f) => f.family);
  });
  expect(fonts.some((f) => f.includes('Inter'))).toBe(true);
});
