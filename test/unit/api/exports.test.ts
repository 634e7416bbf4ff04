/**
 * export.build over HTTP, through the real bridge to the real services on a real workspace file: the Confluence
 * bundle comes back as a zip whose signed integrity manifest verifies (signed by the person signed in, recorded in
 * the trail), SARIF, JUnit, OHDF and the engagement JSON as their text; a final export is refused naming the finding
 * not approved, and passes once a second person has approved it; a call while nobody is signed in, an unknown
 * format and a scan of another engagement are refused with the reason.
 */
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import { verifyBundleFiles } from '../../../main/export/confluence/bundle.js';
import { findingsFixture, type FindingsFixture } from '../findings/fixtures.js';
import { startLiveBridge, type LiveBridge } from './live-bridge.js';

const ANN = 'canary-ann-api-export-5d2a';
const BEN = 'canary-ben-api-export-9c41';
type Built = MethodOutput<'export.build'>;
type Person = MethodOutput<'person.add'>;

let fx: FindingsFixture;
let a: LiveBridge;
let findingId: string;
let findingTitle: string;
let ann: Person;
let ben: Person;

beforeEach(async () => {
  fx = findingsFixture();
  fx.scan({ db01: { [fx.checks[0]]: 'fail', [fx.checks[1]]: 'pass' }, web01: { [fx.checks[0]]: 'fail' } });
  const finding = fx.ws.findings.forCheck(fx.engagementId, fx.checks[0])!;
  findingId = finding.id;
  findingTitle = finding.title;
  const file = fx.ws.path;
  fx.ws.close();
  a = await startLiveBridge(file);
  ann = await a.ok<Person>('person.add', {
    name: 'Ann',
    role: 'consultant',
    email: 'ann@example.org',
    passphrase: ANN,
  });
  await a.ok('session.signIn', { personId: ann.id, passphrase: ANN });
  ben = await a.ok<Person>('person.add', {
    name: 'Ben',
    role: 'reviewer',
    email: 'ben@example.org',
    passphrase: BEN,
  });
  await a.ok('session.signOut', {});
});
afterEach(async () => {
  await a.close();
  fx.cleanup();
});

const bytesOf = (b: Built): Buffer => {
  const buf = Buffer.from(b.contentBase64, 'base64');
  expect(buf.length).toBe(b.size);
  expect(createHash('sha256').update(buf).digest('hex')).toBe(b.sha256);
  return buf;
};

