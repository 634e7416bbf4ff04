import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatch } from '../../../main/api/registry.js';
import type { Services, ServicesContext } from '../../../main/api/services.js';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { openWorkspace } from '../../../main/store/db.js';
import { callDispatch, startDispatch } from './dispatch.js';

const decision = { persistent: false, detail: 'test' };

let dir: string;
let file: string;
let services: Services | undefined;

async function start(emit: ServicesContext['emit'] = () => undefined): Promise<Dispatch> {
  let dispatch: Dispatch;
  ({ services, dispatch } = await startDispatch({
    workspacePath: file,
    emit,
    mode: 'browser',
    secrets: { cipher: null, decision },
  }));
  return dispatch;
}

const call = <T = unknown>(d: Dispatch, method: string, input: unknown): Promise<T> =>
  callDispatch<T>(d, method, input, 'http');

interface Eng {
  id: string;
  name: string;
  archivedAt: string | null;
}
interface H {
  id: string;
  name: string;
  address: string;
  port: number;
  user: string;
  tags: string[];
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-services-'));
  file = path.join(dir, 'ws.sqlite');
});
afterEach(async () => {
  await services?.close();
  services = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('services over a real workspace', () => {
  it('creates the local engagement on first start, and only then', async () => {
    let d = await start();
    const { engagements } = await call<{ engagements: Eng[] }>(d, 'engagement.list', {});
    expect(engagements.map((e) => e.name)).toEqual(['This machine']);
    const { hosts } = await call<{ hosts: H[] }>(d, 'host.list', { engagementId: engagements[0]!.id });
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ address: '127.0.0.1', tags: ['local'] });
    const got = await call<{ hostCount: number; scanCount: number }>(d, 'engagement.get', {
      engagementId: engagements[0]!.id,
    });
    expect(got).toMatchObject({ hostCount: 1, scanCount: 0 });

    await services!.close();
    d = await start();
    const again = await call<{ engagements: Eng[] }>(d, 'engagement.list', {});
    expect(again.engagements).toHaveLength(1);
  });

  it('creates the local engagement in a workspace the command line created first, and keeps one after that', async () => {
    const ws = openWorkspace(file);
    ws.engagements.create({ name: 'Command line' });
    ws.close();
    let d = await start();
    const names = async () =>
      (await call<{ engagements: Eng[] }>(d, 'engagement.list', { includeArchived: true })).engagements
        .map((e) => e.name)
        .sort();
    expect(await names()).toEqual(['Command line', 'This machine']);
    // Its host removed (or the engagement archived), it is not made again.
    const local = (await call<{ engagements: Eng[] }>(d, 'engagement.list', {})).engagements.find(
      (e) => e.name === 'This machine',
    )!;
    const { hosts } = await call<{ hosts: H[] }>(d, 'host.list', { engagementId: local.id });
    await call(d, 'host.remove', { hostId: hosts[0]!.id });
    await call(d, 'engagement.archive', { engagementId: local.id });
    await services!.close();
    d = await start();
    expect(await names()).toEqual(['Command line', 'This machine']);
  });

  it('marks a scan left running as interrupted at start', async () => {
    await start();
    await services!.close();
    services = undefined;
    const ws = openWorkspace(file);
    const eng = ws.engagements.list()[0]!;
    const scan = ws.scans.createScan({ engagementId: eng.id, catalogueVersion: 'x', checkIds: [] });
    ws.close();
    const d = await start();
    const got = await call<{ scan: { state: string } }>(d, 'scan.get', { scanId: scan.id });
    expect(got.scan.state).toBe('interrupted');
  });

  it('creates, lists and archives engagements', async () => {
    const d = await start();
    const e = await call<Eng>(d, 'engagement.create', { name: 'ACME audit', customer: 'ACME' });
    expect(e).toMatchObject({ name: 'ACME audit', archivedAt: null });
    expect(e).not.toHaveProperty('scope');
    let list = await call<{ engagements: Eng[] }>(d, 'engagement.list', {});
    expect(list.engagements.map((x) => x.name).sort()).toEqual(['ACME audit', 'This machine']);
    const archived = await call<Eng>(d, 'engagement.archive', { engagementId: e.id });
    expect(archived.archivedAt).not.toBeNull();
    list = await call<{ engagements: Eng[] }>(d, 'engagement.list', {});
    expect(list.engagements.map((x) => x.name)).toEqual(['This machine']);
    list = await call<{ engagements: Eng[] }>(d, 'engagement.list', { includeArchived: true });
    expect(list.engagements).toHaveLength(2);
    const bad = await d('engagement.get', { engagementId: 'nope' }, { transport: 'http' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('adds hosts and imports a CSV, reporting the bad row', async () => {
    const d = await start();
    const e = await call<Eng>(d, 'engagement.create', { name: 'Lab' });
    const h = await call<H>(d, 'host.add', {
      engagementId: e.id,
      host: { name: 'web1', address: '10.0.0.5', user: 'audit' },
    });
    expect(h).toMatchObject({ name: 'web1', port: 22, user: 'audit' });
    const dup = await d('host.add', { engagementId: e.id, host: { name: 'web1', address: '10.0.0.6', user: 'a' } }, {
      transport: 'http',
    });
    expect(dup).toMatchObject({ ok: false, error: { code: 'bad_input' } });

    const csv = 'name,address,port,user\ndb1,10.0.0.7,2222,audit\nbad,10.0.0.8,notaport,audit\ndb2,10.0.0.9,,ops\n';
    const dry = await call<{ hosts: H[]; added: H[]; errors: { line: number | null; message: string }[] }>(
      d,
      'host.import',
      { engagementId: e.id, source: 'csv', content: csv, dryRun: true },
    );
    expect(dry.hosts.map((x) => x.name)).toEqual(['db1', 'db2']);
    expect(dry.added).toEqual([]);
    expect(dry.errors).toHaveLength(1);
    expect(dry.errors[0]!.line).toBe(3);

    const res = await call<{ added: H[] }>(d, 'host.import', { engagementId: e.id, source: 'csv', content: csv });
    expect(res.added.map((x) => [x.name, x.port])).toEqual([
      ['db1', 2222],
      ['db2', 22],
    ]);
    const { hosts } = await call<{ hosts: H[] }>(d, 'host.list', { engagementId: e.id });
    expect(hosts.map((x) => x.name)).toEqual(['db1', 'db2', 'web1']);

    const fp = 'SHA256:' + 'A'.repeat(43);
    const acc = await call<{ fingerprint: string }>(d, 'hostKey.accept', { hostId: h.id, fingerprint: fp });
    expect(acc.fingerprint).toBe(fp);
    const pinned = (await call<{ hosts: (H & { pinnedFingerprint: string | null })[] }>(d, 'host.list', {
      engagementId: e.id,
    })).hosts.find((x) => x.id === h.id);
    expect(pinned?.pinnedFingerprint).toBe(fp);

    const ssh = await call<{ added: H[] }>(d, 'host.import', {
      engagementId: e.id,
      source: 'ssh_config',
      content: 'Host a\n  HostName 10.0.0.10\n',
    });
    expect(ssh.added.map((x) => [x.name, x.address])).toEqual([['a', '10.0.0.10']]);
  });

  it('lists the loaded catalogue', async () => {
    const d = await start();
    const cat = loadCatalogue();
    const got = await call<{ version: string; checks: { id: string }[] }>(d, 'catalogue.list', {});
    expect(got.version).toBe(cat.version);
    expect(got.checks.map((c) => c.id)).toEqual(cat.checks.map((c) => c.id));
    expect(got.checks.length).toBeGreaterThan(10);
  });

  it('scans the local engagement to completion and serves its results', async () => {
    const events: { event: string; payload: Record<string, unknown> }[] = [];
    const d = await start((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
    const { engagements } = await call<{ engagements: Eng[] }>(d, 'engagement.list', {});
    const eid = engagements[0]!.id;
    const { hosts } = await call<{ hosts: H[] }>(d, 'host.list', { engagementId: eid });
    const { scanId } = await call<{ scanId: string }>(d, 'scan.start', { engagementId: eid, hostIds: [hosts[0]!.id] });
    const deadline = Date.now() + 60_000;
    while (!events.some((e) => e.event === 'scan.finished') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const fin = events.find((e) => e.event === 'scan.finished');
    expect(fin?.payload).toMatchObject({ scanId, state: 'done' });
    const states = events.filter((e) => e.event === 'scan.progress').map((e) => e.payload.state);
    expect(states[0]).toBe('queued');
    expect(states.at(-1)).toBe('done');
    expect(events.find((e) => e.event === 'scan.progress')?.payload.hostId).toBe(hosts[0]!.id);

    const got = await call<{
      scan: { state: string };
      hostRuns: { id: string; state: string; hostId: string; score: number | null }[];
    }>(d, 'scan.get', {
      scanId,
    });
    expect(got.scan.state).toBe('done');
    expect(got.hostRuns).toMatchObject([{ state: 'done', hostId: hosts[0]!.id }]);
    expect(got.hostRuns[0]!.score === null || typeof got.hostRuns[0]!.score === 'number').toBe(true);

    const dash = await call<{
      scanId: string;
      hosts: { hostId: string; hostRunId: string; counts: Record<string, number> }[];
      trend: { scanId: string }[];
    }>(d, 'dashboard.summary', { engagementId: eid });
    expect(dash.scanId).toBe(scanId);
    expect(dash.hosts).toHaveLength(1);
    expect(dash.hosts[0]!.hostRunId).toBe(got.hostRuns[0]!.id);
    expect(Object.values(dash.hosts[0]!.counts).reduce((a, b) => a + b, 0)).toBe(loadCatalogue().checks.length);
    expect(dash.trend.map((t) => t.scanId)).toEqual([scanId]);

    const page = await call<{ items: { checkId: string; verdict: string }[]; total: number }>(d, 'results.query', {
      scanId,
      paging: { offset: 0, limit: 5 },
    });
    expect(page.total).toBe(loadCatalogue().checks.length);
    expect(page.items).toHaveLength(5);
    const fails = await call<{ items: { verdict: string }[] }>(d, 'results.query', {
      scanId,
      filter: { verdicts: ['pass'] },
    });
    expect(fails.items.every((r) => r.verdict === 'pass')).toBe(true);

    const first = page.items[0]!;
    const detail = await call<{ result: { checkId: string }; check: { id: string }; facts: unknown[]; collectedAt: string }>(
      d,
      'results.checkDetail',
      { hostRunId: got.hostRuns[0]!.id, checkId: first.checkId },
    );
    expect(detail.result.checkId).toBe(first.checkId);
    expect(detail.check.id).toBe(first.checkId);
    expect(detail.facts.length).toBeGreaterThan(0);
    expect(detail.collectedAt).toBeTruthy();
  }, 90_000);

  it('cancels a running scan: the scan and its unfinished host run end cancelled', async () => {
    const d = await start();
    const { engagements } = await call<{ engagements: Eng[] }>(d, 'engagement.list', {});
    const eid = engagements[0]!.id;
    const { hosts } = await call<{ hosts: H[] }>(d, 'host.list', { engagementId: eid });
    const { scanId } = await call<{ scanId: string }>(d, 'scan.start', { engagementId: eid, hostIds: [hosts[0]!.id] });
    const r = await call<{ state: string }>(d, 'scan.cancel', { scanId });
    expect(r.state).toBe('cancelled');
    const got = await call<{ hostRuns: { state: string }[] }>(d, 'scan.get', { scanId });
    expect(got.hostRuns.map((h) => h.state)).toEqual(['cancelled']);
  }, 60_000);
});
