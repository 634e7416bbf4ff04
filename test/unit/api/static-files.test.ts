import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_HTML, readStaticFile, resolveStaticPath } from '../../../main/api/static-files.js';

const base = mkdtempSync(path.join(tmpdir(), 'foureyes-static-'));
const root = path.join(base, 'dist');
mkdirSync(path.join(root, 'assets'), { recursive: true });
writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>ui</title>');
writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(path.join(base, 'secret.txt'), 'outside the root');
symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.js'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveStaticPath', () => {
  it('maps paths inside the root', () => {
    expect(resolveStaticPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveStaticPath(root, '/assets/./a%20b.js')).toBe(path.join(root, 'assets', 'a b.js'));
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/index.html%00.js',
    '/.env',
    '/assets/.git/config',
    '/%E0%A4%A',
    'index.html',
    '',
  ])('refuses %j', (p) => {
    expect(resolveStaticPath(root, p)).toBeNull();
  });
});

describe('readStaticFile', () => {
  it('serves a file with its type', async () => {
    const f = await readStaticFile(root, '/assets/app.js');
    expect(f.status).toBe(200);
    expect(f.contentType).toMatch(/^text\/javascript/);
    expect(f.body.toString()).toBe('console.log(1)');
  });

  it('refuses traversal and symlinks leading out of the root', async () => {
    expect((await readStaticFile(root, '/%2e%2e/secret.txt')).status).toBe(400);
    const link = await readStaticFile(root, '/assets/link.js');
    expect(link.status).toBe(404);
    expect(link.body.toString()).not.toContain('outside the root');
  });

  it('answers client-side routes with index.html and missing assets with 404', async () => {
    expect((await readStaticFile(root, '/scans/s1')).body.toString()).toContain('<title>ui</title>');
    expect((await readStaticFile(root, '/assets/missing.js')).status).toBe(404);
  });

  it('serves the placeholder page when the UI is not built', async () => {
    const f = await readStaticFile(path.join(base, 'no-such-dir'), '/');
    expect(f.status).toBe(200);
    expect(f.body.toString()).toBe(PLACEHOLDER_HTML);
    expect(PLACEHOLDER_HTML).not.toMatch(/<script|style=/i);
  });
});
