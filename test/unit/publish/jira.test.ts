/**
 * Publishing findings to Jira (main/publish/jira.ts) against the fake Jira server (test/support/fake-jira.ts), a
 * real HTTP server on 127.0.0.1, over the REST client: the findings are those of the export fixture (hostile target
 * text, 1 MiB evidence) and copies of its finding under other ids. A first publish creates one issue per finding;
 * a second one sends no create and no update; an edited finding is one PUT with only what changed; labels and
 * components set in Jira stay; a 400 names the finding and the server's message; a run stopped by a refused issue,
 * a dropped connection or a reply that never came is finished by the next with no finding in two issues.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  readEngagementExport,
  type EngagementExportData,
  type ExportFinding,
} from '../../../main/export/data.js';
import { jiraFields, type JiraFields } from '../../../main/export/jira/fields.js';
import { publishJira } from '../../../main/publish/jira.js';
import { fakeJira, type FakeJira } from '../../support/fake-jira.js';
import { TIME, exportFixture, type ExportFixture } from '../export/fixture.js';
import { restClient } from '../../../main/publish/common.js';

const TOKEN = 'CANARY_JIRA_TOKEN_5R8';
let fx: ExportFixture;
let data: EngagementExportData;
let jira: FakeJira;

beforeAll(() => {
  fx = exportFixture();
  data = readEngagementExport(fx.ws, fx.engagementId, fx.catalogue, {
    tool: { name: 'Foureyes', version: '0.1.0' },
    now: () => TIME,
  });
});
afterAll(() => fx?.cleanup());
beforeEach(async () => {
  jira = await fakeJira({ authorization: `Bearer ${TOKEN}`, pageSize: 2 });
});
afterEach(async () => jira.close());

/** The fixture's finding and `n - 1` copies of it under other ids and titles, with `edit` applied to each. */
function findings(n: number, edit: (f: ExportFinding, i: number) => void = () => {}): JiraFields[] {
  const base = data.findings[0]!;
  return Array.from({ length: n }, (_, i) => {
    const f = structuredClone(base);
    if (i > 0) {
      f.finding.id = `${base.finding.id.slice(0, 30)}-copy-${i}`;
      f.finding.title = `${base.finding.title} (${i})`;
    }
    edit(f, i);
    return jiraFields(f, { engagement: data.engagement, checks: data.checks });
  });
}

const jiraClient = (url: string, token: string) =>
  restClient({ baseUrl: url, auth: { kind: 'bearer', token }, timeoutMs: 10_000 });
const client = () => jiraClient(jira.url, TOKEN);
const writes = () =>
  jira.requests.filter((r) => (r.method === 'POST' && r.url === '/rest/api/2/issue') || r.method === 'PUT');
const mark = () => jira.requests.length;
const since = (n: number) => jira.requests.slice(n);

