/**
 * `foureyes publish jira` as a user runs it from the built CLI (fresh HOME and FOUREYES_WORKSPACE, the export
 * fixture with hostile target text) against the fake Jira server on 127.0.0.1: the issue is created with the
 * fields of the Jira CSV; a second run creates nothing and sends no PUT; an edited finding is one PUT with only
 * what changed; `--final` refuses before anything is sent; a 400 exits 2 naming the finding and Jira's message; a
 * create whose reply never came exits 2 and the next run finishes it with no duplicate; `--dry-run` writes nothing;
 * a token file others can read is refused. The token (a canary) appears in no output and no file but its own.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readEngagementExport } from '../../../main/export/data.js';
import { externalId, jiraFields } from '../../../main/export/jira/fields.js';
import { ensureBuilt } from '../../support/build.js';
import { canariesIn } from '../../support/canaries.js';
import { fakeJira, type FakeJira } from '../../support/fake-jira.js';
import { PASS, exportFixture, type ExportFixture } from '../export/fixture.js';

const BIN = join(process.cwd(), 'bin', 'foureyes.js');
const TOKEN = 'CANARY_JIRA_TOKEN_9W4';
let fx: ExportFixture;
let home: string;
let tokenFile: string;
let jira: FakeJira;
const outputs: string[] = [];

/** The CLI, run asynchronously (the fake server answers from this process meanwhile). */
function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const e: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const k of Object.keys(e)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete e[k];
  Object.assign(e, { FOUREYES_WORKSPACE: fx.ws.path }, env);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.on('error', reject);
    p.on('close', (status) => {
      clearTimeout(timer);
      outputs.push(stdout, stderr);
      resolve({ status, stdout, stderr });
    });
  });
}
const publish = (...more: string[]) =>
  cli(['publish', 'jira', '--url', jira.url, '--project', 'SEC', '--token-file', tokenFile, ...more]);
const writes = () =>
  jira.requests.filter((r) => r.method === 'PUT' || (r.method === 'POST' && r.url === '/rest/api/2/issue'));

beforeAll(() => {
  ensureBuilt();
  fx = exportFixture();
  home = mkdtempSync(join(tmpdir(), 'foureyes-jira-publish-home-'));
  tokenFile = join(home, 'jira.token');
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
}, 300_000);
afterAll(() => {
  fx.cleanup();
  rmSync(home, { recursive: true, force: true });
});
beforeEach(async () => {
  jira = await fakeJira({ authorization: `Bearer ${TOKEN}` });
});
afterEach(async () => jira.close());

