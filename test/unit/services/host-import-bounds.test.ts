/**
 * What one import may cost, through the real services and API dispatch on a real workspace file: at most 10,000
 * hosts (a larger file is refused whole), at most 1000 hosts and 1000 problems listed in its reply, the file read in a worker thread bounded in
 * time, and other calls answered while an import at the limit runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { Reply } from '../../../shared/api/reply.js';
import { MAX_IMPORT_ERRORS, MAX_IMPORT_HOSTS, MAX_IMPORT_LISTED } from '../../../shared/api/schemas/workspace.js';
import type { Services } from '../../../main/api/services.js';
import type { Dispatch } from '../../../main/api/registry.js';
import { parseInventoryOffThread } from '../../../main/inventory/parse-off-thread.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { callDispatch, startDispatch } from './dispatch.js';
import { csvHosts } from './host-fixtures.js';

let dir: string;
let services: Services;
let d: Dispatch;
const call = <T>(method: string, input: unknown) => callDispatch<T>(d, method, input, 'http');
const engagement = async (name: string) => (await call<{ id: string }>('engagement.create', { name })).id;
/** Every host of the engagement, read a page at a time. */
async function allHosts(engagementId: string): Promise<MethodOutput<'host.list'>['hosts']> {
  const out: MethodOutput<'host.list'>['hosts'] = [];
  for (let offset = 0; ; offset += 1000) {
    const p = await call<MethodOutput<'host.list'>>('host.list', { engagementId, paging: { offset, limit: 1000 } });
    out.push(...p.hosts);
    if (offset + 1000 >= p.total) return out;
  }
}
const hostCount = async (engagementId: string) =>
  (await call<MethodOutput<'host.list'>>('host.list', { engagementId, paging: { offset: 0, limit: 1 } })).total;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-import-bounds-'));
  ({ services, dispatch: d } = await startDispatch({
    workspacePath: path.join(dir, 'ws.sqlite'),
    emit: () => undefined,
    mode: 'browser',
    secrets: { cipher: null, decision: { persistent: false, detail: 'test' } },
  }));
});
afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('host.import bounds', () => {
  it('refuses a file of more hosts than one import takes, naming file, count and limit; stores nothing', async () => {
    const engagementId = await engagement('Too many');
    for (const dryRun of [true, false]) {
      const r = (await d(
        'host.import',
        { engagementId, source: 'csv', content: csvHosts(MAX_IMPORT_HOSTS + 1), dryRun, fileName: 'estate.csv' },
        { transport: 'http' },
      )) as Reply<unknown>;
      expect(r).toEqual({
        ok: false,
        error: {
          code: 'bad_input',
          message:
            'estate.csv holds 10,001 hosts; one import takes at most 10,000. Split the file and import it in parts; ' +
            'nothing was imported.',
          details: { file: 'estate.csv', hosts: 10_001, limit: 10_000 },
        },
      });
    }
    expect(await hostCount(engagementId)).toBe(0);
  });

  it('answers other calls while an import at the limit runs: their replies arrive before the import’s', async () => {
    const engagementId = await engagement('At the limit');
    const order: string[] = [];
    const content = csvHosts(MAX_IMPORT_HOSTS, { jumpEvery: 10 });
    const importing = d('host.import', { engagementId, source: 'csv', content }, { transport: 'http' }).then((r) => {
      order.push('import');
      return r as Reply<MethodOutput<'host.import'>>;
    });
    // The import has begun (dispatch entered its handler synchronously); these calls come after it.
    const others = [
      d('app.info', {}, { transport: 'http' }).then(() => order.push('app.info')),
      d('engagement.list', {}, { transport: 'http' }).then(() => order.push('engagement.list')),
      d('host.list', { engagementId }, { transport: 'http' }).then(() => order.push('host.list')),
    ];
    const r = await importing;
    await Promise.all(others);
    expect(order.at(-1)).toBe('import');
    expect(order.slice(0, 3).sort()).toEqual(['app.info', 'engagement.list', 'host.list']);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.errors).toEqual([]);
    expect(await hostCount(engagementId)).toBe(MAX_IMPORT_HOSTS);
    // The reply counts every host and lists the first 1000 of each kind, in file order: a bounded reply.
    expect(r.value).toMatchObject({ hostCount: MAX_IMPORT_HOSTS, addedCount: MAX_IMPORT_HOSTS });
    expect(r.value.added.map((h) => h.name)).toEqual(Array.from({ length: MAX_IMPORT_LISTED }, (_, i) => `h${i}`));
    expect(r.value.hosts).toHaveLength(MAX_IMPORT_LISTED);
    expect(Buffer.byteLength(JSON.stringify(r.value))).toBeLessThan(1024 * 1024);
    // Jumps within the file point at the stored jump hosts (stored before them, possibly in an earlier slice).
    const ids = new Map((await allHosts(engagementId)).map((h) => [h.name, h]));
    expect(ids.get('h9999')!.jumpHostId).toBe(ids.get('h9990')!.id);
    expect(ids.get('h9990')!.jumpHostId).toBeNull();
  });

  it('imports one at a time: a second import waits for the first and sees its hosts', async () => {
    const engagementId = await engagement('Twice');
    const content = csvHosts(300);
    const [a, b] = await Promise.all([
      call<MethodOutput<'host.import'>>('host.import', { engagementId, source: 'csv', content }),
      call<MethodOutput<'host.import'>>('host.import', { engagementId, source: 'csv', content }),
    ]);
    expect(a.addedCount).toBe(300);
    expect(b.added).toEqual([]);
    expect(b.errors).toHaveLength(300);
    expect(b.errors[0]!.message).toBe('CSV:2: h0: A host of this name is already in the engagement; not imported again.');
    expect(await hostCount(engagementId)).toBe(300);
  });

  it('all or none: a name taken while the import stores its slices refuses it, and the slices stored are removed', async () => {
    const engagementId = await engagement('Meanwhile');
    const importing = d('host.import', { engagementId, source: 'csv', content: csvHosts(2000) }, { transport: 'http' });
    // Once the first slice is stored, another caller takes the name of a host of the last slice.
    while ((await hostCount(engagementId)) === 0) await new Promise((r) => setImmediate(r));
    const taken = await call<{ id: string }>('host.add', {
      engagementId,
      host: { name: 'h1999', address: '192.0.2.1', user: 'audit' },
    });
    expect(await importing).toEqual({
      ok: false,
      error: {
        code: 'bad_input',
        message: 'CSV: host "h1999" already exists in engagement "Meanwhile" (changed while the import ran); nothing was imported.',
      },
    });
    const left = await call<MethodOutput<'host.list'>>('host.list', { engagementId });
    expect(left.hosts.map((h) => h.id)).toEqual([taken.id]);
  });

  it('a chain of 10,000 jump hosts is stored jump hosts first, without running out of stack', async () => {
    const engagementId = await engagement('Chain');
    const rows = ['name,address,jump', 'h0,10.0.0.1,'];
    for (let i = 1; i < MAX_IMPORT_HOSTS; i++) rows.push(`h${i},10.0.${i >> 8}.${i & 255},h${i - 1}`);
    const r = await call<MethodOutput<'host.import'>>('host.import', { engagementId, source: 'csv', content: rows.join('\n') });
    expect(r.errors).toEqual([]);
    const byName = new Map((await allHosts(engagementId)).map((h) => [h.name, h]));
    expect(byName.get('h9999')!.jumpHostId).toBe(byName.get('h9998')!.id);
    expect(byName.get('h0')!.jumpHostId).toBeNull();
  });

  it('lists at most 1000 problems, then how many more there were', async () => {
    const engagementId = await engagement('Problems');
    const rows = ['name,address'];
    for (let i = 0; i < 2500; i++) rows.push(`bad${i},not an address`);
    const r = await call<MethodOutput<'host.import'>>('host.import', {
      engagementId,
      source: 'csv',
      content: rows.join('\n'),
      dryRun: true,
    });
    expect(r.errors).toHaveLength(MAX_IMPORT_ERRORS + 1);
    expect(r.errors[0]!.message).toBe('CSV:2: bad0: Address "not an address" is not a host name or an IP address.');
    expect(r.errors.at(-1)).toEqual({ line: null, message: '1,500 more problems not listed (the first 1,000 are).' });
  });

  it('a refusal from the parser (in its worker) keeps its message, naming file and line', async () => {
    const engagementId = await engagement('Refused');
    const r = (await d(
      'host.import',
      { engagementId, source: 'ansible-yaml', content: 'all:\n  hosts: [unclosed\n', fileName: 'inv.yml' },
      { transport: 'http' },
    )) as Reply<unknown>;
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(!r.ok && r.error.message).toMatch(/^inv\.yml:\d+: not valid YAML: /);
  });
});

describe('parsing off the main thread', () => {
  it('stops a parse that takes longer than its bound, with a sentence naming the file', async () => {
    // About two seconds of YAML parsing here; the bound is a tenth of that.
    const yaml = `all:\n  hosts:\n${Array.from({ length: 40_000 }, (_, i) => `    h${i}: {ansible_host: 10.0.0.1}`).join('\n')}\n`;
    const e = await parseInventoryOffThread({ source: 'ansible-yaml', content: yaml, file: 'big.yml' }, { timeoutMs: 200 }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(FoureyesError);
    expect((e as FoureyesError).message).toBe(
      'big.yml: reading it took longer than 0.2 s and was stopped; nothing was imported. Split the file.',
    );
  });

  it('gives back what the parser found, problems with their lines', async () => {
    const p = await parseInventoryOffThread({ source: 'csv', content: 'name,address\na,10.0.0.1\nb,bad address\n', file: 'x.csv' });
    expect(p.hosts.map((h) => h.name)).toEqual(['a']);
    expect(p.problems).toEqual([{ line: 3, message: 'x.csv:3: b: Address "bad address" is not a host name or an IP address.' }]);
  });
});