describe('export.build over the bridge', () => {
  it('refuses while nobody is signed in', async () => {
    expect(await a.call('export.build', { engagementId: fx.engagementId, format: 'sarif' })).toMatchObject({
      ok: false,
      error: { code: 'not_signed_in' },
    });
  });

  it('builds the signed Confluence zip and every machine-readable format', async () => {
    await a.ok('session.signIn', { personId: ann.id, passphrase: ANN });
    const zip = await a.ok<Built>('export.build', { engagementId: fx.engagementId, format: 'confluence' });
    expect(zip).toMatchObject({ mediaType: 'application/zip', final: false, leftOut: [] });
    expect(zip.fileName).toMatch(/\.confluence\.zip$/);
    expect(zip.summary).toMatch(/^\d+ pages, \d+ attachments?, signed by Ann$/);
    const files = new Map(Object.entries(unzipSync(bytesOf(zip))).map(([k, v]) => [k, Buffer.from(v)]));
    const check = verifyBundleFiles(files, zip.fileName);
    expect(check).toMatchObject({ ok: true, changed: [], missing: [], extra: [] });
    expect(check.signer?.name).toBe('Ann');
    const events = await a.ok<{ items: { action: string; actor: { name: string } }[] }>('audit.list', {
      paging: { offset: 0, limit: 50 },
    });
    expect(events.items.find((e) => e.action === 'export.confluence')?.actor.name).toBe('Ann');

    const sarif = await a.ok<Built>('export.build', { engagementId: fx.engagementId, format: 'sarif' });
    const log = JSON.parse(bytesOf(sarif).toString('utf8')) as {
      version: string;
      runs: { results: unknown[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.length).toBeGreaterThan(0);
    const junit = await a.ok<Built>('export.build', { engagementId: fx.engagementId, format: 'junit' });
    expect(bytesOf(junit).toString('utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites/);
    const ohdf = await a.ok<Built>('export.build', { engagementId: fx.engagementId, format: 'ohdf' });
    expect(JSON.parse(bytesOf(ohdf).toString('utf8'))).toHaveProperty('profiles');
    const json = await a.ok<Built>('export.build', { engagementId: fx.engagementId, format: 'json' });
    expect(JSON.parse(bytesOf(json).toString('utf8'))).toMatchObject({ engagement: { id: fx.engagementId } });
    const csv = await a.ok<Built>('export.build', { engagementId: fx.engagementId, format: 'jira-csv' });
    expect(csv.summary).toBe('1 issue for Jira\'s CSV importer');
    expect(bytesOf(csv).toString('utf8')).toMatch(/^"Summary","Issue Id"/);
  });

  it('builds the report as HTML for each audience, and as PDF, each recorded in the trail', async () => {
    await a.ok('session.signIn', { personId: ann.id, passphrase: ANN });
    for (const audience of ['executive', 'manager', 'engineer']) {
      const html = await a.ok<Built>('export.build', { engagementId: fx.engagementId, format: 'html', audience });
      expect(html.fileName).toMatch(new RegExp(`\\.${audience}\\.html$`));
      const text = bytesOf(html).toString('utf8');
      expect(text).toMatch(/^<!DOCTYPE html>/i);
      expect(text).toContain('http-equiv="Content-Security-Policy"');
      expect(text).not.toMatch(/<script/i);
    }
    const pdf = await a.ok<Built>('export.build', { engagementId: fx.engagementId, format: 'pdf', audience: 'executive' });
    expect(pdf.mediaType).toBe('application/pdf');
    expect(bytesOf(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const events = await a.ok<{ items: { action: string; actor: { name: string } }[] }>('audit.list', { paging: { offset: 0, limit: 50 } });
    expect(events.items.filter((e) => e.action === 'export.html')).toHaveLength(3);
    expect(events.items.filter((e) => e.action === 'export.pdf').map((e) => e.actor.name)).toEqual(['Ann']);
    expect(await a.call('export.build', { engagementId: fx.engagementId, format: 'html', audience: 'board' })).toMatchObject({
      ok: false,
      error: { code: 'bad_input', message: expect.stringMatching(/Audience must be one of executive, manager, engineer/) },
    });
  }, 120_000);

  it('refuses a final export while a finding is not approved, naming it, and builds it once approved', async () => {
    await a.ok('session.signIn', { personId: ann.id, passphrase: ANN });
    for (const format of ['sarif', 'confluence'])
      expect(
        await a.call('export.build', { engagementId: fx.engagementId, format, final: true }),
      ).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/not approved/) },
      });
    const r = await a.call('export.build', { engagementId: fx.engagementId, format: 'sarif', final: true });
    expect(r.ok ? '' : r.error.message).toContain(`${findingTitle} (draft)`);

    const f = await a.ok<{ finding: { revision: number; title: string } }>('finding.get', { findingId });
    await a.ok('finding.edit', {
      findingId,
      changes: { notes: 'Root logs in with a password.' },
      expectedRevision: f.finding.revision,
    });
    await a.ok('finding.submit', { findingId });
    await a.ok('session.signOut', {});
    await a.ok('session.signIn', { personId: ben.id, passphrase: BEN });
    const g = await a.ok<{ finding: { revision: number; contentHash: string } }>('finding.get', {
      findingId,
    });
    await a.ok('finding.approve', {
      findingId,
      expectedRevision: g.finding.revision,
      contentHash: g.finding.contentHash,
    });
    const other = await a.ok<{ items: { id: string; reviewState: string }[] }>('finding.list', {
      engagementId: fx.engagementId,
    });
    expect(other.items.every((x) => x.reviewState === 'approved')).toBe(true);
    const final = await a.ok<Built>('export.build', {
      engagementId: fx.engagementId,
      format: 'confluence',
      final: true,
    });
    expect(final).toMatchObject({ final: true, leftOut: [] });
    expect(final.fileName).toMatch(/-final\.confluence\.zip$/);
    const files = new Map(Object.entries(unzipSync(bytesOf(final))).map(([k, v]) => [k, Buffer.from(v)]));
    expect(verifyBundleFiles(files, final.fileName).signer?.name).toBe('Ben');
  });

  it('refuses an unknown format and a scan of another engagement, saying why', async () => {
    await a.ok('session.signIn', { personId: ann.id, passphrase: ANN });
    expect(await a.call('export.build', { engagementId: fx.engagementId, format: 'docx' })).toMatchObject({
      ok: false,
      error: {
        code: 'bad_input',
        message: expect.stringMatching(/Format must be one of confluence, html, pdf, jira-csv, sarif, junit, ohdf, json/),
      },
    });
    const other = await a.ok<{ id: string }>('engagement.create', { name: 'Other' });
    const scans = await a.ok<{ items: { id: string }[] }>('scan.list', { engagementId: fx.engagementId });
    expect(
      await a.call('export.build', { engagementId: other.id, format: 'sarif', scanId: scans.items[0]!.id }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/is not a scan of the engagement "Other"/) },
    });
    expect(await a.call('export.build', { engagementId: other.id, format: 'junit' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/has no scan yet/) },
    });
  });
});
