/**
 * Hand-over through the screens: without a person the screen says an export needs one; signed in, "Build and
 * download" of the Confluence bundle gives a zip that `foureyes bundle verify` accepts, signed by the person; JUnit
 * downloads as XML and the executive report as one HTML file; a final export while a finding is not approved is refused with main's sentence naming it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as shared, expect } from './fixtures.js';
import { startBackend, type Backend } from './backend.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { alicePlusBob, call, scannedLocalEngagement } from './api.js';
import { startFakeConfluence } from '../support/fake-confluence.js';
import { fakeJira } from '../support/fake-jira.js';

const test = shared.extend<object, { backend: Backend }>({
  backend: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const b = await startBackend();
      await use(b);
      await b.stop();
    },
    { scope: 'worker' },
  ],
});

const PASS = { alice: 'e2e-handover-alice-passphrase', bob: 'e2e-handover-bob-passphrase' };

test('hand-over: the signed Confluence zip verifies, JUnit downloads, a final export is refused naming the finding', async ({
  app,
  backend,
  shot,
}) => {
  const { done } = await scannedLocalEngagement(backend, 'Hand-over');
  expect(done.scan.state).toBe('done');
  await alicePlusBob(backend, PASS);
  await call(backend, 'session.signOut', {});

  await app.reload();
  await new EngagementsPage(app).open('Hand-over');
  await app.getByTestId('nav-handover').click();
  await expect(app.getByTestId('export-needs-person')).toContainText(
    'An export needs a person: sign in first',
  );

  const alice = (await call(backend, 'person.list', {})).people.find((p) => p.name === 'Alice')!;
  await call(backend, 'session.signIn', { personId: alice.id, passphrase: PASS.alice });
  await app.reload();
  await expect(app.getByTestId('export-formats')).toBeVisible();

  const dir = mkdtempSync(join(tmpdir(), 'fe-e2e-handover-'));
  try {
    const [zip] = await Promise.all([
      app.waitForEvent('download'),
      app.getByTestId('export-build-confluence').click(),
    ]);
    expect(zip.suggestedFilename()).toBe('hand-over.confluence.zip');
    const zipFile = join(dir, zip.suggestedFilename());
    await zip.saveAs(zipFile);
    await expect(app.getByTestId('export-summary')).toContainText('signed by Alice');
    const sha = (await app.getByTestId('export-sha256').textContent())!.trim();
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    const verify = spawnSync(
      process.execPath,
      [join(process.cwd(), 'bin', 'foureyes.js'), 'bundle', 'verify', zipFile],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('Alice');
    await shot('handover-built');

    const [junit] = await Promise.all([
      app.waitForEvent('download'),
      app.getByTestId('export-build-junit').click(),
    ]);
    const junitFile = join(dir, junit.suggestedFilename());
    await junit.saveAs(junitFile);
    expect(readFileSync(junitFile, 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites/);

    await app.getByTestId('export-audience').selectOption('executive');
    const [html] = await Promise.all([app.waitForEvent('download'), app.getByTestId('export-build-html').click()]);
    expect(html.suggestedFilename()).toBe('hand-over.executive.html');
    const htmlFile = join(dir, html.suggestedFilename());
    await html.saveAs(htmlFile);
    expect(readFileSync(htmlFile, 'utf8')).toContain('http-equiv="Content-Security-Policy"');

    const findings = await call(backend, 'finding.list', {
      engagementId: done.scan.engagementId,
      paging: { offset: 0, limit: 1000 },
    });
    expect(findings.total).toBeGreaterThan(0);
    await app.getByTestId('export-final').check();
    await app.getByTestId('export-build-sarif').click();
    const refusal = app.getByTestId('export-error');
    await expect(refusal).toContainText(
      `final: ${findings.total} finding${findings.total === 1 ? ' of "Hand-over" is' : 's of "Hand-over" are'} not approved: `,
    );
    // Each finding named is one of the engagement's, with its review state.
    const named = (await refusal.textContent())!.replace(/^[^:]+: [^:]+: /, '').split('; ');
    for (const n of named.filter((x) => !x.startsWith('and ')))
      expect(findings.items.map((f) => `${f.title} (draft)`)).toContain(n);
    await shot('handover-final-refused');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await call(backend, 'session.signOut', {});
  }
});

test('hand-over: the bundle published to a Confluence server on 127.0.0.1, twice: pages created, then unchanged', async ({
  app,
  backend,
  shot,
}) => {
  const TOKEN = 'e2e-confluence-token-4b1d';
  const server = await startFakeConfluence({ authorization: `Bearer ${TOKEN}` });
  try {
    await scannedLocalEngagement(backend, 'Published');
    const { alice } = await alicePlusBob(backend, PASS);
    await call(backend, 'session.signIn', { personId: alice, passphrase: PASS.alice });
    await app.reload();
    await new EngagementsPage(app).open('Published');
    await app.getByTestId('nav-handover').click();
    const [zip] = await Promise.all([app.waitForEvent('download'), app.getByTestId('export-build-confluence').click()]);
    const pages = Number(/^(\d+) pages/.exec((await app.getByTestId('export-summary').textContent()) ?? '')?.[1]);
    expect(pages).toBeGreaterThan(3);
    expect(zip.suggestedFilename()).toBe('published.confluence.zip');

    const publish = async (): Promise<void> => {
      await app.getByTestId('publish-url').fill(server.url);
      await app.getByTestId('publish-space').fill('SEC');
      await app.getByTestId('publish-token').fill(TOKEN);
      await app.getByTestId('publish-submit').click();
    };
    await publish();
    await expect(app.getByTestId('publish-result')).toContainText(`pages ${pages} created, 0 updated, 0 unchanged`);
    expect([...server.pages.values()].filter((p) => p.space === 'SEC')).toHaveLength(pages);
    // The token went to the server in the Authorization header only, and the form let go of it.
    await expect(app.getByTestId('publish-token')).toHaveValue('');
    for (const r of server.requests) expect(r.body.toString('latin1')).not.toContain(TOKEN);
    await shot('handover-published');

    await publish();
    await expect(app.getByTestId('publish-result')).toContainText(`pages 0 created, 0 updated, ${pages} unchanged`);
    expect(server.pages.size).toBe(pages);

    await app.getByTestId('publish-token').fill('not-the-token');
    await app.getByTestId('publish-submit').click();
    await expect(app.getByTestId('publish-stopped').or(app.getByTestId('publish-error'))).toContainText('401');
  } finally {
    await server.close();
    await call(backend, 'session.signOut', {});
  }
});

test('hand-over: the findings published to a Jira on 127.0.0.1: issues created, then none changed', async ({ app, backend, shot }) => {
  const TOKEN = 'e2e-jira-token-7c3e';
  const server = await fakeJira({ authorization: `Bearer ${TOKEN}` });
  try {
    const { engagementId } = await scannedLocalEngagement(backend, 'To Jira');
    const findings = (await call(backend, 'finding.list', { engagementId, paging: { offset: 0, limit: 1000 } })).total;
    expect(findings).toBeGreaterThan(0);
    const { alice } = await alicePlusBob(backend, PASS);
    await call(backend, 'session.signIn', { personId: alice, passphrase: PASS.alice });
    await app.reload();
    await new EngagementsPage(app).open('To Jira');
    await app.getByTestId('nav-handover').click();
    const publish = async (): Promise<void> => {
      await app.getByTestId('jira-url').fill(server.url);
      await app.getByTestId('jira-project').fill('SEC');
      await app.getByTestId('jira-token').fill(TOKEN);
      await app.getByTestId('jira-submit').click();
    };
    await publish();
    await expect(app.getByTestId('jira-result')).toContainText(`Issues ${findings} created, 0 updated, 0 unchanged.`);
    expect(server.issues).toHaveLength(findings);
    await expect(app.getByTestId('jira-token')).toHaveValue('');
    await shot('handover-jira');
    await publish();
    await expect(app.getByTestId('jira-result')).toContainText(`Issues 0 created, 0 updated, ${findings} unchanged.`);
    expect(server.issues).toHaveLength(findings);
    for (const r of server.requests) expect(r.body).not.toContain(TOKEN);

    await app.getByTestId('export-final').check();
    await app.getByTestId('jira-token').fill(TOKEN);
    await app.getByTestId('jira-submit').click();
    await expect(app.getByTestId('jira-error')).toContainText('not approved');
  } finally {
    await server.close();
    await call(backend, 'session.signOut', {});
  }
});
