/**
 * host.list answers one page at a time, through the real services and API dispatch on a real workspace file:
 * at most 1000 hosts a reply, the total alongside, pages that together hold every host once, in name order, and
 * the names of jump hosts that are on another page. The dashboard and engagement.get stay bounded on the same
 * engagement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { Reply } from '../../../shared/api/reply.js';
import { MAX_HOST_PAGE } from '../../../shared/api/schemas/workspace.js';
import type { Services } from '../../../main/api/services.js';
import type { Dispatch } from '../../../main/api/registry.js';
import { callDispatch, startDispatch } from './dispatch.js';
import { addressOf } from './host-fixtures.js';

type Page = MethodOutput<'host.list'>;
const N = 2500;
let dir: string;
let services: Services;
let d: Dispatch;
let engagementId: string;
const call = <T>(method: string, input: unknown) => callDispatch<T>(d, method, input, 'http');
const name = (i: number) => `web-${String(i).padStart(4, '0')}`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-host-pages-'));
  ({ services, dispatch: d } = await startDispatch({
    workspacePath: path.join(dir, 'ws.sqlite'),
    emit: () => undefined,
    mode: 'browser',
    secrets: { cipher: null, decision: { persistent: false, detail: 'test' } },
  }));
  engagementId = (await call<{ id: string }>('engagement.create', { name: 'Estate' })).id;
  // a-bastion sorts first (page 1); the last host jumps through it from page 3.
  const rows = ['name,address,jump', 'a-bastion,192.0.2.10,'];
  for (let i = 0; i < N; i++) rows.push(`${name(i)},${addressOf(i)},${i === N - 1 ? 'a-bastion' : ''}`);
  const r = await call<MethodOutput<'host.import'>>('host.import', { engagementId, source: 'csv', content: rows.join('\n') });
  expect(r.errors).toEqual([]);
}, 60_000);
afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('without paging gives the first 1000 hosts by name and the total', async () => {
  const p = await call<Page>('host.list', { engagementId });
  expect(p.total).toBe(N + 1);
  expect(p.offset).toBe(0);
  expect(p.limit).toBe(MAX_HOST_PAGE);
  expect(p.hosts).toHaveLength(MAX_HOST_PAGE);
  expect(p.hosts[0]!.name).toBe('a-bastion');
  expect(p.hosts[1]!.name).toBe(name(0));
  expect(p.jumpHosts).toEqual([]);
});

it('pages hold every host once, in name order; a jump host on another page comes with its name', async () => {
  const seen: string[] = [];
  let last: Page | undefined;
  for (let offset = 0; offset < N + 1; offset += MAX_HOST_PAGE) {
    last = await call<Page>('host.list', { engagementId, paging: { offset, limit: MAX_HOST_PAGE } });
    seen.push(...last.hosts.map((h) => h.name));
  }
  expect(seen).toEqual(['a-bastion', ...Array.from({ length: N }, (_, i) => name(i))]);
  expect(last!.hosts).toHaveLength(N + 1 - 2 * MAX_HOST_PAGE);
  const bastion = (await call<Page>('host.list', { engagementId, paging: { offset: 0, limit: 1 } })).hosts[0]!;
  expect(last!.hosts.at(-1)!.jumpHostId).toBe(bastion.id);
  expect(last!.jumpHosts).toEqual([{ id: bastion.id, name: 'a-bastion' }]);
});

it('counts the hosts with an accepted key across the engagement, not only on the page', async () => {
  const last = (await call<Page>('host.list', { engagementId, paging: { offset: N, limit: 1 } })).hosts[0]!;
  await call('hostKey.accept', { hostId: last.id, fingerprint: `SHA256:${'A'.repeat(43)}` });
  const first = await call<Page>('host.list', { engagementId, paging: { offset: 0, limit: 10 } });
  expect(first.pinned).toBe(1);
  expect(first.hosts.some((h) => h.pinnedFingerprint !== null)).toBe(false);
});

it('past the end gives no hosts and still the total', async () => {
  const p = await call<Page>('host.list', { engagementId, paging: { offset: 10_000, limit: 10 } });
  expect(p).toMatchObject({ hosts: [], total: N + 1, offset: 10_000, limit: 10 });
});

it('refuses a page larger than 1000, naming the field', async () => {
  const r = (await d('host.list', { engagementId, paging: { offset: 0, limit: 1001 } }, { transport: 'http' })) as Reply<unknown>;
  expect(r).toMatchObject({
    ok: false,
    error: { code: 'bad_input', message: 'Paging limit must be at most 1000 (got 1001).' },
  });
});

it('a full page stays well under a megabyte as JSON', async () => {
  const p = await call<Page>('host.list', { engagementId, paging: { offset: 0, limit: MAX_HOST_PAGE } });
  expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThan(1024 * 1024);
});

it('dashboard.summary lists at most 1000 hosts without a run in the scan and counts the rest', async () => {
  const s = await call<MethodOutput<'dashboard.summary'>>('dashboard.summary', { engagementId });
  expect(s.scanId).toBeNull();
  expect(s.hosts).toHaveLength(1000);
  expect(s.hosts[0]).toMatchObject({ hostName: 'a-bastion', hostRunId: null, state: null });
  expect(s.unlistedHosts).toBe(N + 1 - 1000);
});

it('engagement.get counts the hosts without reading them', async () => {
  expect((await call<MethodOutput<'engagement.get'>>('engagement.get', { engagementId })).hostCount).toBe(N + 1);
});