describe('foureyes publish jira', () => {
  it('creates the issue with the CSV fields; a second run creates nothing and sends no PUT; --json', async () => {
    const r = await publish('--engagement', 'Acme audit');
    expect(r.status, r.stderr).toBe(0);
    const data = readEngagementExport(fx.ws, fx.engagementId, fx.catalogue, {
      tool: { name: 'Foureyes', version: '0' },
    });
    const f = jiraFields(data.findings[0]!, { engagement: data.engagement, checks: data.checks });
    expect(jira.issues.map((i) => [i.key, i.fields.summary, i.fields.description, i.fields.labels])).toEqual([
      ['SEC-1', f.summary, f.description, f.labels],
    ]);
    expect(r.stdout).toBe(
      `created      SEC-1        ${fx.findingId.slice(0, 8)} ${f.title}\n` +
        `${jira.url} project SEC: 1 created, 0 updated, 0 unchanged (1 finding of "Acme audit")\n`,
    );
    const again = await publish('--json');
    expect(again.status, again.stderr).toBe(0);
    const j = JSON.parse(again.stdout) as {
      complete: boolean;
      issues: { action: string; key: string; externalId: string }[];
    };
    expect(j.complete).toBe(true);
    expect(j.issues).toEqual([
      expect.objectContaining({
        action: 'unchanged',
        key: 'SEC-1',
        externalId: externalId(fx.engagementId, fx.findingId),
      }),
    ]);
    expect(writes()).toHaveLength(1);
  });

  it('an edited finding: one PUT with only what changed; --final refuses it before anything is sent', async () => {
    expect((await publish()).status).toBe(0);
    const pass = join(home, 'ann.pass');
    writeFileSync(pass, `${PASS.ann}\n`);
    const notes = join(home, 'notes.md');
    writeFileSync(notes, 'Seen again on the second visit.\n');
    const edit = await cli([
      'finding',
      'edit',
      fx.findingId,
      '--as',
      'Ann',
      '--passphrase-file',
      pass,
      '--notes-file',
      notes,
    ]);
    expect(edit.status, edit.stderr).toBe(0);
    const before = jira.requests.length;
    const refused = await publish('--final');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /^foureyes: --final: 1 finding of "Acme audit" is not approved: .* \(in review\)\n$/,
    );
    expect(jira.requests.length).toBe(before);
    const r = await publish();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('updated      SEC-1 ');
    expect(r.stdout).toContain('(description)');
    const puts = jira.requests.filter((q) => q.method === 'PUT');
    expect(puts.map((q) => Object.keys(JSON.parse(q.body) as object))).toEqual([['fields']]);
    expect(Object.keys((JSON.parse(puts[0]!.body) as { fields: object }).fields)).toEqual(['description']);
    expect(jira.issues[0]!.fields.description).toContain('Seen again on the second visit.');
    const again = await publish();
    expect(again.stdout).toContain('unchanged    SEC-1 ');
    expect(jira.requests.filter((q) => q.method === 'PUT')).toHaveLength(1);
  });

  it('a 400 exits 2 naming the finding and the server message; a lost reply, then a rerun without duplicates', async () => {
    jira.failWhen((q) => q.url === '/rest/api/2/issue', 400, {
      components: 'Component name "x" is not valid.',
    });
    const r = await publish('--component', 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`finding ${fx.findingId.slice(0, 8)} `);
    expect(r.stderr).toContain('server said 400');
    expect(r.stderr).toContain('components: Component name "x" is not valid.');
    expect(r.stdout).toContain('stopped, so far: 0 created');
    jira.failWhen(null);
    jira.dropAnswerWhen((q) => q.method === 'POST' && q.url === '/rest/api/2/issue');
    const lost = await publish();
    expect(lost.status).toBe(2);
    expect(jira.issues).toHaveLength(1);
    jira.dropAnswerWhen(null);
    const rerun = await publish();
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain('unchanged    SEC-1 ');
    expect(jira.withLabel(externalId(fx.engagementId, fx.findingId))).toHaveLength(1);
  });

  it('--dry-run writes nothing; the token from the environment; a token file others can read is refused', async () => {
    const dry = await cli(['publish', 'jira', '--url', jira.url, '--project', 'SEC', '--dry-run'], {
      FOUREYES_JIRA_TOKEN: TOKEN,
    });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('would create');
    expect(dry.stdout).toContain('dry run, nothing changed: 1 would be created');
    expect(writes()).toEqual([]);
    const open = join(home, 'open.token');
    writeFileSync(open, TOKEN);
    chmodSync(open, 0o644);
    const bad = await cli(['publish', 'jira', '--url', jira.url, '--project', 'SEC', '--token-file', open]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('can be read or written by others than its owner');
    const key = await publish('--project', 'sec"x');
    expect(key.status).toBe(2);
    expect(key.stderr).toContain('is not a Jira project key');
  });

  it('the token appears in no output and no file but its own', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const o of outputs) {
      expect(o.includes(TOKEN)).toBe(false);
      expect(canariesIn(Buffer.from(o)).filter((c) => c.startsWith('CANARY_JIRA'))).toEqual([]);
    }
    for (const f of readdirSync(home, { recursive: true }) as string[]) {
      if (f === 'jira.token' || f === 'open.token') continue;
      const p = join(home, f);
      try {
        expect(readFileSync(p, 'latin1').includes(TOKEN), p).toBe(false);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EISDIR') throw e;
      }
    }
    expect(readFileSync(fx.ws.path, 'latin1').includes(TOKEN)).toBe(false);
  });
});