describe('publish jira', () => {
  it('creates one issue per finding, with its fields, every request authenticated', async () => {
    const fs = findings(5);
    const r = await publishJira(client(), fs, { project: 'SEC' });
    expect(r.issues.map((i) => i.action)).toEqual(Array(5).fill('created'));
    expect(jira.issues).toHaveLength(5);
    for (const f of fs) {
      const [issue, ...more] = jira.withLabel(f.externalId);
      expect(more).toEqual([]);
      expect(issue!.fields).toEqual({
        project: 'SEC',
        issuetype: 'Task',
        summary: f.summary,
        description: f.description,
        priority: 'Highest',
        labels: f.labels,
        components: [],
        duedate: null,
      });
    }
    // The search paged (two issues a page on this server) and every request carried the token.
    expect(jira.requests.filter((q) => q.url === '/rest/api/2/search')).toHaveLength(1);
    for (const q of jira.requests) expect(q.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a second publish of unchanged findings sends no create and no update (the search pages through all)', async () => {
    const fs = findings(5);
    await publishJira(client(), fs, { project: 'SEC' });
    const m = mark();
    const r = await publishJira(client(), findings(5), { project: 'SEC' });
    expect(r.issues.map((i) => [i.action, i.key])).toEqual(jira.issues.map((i) => ['unchanged', i.key]));
    expect(since(m).map((q) => `${q.method} ${q.url}`)).toEqual(Array(3).fill('POST /rest/api/2/search'));
    expect(jira.issues).toHaveLength(5);
  });

  it('an edited finding is one PUT with only what changed; labels and components set in Jira stay', async () => {
    await publishJira(client(), findings(3), { project: 'SEC', issueType: 'Bug' });
    jira.issues[0]!.fields.labels.push('triaged');
    jira.issues[0]!.fields.components.push('Customer team');
    const notes = findings(3, (f, i) => {
      if (i === 1) f.finding.notes = 'Checked again with the customer: still open.';
    });
    let m = mark();
    let r = await publishJira(client(), notes, { project: 'SEC' });
    expect(r.issues.map((i) => i.action)).toEqual(['unchanged', 'updated', 'unchanged']);
    const puts = since(m).filter((q) => q.method === 'PUT');
    expect(puts.map((q) => q.url)).toEqual([`/rest/api/2/issue/${jira.issues[1]!.key}`]);
    expect(JSON.parse(puts[0]!.body)).toEqual({ fields: { description: notes[1]!.description } });
    expect(jira.issues[1]!.fields.description).toContain('Checked again with the customer: still open.');
    expect(jira.issues[0]!.fields.labels).toContain('triaged');

    // Severity and due date: priority, due date, description, and the severity label swapped.
    const severe = findings(3, (f, i) => {
      if (i === 1) f.finding.notes = 'Checked again with the customer: still open.';
      if (i === 2) Object.assign(f.finding, { severity: 'high', dueDate: '2027-02-01' });
    });
    m = mark();
    r = await publishJira(client(), severe, { project: 'SEC' });
    expect(r.issues.map((i) => [i.action, i.changed])).toEqual([
      ['unchanged', []],
      ['unchanged', []],
      ['updated', ['description', 'priority', 'duedate', 'labels']],
    ]);
    const put = JSON.parse(since(m).find((q) => q.method === 'PUT')!.body) as {
      fields: object;
      update: object;
    };
    expect(put.fields).toEqual({
      description: severe[2]!.description,
      priority: { name: 'High' },
      duedate: '2027-02-01',
    });
    expect(put.update).toEqual({ labels: [{ add: 'high' }, { remove: 'critical' }] });
    expect(jira.issues[2]!.fields.labels.sort()).toEqual([...severe[2]!.labels].sort());

    // Components asked for are added beside the customer's.
    m = mark();
    const withComponent = severe.map((f) => ({ ...f, components: ['Platform'] }));
    r = await publishJira(client(), withComponent, { project: 'SEC' });
    expect(r.issues.every((i) => i.action === 'updated' && i.changed.join() === 'components')).toBe(true);
    expect(jira.issues[0]!.fields.components).toEqual(['Customer team', 'Platform']);
    m = mark();
    await publishJira(client(), withComponent, { project: 'SEC' });
    expect(since(m).filter((q) => q.method !== 'POST' || q.url !== '/rest/api/2/search')).toEqual([]);
  });

  it('a 400 names the finding and the server message; the next run creates the rest and no duplicate', async () => {
    const fs = findings(4);
    jira.failWhen(
      (q) => q.method === 'POST' && q.url === '/rest/api/2/issue' && q.body.includes(fs[2]!.externalId),
      400,
      {
        customfield_10020: 'Field is required.',
      },
    );
    const done: string[] = [];
    const e = await publishJira(client(), fs, { project: 'SEC', onIssue: (i) => done.push(i.action) }).catch(
      (x: Error) => x,
    );
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toContain(
      `finding ${fs[2]!.findingId.slice(0, 8)} ${JSON.stringify(fs[2]!.summary)}`,
    );
    expect((e as Error).message).toContain('customfield_10020: Field is required.');
    expect((e as Error).message).toContain('400');
    expect((e as Error).message).not.toContain(TOKEN);
    expect(done).toEqual(['created', 'created']);
    jira.failWhen(null);
    const r = await publishJira(client(), fs, { project: 'SEC' });
    expect(r.issues.map((i) => i.action)).toEqual(['unchanged', 'unchanged', 'created', 'created']);
    for (const f of fs) expect(jira.withLabel(f.externalId)).toHaveLength(1);
  });

  it('a connection dropped half-way, or a create whose reply never came: the rerun completes, no duplicates', async () => {
    const fs = findings(5);
    jira.dropAfter(3); // the search (three pages? none yet: one), two creates, then nothing answers
    await expect(publishJira(client(), fs, { project: 'SEC' })).rejects.toThrow(
      /cannot reach|broke|connection|socket/i,
    );
    jira.dropAfter(null);
    expect(jira.issues.length).toBeGreaterThan(0);
    expect(jira.issues.length).toBeLessThan(5);
    // The next create is carried out but its reply is lost.
    jira.dropAnswerWhen((q) => q.method === 'POST' && q.url === '/rest/api/2/issue');
    await expect(publishJira(client(), fs, { project: 'SEC' })).rejects.toThrow();
    jira.dropAnswerWhen(null);
    const before = jira.issues.length;
    const r = await publishJira(client(), fs, { project: 'SEC' });
    expect(r.issues.filter((i) => i.action === 'created')).toHaveLength(5 - before);
    expect(jira.issues).toHaveLength(5);
    for (const f of fs) expect(jira.withLabel(f.externalId)).toHaveLength(1);
  });

  it('two issues with one label are reported and the first is kept up to date; a dry run writes nothing', async () => {
    const fs = findings(2);
    await publishJira(client(), fs, { project: 'SEC' });
    jira.issues.push({ ...structuredClone(jira.issues[0]!), id: '99999', key: 'SEC-99' });
    const changed = findings(2, (f) => void (f.finding.title = 'Renamed'));
    let m = mark();
    const dry = await publishJira(client(), changed, { project: 'SEC', dryRun: true });
    expect(dry.issues.map((i) => [i.action, i.key, i.changed])).toEqual([
      ['would update', 'SEC-1', ['summary']],
      ['would update', 'SEC-2', ['summary']],
    ]);
    expect(since(m).every((q) => q.url === '/rest/api/2/search')).toBe(true);
    expect(dry.duplicates).toEqual([{ externalId: fs[0]!.externalId, keys: ['SEC-1', 'SEC-99'] }]);
    m = mark();
    const none = await publishJira(client(), findings(3), { project: 'SEC', dryRun: true });
    expect(none.issues.map((i) => i.action)).toEqual(['unchanged', 'unchanged', 'would create']);
    expect(writes().length).toBe(2);
  });

  it('a Cloud site without the old search: the enhanced search (/search/jql), paged by token', async () => {
    await jira.close();
    jira = await fakeJira({ authorization: `Bearer ${TOKEN}`, pageSize: 2, cloudSearch: true });
    const fs = findings(5);
    expect(
      (await publishJira(client(), fs, { project: 'SEC' })).issues.every((i) => i.action === 'created'),
    ).toBe(true);
    const m = mark();
    const r = await publishJira(client(), fs, { project: 'SEC' });
    expect(r.issues.map((i) => i.action)).toEqual(Array(5).fill('unchanged'));
    expect(since(m).map((q) => q.url)).toEqual([
      '/rest/api/2/search',
      ...Array(3).fill('/rest/api/2/search/jql'),
    ]);
    expect(jira.issues).toHaveLength(5);
  });

  it('an issue key in a reply that is not one is refused, shown escaped, before it goes into a path', async () => {
    const replies: unknown[] = [];
    const stub = (reply: (path: string) => unknown) => ({
      baseUrl: 'http://127.0.0.1:1',
      request: <T>(r: { path: string }): Promise<T> => {
        replies.push(r.path);
        return Promise.resolve(reply(r.path) as T);
      },
    });
    const fs = findings(1);
    const bad = stub(() => ({
      total: 1,
      issues: [{ key: 'SEC-1/../../x\u001b[31m', fields: { labels: [fs[0]!.externalId] } }],
    }));
    await expect(publishJira(bad, fs, { project: 'SEC' })).rejects.toThrow(
      'search by label: the reply holds an issue key that is not one (SEC-1/../../x\\x1b[31m)',
    );
    const created = stub((p) =>
      p === '/rest/api/2/search' ? { total: 0, issues: [] } : { key: '../admin' },
    );
    await expect(publishJira(created, fs, { project: 'SEC' })).rejects.toThrow(
      /the reply names no issue key \(\.\.\/admin\)/,
    );
    expect(replies).toEqual(['/rest/api/2/search', '/rest/api/2/search', '/rest/api/2/issue']);
  });

  it('refuses a project key that is not one before sending anything, and the server refuses a wrong token', async () => {
    await expect(publishJira(client(), findings(1), { project: 'SEC" OR project != "X' })).rejects.toThrow(
      /is not a Jira project key/,
    );
    expect(jira.requests).toEqual([]);
    const e = await publishJira(jiraClient(jira.url, 'wrong-token'), findings(1), { project: 'SEC' }).catch(
      (x: Error) => x,
    );
    expect((e as Error).message).toMatch(/401/);
    expect((e as Error).message).not.toContain('wrong-token');
  });
});
