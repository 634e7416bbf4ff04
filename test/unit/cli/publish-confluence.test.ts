/**
 * `foureyes publish confluence` from the built CLI against the fake Confluence server (test/support/fake-confluence.ts)
 * with a bundle the built CLI exported from the fixture workspace: the command the bundle's README.txt gives
 * publishes it (exit 0) and, with --as, is an event of the trail that verifies; run again with --json nothing
 * changes; a page the server refuses exits 2 naming it and the server's message; a token file others can read,
 * a tampered bundle and a bad URL exit 2 before any request; the token is in no output, state file or request body.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storageBody } from '../../../main/export/confluence/storage.js';
import { authHeader } from '../../../main/publish/common.js';
import { openWorkspace } from '../../../main/store/db.js';
import { ensureBuilt } from '../../support/build.js';
import { startFakeConfluence, type FakeConfluence } from '../../support/fake-confluence.js';
import { PASS, exportFixture, type ExportFixture } from '../export/fixture.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const TOKEN = 'CANARY_CLI_CONFLUENCE_TOKEN_8M3';
let fx: ExportFixture;
let file: string;
let server: FakeConfluence;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
/** The built CLI, asynchronously (the fake server answers in this process meanwhile). */
function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: fx.dir };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  Object.assign(env, extraEnv);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => p.kill(), 60_000);
    p.on('error', reject);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
const noStack = (r: Run) => expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
/** The publish command line of the bundle's README.txt, its placeholders filled in. */
function readmeCommand(bundle: string, tokenFile: string): string[] {
  const line = readFileSync(join(bundle, 'README.txt'), 'utf8')
    .split('\n')
    .find((l) => l.trim().startsWith('foureyes publish confluence'))!;
  const words = line
    .trim()
    .replace(/\[--parent PAGE_ID\] /, '')
    .replace(/\[(--token-file) FILE\]/, '$1 FILE')
    .split(/\s+/)
    .slice(1);
  const fill: Record<string, string> = {
    THIS_FOLDER_OR_ZIP: bundle,
    'https://CONFLUENCE': server.url,
    KEY: 'SEC',
    FILE: tokenFile,
  };
  return words.map((w) => fill[w] ?? w);
}

