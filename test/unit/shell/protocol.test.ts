import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../main/shell/protocol.js';
import { contentSecurityPolicy } from '../../../main/shell/security.js';

const base = mkdtempSync(path.join(tmpdir(), 'foureyes-protocol-'));
const dist = path.join(base, 'renderer', 'dist');
mkdirSync(path.join(dist, 'assets'), { recursive: true });
writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(path.join(dist, 'assets', 'main.js'), 'export {}');
writeFileSync(path.join(base, 'package.json'), '{"secret": true}');
afterAll(() => rmSync(base, { recursive: true, force: true }));

const csp = contentSecurityPolicy({ kind: 'electron' });
const handler = createAppProtocolHandler(dist, csp);

describe('app:// protocol handler', () => {
  it('serves the renderer with CSP, nosniff and no-store', async () => {
    const r = await handler(new Request('app://foureyes/assets/main.js'));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(r.headers.get('content-security-policy')).toBe(csp);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(await r.text()).toBe('export {}');
    expect(await (await handler(new Request('app://foureyes/'))).text()).toContain('<title>app</title>');
  });

  it.each([
    'app://foureyes/../../package.json',
    'app://foureyes/%2e%2e/%2e%2e/package.json',
    'app://foureyes/..%2f..%2fpackage.json',
    'app://foureyes/assets%5c..%5c..%5c..%5cpackage.json',
    'app://foureyes/%00',
  ])('never serves a file outside the renderer directory: %s', async (url) => {
    const r = await handler(new Request(url));
    expect(await r.text()).not.toContain('secret');
  });

  it('refuses an encoded traversal outright', async () => {
    expect((await handler(new Request('app://foureyes/..%2f..%2fpackage.json'))).status).toBe(400);
  });

  it('answers only for app://foureyes and only GET/HEAD', async () => {
    expect((await handler(new Request('app://other/index.html'))).status).toBe(404);
    expect(
      (await handler(new Request('app://foureyes/index.html', { method: 'POST', body: 'x' }))).status,
    ).toBe(405);
  });
});
