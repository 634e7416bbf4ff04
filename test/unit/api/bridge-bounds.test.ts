/**
 * What one call may cost, over HTTP through the browser-mode bridge to the real services on a real workspace file:
 * an import at the 10,000-host limit does not hold up other calls, host.list answers a bounded page, and a 6 MB
 * body of nesting or of millions of small values is refused before it is parsed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { Reply } from '../../../shared/api/reply.js';
import { MAX_HOST_PAGE, MAX_IMPORT_HOSTS } from '../../../shared/api/schemas/workspace.js';
import { EventHub } from '../../../main/api/event-hub.js';
import { createHandlers } from '../../../main/api/handlers.js';
import { createDispatch } from '../../../main/api/registry.js';
import type { Services } from '../../../main/api/services.js';
import { startBridge, type Bridge } from '../../../main/bridge/server.js';
import { createServices } from '../../../main/services/index.js';
import { csvHosts } from '../services/host-fixtures.js';
import { TEST_APP, memoryLogger } from './helpers.js';
import { raw } from './http-client.js';

const log = memoryLogger();
let dir: string;
let services: Services;
let bridge: Bridge;
let auth: Record<string, string>;
/** Resolves when the bridge has handed an import to the host service. */
let importEntered: Promise<void>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-bridge-bounds-'));
  services = await createServices({
    workspacePath: path.join(dir, 'ws.sqlite'),
    emit: () => undefined,
    mode: 'browser',
    secrets: { cipher: null, decision: { persistent: false, detail: 'test' } },
  });
  // Only observes: the real import runs.
  const realImport = services.hosts.import;
  let entered!: () => void;
  importEntered = new Promise((resolve) => (entered = resolve));
  services.hosts = {
    ...services.hosts,
    import: (input) => {
      entered();
      return realImport(input);
    },
  };
  bridge = await startBridge({
    dispatch: createDispatch(createHandlers(services, TEST_APP), log),
    events: new EventHub(log),
    staticDir: '/nonexistent/renderer/dist',
    log,
  });
  auth = { authorization: `Bearer ${bridge.token}`, origin: bridge.origin, 'content-type': 'application/json' };
});
afterAll(async () => {
  await bridge?.close();
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (method: string, body: string) => raw(bridge.port, { method: 'POST', path: `/api/${method}`, headers: auth, body });
async function call<T>(method: string, input: unknown): Promise<T> {
  const r = JSON.parse((await post(method, JSON.stringify(input))).body) as Reply<T>;
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value;
}

it('answers calls sent while an import at the limit runs before the import’s own reply', async () => {
  const { id: engagementId } = await call<{ id: string }>('engagement.create', { name: 'Estate' });
  const order: string[] = [];
  const importing = post(
    'host.import',
    JSON.stringify({ engagementId, source: 'csv', content: csvHosts(MAX_IMPORT_HOSTS), fileName: 'estate.csv' }),
  ).then((r) => {
    order.push('host.import');
    return JSON.parse(r.body) as Reply<MethodOutput<'host.import'>>;
  });
  await importEntered;
  // One after another, each sent once the one before was answered: three round trips while the import works.
  const list = await call<MethodOutput<'engagement.list'>>('engagement.list', {});
  order.push('engagement.list');
  const info = await call<MethodOutput<'app.info'>>('app.info', {});
  order.push('app.info');
  const page = await call<MethodOutput<'host.list'>>('host.list', { engagementId, paging: { offset: 0, limit: 10 } });
  order.push('host.list');
  const imported = await importing;
  expect(order).toEqual(['engagement.list', 'app.info', 'host.list', 'host.import']);
  expect(list.engagements.map((e) => e.name)).toContain('Estate');
  expect(info.version).toBe(TEST_APP.version);
  expect(page.limit).toBe(10);
  if (!imported.ok) throw new Error(imported.error.message);
  expect(imported.value.addedCount).toBe(MAX_IMPORT_HOSTS);

  // Afterwards the hosts are read a page at a time: the full page is a bounded reply, the total says how many.
  const r = await post('host.list', JSON.stringify({ engagementId }));
  const full = (JSON.parse(r.body) as Reply<MethodOutput<'host.list'>>);
  if (!full.ok) throw new Error(full.error.message);
  expect(full.value.total).toBe(MAX_IMPORT_HOSTS);
  expect(full.value.hosts).toHaveLength(MAX_HOST_PAGE);
  expect(Buffer.byteLength(r.body)).toBeLessThan(1024 * 1024);
}, 60_000);

it('refuses a 6 MB body of nesting, or of millions of values, before parsing it; nothing is created', async () => {
  const six = 6 * 1024 * 1024;
  const before = (await call<MethodOutput<'engagement.list'>>('engagement.list', {})).engagements.length;
  const bodies: [string, string][] = [
    ['['.repeat(six / 2) + ']'.repeat(six / 2), 'engagement.create: request body nests deeper than 32 levels'],
    // Within the depth limit, but 2 million arrays: JSON.parse alone took over a second for this.
    [
      JSON.stringify({ name: 'x', customer: Array.from({ length: six / 70 }, () => JSON.parse(`${'['.repeat(30)}1${']'.repeat(30)}`)) }),
      'engagement.create: request body holds more than 100,000 values',
    ],
    [
      JSON.stringify(Object.fromEntries(Array.from({ length: six / 12 }, (_, i) => [`k${i}`, 1]))),
      'engagement.create: request body holds more than 100,000 values',
    ],
  ];
  for (const [body, message] of bodies) {
    expect(Buffer.byteLength(body)).toBeGreaterThan(5 * 1024 * 1024);
    const r = await post('engagement.create', body);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'bad_input', message } });
  }
  expect((await call<MethodOutput<'engagement.list'>>('engagement.list', {})).engagements).toHaveLength(before);
});

it('still takes the largest real input: an inventory of 4 Mi characters is one value', async () => {
  const { id: engagementId } = await call<{ id: string }>('engagement.create', { name: 'Big file' });
  const content = `name,address\n${'#'.repeat(4 * 1024 * 1024 - 40)}\nh0,10.0.0.1\n`;
  const r = await call<MethodOutput<'host.import'>>('host.import', { engagementId, source: 'csv', content, dryRun: true });
  expect(r.hosts.map((h) => h.name)).toEqual(['h0']);
});