beforeAll(() => ensureBuilt(), 300_000);
beforeEach(async () => {
  fx = exportFixture();
  file = fx.ws.path;
  fx.ws.close();
  writeFileSync(join(fx.dir, 'ann.pass'), `${PASS.ann}\n`);
  writeFileSync(join(fx.dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  server = await startFakeConfluence({
    authorization: authHeader({ kind: 'bearer', token: TOKEN }),
    contextPath: '/wiki',
  });
});
afterEach(async () => {
  await server.close();
  fx.cleanup();
});

async function exported(): Promise<string> {
  const dir = join(fx.dir, 'bundle');
  const ann = ['--as', 'Ann', '--passphrase-file', join(fx.dir, 'ann.pass'), '--workspace', file];
  const r = await cli(['export', 'confluence', '--out', dir, '--engagement', fx.engagementId, ...ann]);
  expect(r.status, r.stderr).toBe(0);
  return dir;
}

describe('foureyes publish confluence', () => {
  it("publishes with the README's command, records it in the trail, and changes nothing the second time", async () => {
    const dir = await exported();
    const args = readmeCommand(dir, join(fx.dir, 'token'));
    expect(args.slice(0, 2)).toEqual(['publish', 'confluence']);
    const ann = ['--as', 'Ann', '--passphrase-file', join(fx.dir, 'ann.pass'), '--workspace', file];
    const r = await cli([...args, ...ann]);
    expect(r.status, r.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      pages: { id: string; title: string; parent: string | null; file: string }[];
    };
    const n = manifest.pages.length;
    expect(server.pages.size).toBe(n);
    expect(r.stdout).toMatch(
      new RegExp(`space SEC: pages ${n} created, 0 updated, 0 unchanged; attachments \\d+ created`),
    );
    expect(r.stdout).toMatch(/^created {10}page "/m);
    const ids = new Map<string, string>();
    for (const p of manifest.pages) {
      const s = server.page('SEC', p.title)!;
      ids.set(p.id, s.id);
      expect(s.parent).toBe(p.parent === null ? null : ids.get(p.parent));
      expect(s.body).toBe(storageBody(readFileSync(join(dir, p.file), 'utf8')));
    }

    const ws = openWorkspace(file);
    const ev = ws.audit
      .forObject('engagement', fx.engagementId)
      .filter((e) => e.action === 'publish.confluence');
    ws.close();
    expect(ev).toHaveLength(1);
    expect(ev[0]!.actor_name).toBe('Ann');
    expect(JSON.parse(ev[0]!.details!)).toMatchObject({
      url: server.url,
      space: 'SEC',
      complete: true,
      pages: { created: n, updated: 0, unchanged: 0 },
      integritySha256: createHash('sha256')
        .update(readFileSync(join(dir, 'integrity.json')))
        .digest('hex'),
    });
    const audit = await cli(['audit', 'verify', '--workspace', file]);
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);

    const again = await cli([...args, '--json']);
    expect(again.status, again.stderr).toBe(0);
    const j = JSON.parse(again.stdout) as {
      complete: boolean;
      pages: Record<string, number>;
      attachments: { created: number; updated: number };
    };
    expect(j.complete).toBe(true);
    expect(j.pages).toEqual({ created: 0, updated: 0, unchanged: n, doneBefore: 0 });
    expect(j.attachments.created + j.attachments.updated).toBe(0);
    expect([...server.pages.values()].every((p) => p.version === 1)).toBe(true);

    const dry = await cli([...args, '--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('dry run, nothing changed');

    const everything = [r, again, dry].map((x) => x.stdout + x.stderr).join('\n');
    const state = readFileSync(`${dir}.publish.json`, 'utf8');
    const bodies = server.requests.map((q) => `${q.url}\n${q.body.toString('latin1')}`).join('\n');
    for (const text of [everything, state, bodies]) expect(text).not.toContain(TOKEN);
    // nor in the workspace, whose trail holds the publish
    for (const f of [file, `${file}-wal`])
      if (existsSync(f)) expect(readFileSync(f).includes(Buffer.from(TOKEN))).toBe(false);
  });

  it('exits 2 naming the page the server refuses, with the token from the environment', async () => {
    const dir = await exported();
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      pages: { title: string }[];
    };
    const bad = manifest.pages[1]!.title;
    server.failWhen(
      (q) =>
        q.method === 'POST' &&
        q.url.endsWith('/rest/api/content') &&
        q.body.toString('utf8').includes(JSON.stringify(bad)),
      400,
      'Invalid storage format: unclosed element',
    );
    const r = await cli(['publish', 'confluence', '--bundle', dir, '--url', server.url, '--space', 'SEC'], {
      FOUREYES_CONFLUENCE_TOKEN: TOKEN,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `page "${bad}": create: server said 400: Invalid storage format: unclosed element`,
    );
    expect(r.stdout).toContain('stopped, so far: pages 1 created');
    expect(r.stdout).toContain(`state kept in ${dir}.publish.json`);
    noStack(r);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('refuses a token file others can read, a tampered bundle and a URL with a password, before any request', async () => {
    const dir = await exported();
    const token = join(fx.dir, 'token');
    chmodSync(token, 0o644);
    const base = ['publish', 'confluence', '--bundle', dir, '--space', 'SEC', '--token-file', token];
    const open = await cli([...base, '--url', server.url]);
    expect(open.status).toBe(2);
    expect(open.stderr).toMatch(
      /--token-file: .*token can be read or written by others than its owner \(mode 0644\); run chmod 600 on it/,
    );
    noStack(open);
    chmodSync(token, 0o600);
    const cred = await cli([...base, '--url', server.url.replace('http://', 'http://ann:secret@')]);
    expect(cred.status).toBe(2);
    expect(cred.stderr).toContain('--url: the URL must not carry a user name or password');
    const page = join(
      dir,
      JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).pages[0].file as string,
    );
    writeFileSync(
      page,
      readFileSync(page, 'utf8').replace('</foureyes-page>', '<p>added</p></foureyes-page>'),
    );
    const tampered = await cli([...base, '--url', server.url]);
    expect(tampered.status).toBe(2);
    expect(tampered.stderr).toMatch(
      /does not verify against its signed integrity manifest, nothing was published \(changed: pages\//,
    );
    noStack(tampered);
    expect(server.requests).toEqual([]);
  });
});
