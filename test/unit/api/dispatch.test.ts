import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../main/api/handlers.js';
import { unavailableServices } from '../../../main/api/load-services.js';
import { createDispatch } from '../../../main/api/registry.js';
import { EventHub } from '../../../main/api/event-hub.js';
import type { Services } from '../../../main/api/services.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { TEST_APP, engagement, memoryLogger } from './helpers.js';

function setup(overrides: Partial<Services>) {
  const log = memoryLogger();
  const services: Services = { ...unavailableServices(), ...overrides };
  return { log, dispatch: createDispatch(createHandlers(services, TEST_APP), log) };
}

const ctx = { transport: 'http' as const };
const seen: unknown[] = [];
const engagements: Services['engagements'] = {
  list: (i) => {
    seen.push(i);
    return { engagements: [engagement('e1', 'Acme')] };
  },
  create: (i) => ({ ...engagement('e2', i.name), internalSecret: 'x' }),
  get: ({ engagementId }) => {
    throw new FoureyesError('not_found', `engagement ${engagementId} not found`, { engagementId });
  },
  archive: () => {
    throw new Error('SQLITE_CORRUPT at /home/alice/secret/workspace.sqlite');
  },
};

describe('dispatch', () => {
  it('validates input, applies defaults and returns the value', async () => {
    const { dispatch } = setup({ engagements });
    const r = await dispatch('engagement.list', {}, ctx);
    expect(r).toEqual({ ok: true, value: { engagements: [engagement('e1', 'Acme')] } });
    expect(seen.at(-1)).toEqual({ includeArchived: false });
  });

  it('answers app.info without services', async () => {
    const { dispatch } = setup({});
    const r = await dispatch('app.info', undefined, ctx);
    expect(r).toMatchObject({ ok: true, value: { name: 'Foureyes', version: '9.9.9', mode: 'browser' } });
  });

  it('refuses bad input with bad_input: a sentence naming the field by its label, its path in details', async () => {
    const { dispatch } = setup({ engagements });
    const cases: [string, unknown, string, string][] = [
      [
        'scan.start',
        { engagementId: 'e1', hostIds: ['ok', 'not ok!'] },
        'Host ids (item 2) must be an id of letters, digits, - and _ (got "not ok!").',
        'hostIds[1]',
      ],
      ['scan.start', { engagementId: 'e1' }, 'Host ids is required.', 'hostIds'],
      [
        'host.add',
        { engagementId: 'e1', host: { name: 'a', address: 'a', user: 'u', port: 0 } },
        'Port must be a whole number from 1 to 65535 (got 0).',
        'host.port',
      ],
      ['host.add', { engagementId: 'e1', host: { name: ' ', address: 'a', user: 'u' } }, 'Host name is required.', 'host.name'],
      [
        'host.add',
        { engagementId: 'e1', host: { name: 'a', address: 'a', user: 'u', port: 'abc' } },
        'Port must be a whole number from 1 to 65535 (got "abc").',
        'host.port',
      ],
      [
        'host.update',
        { hostId: 'h1', changes: { user: 'bad user' } },
        'User must be a login name: letters, digits and _ . @ - (got "bad user").',
        'changes.user',
      ],
      ['host.update', { hostId: 'h1', changes: {} }, 'Give at least one field to change.', 'changes'],
      ['engagement.list', { includeArchived: true, evil: 1 }, 'Unknown field "evil".', 'evil'],
      ['engagement.create', 'just a string', 'The input must be an object (got "just a string").', '(input)'],
      [
        'engagement.create',
        { name: 'x'.repeat(201) },
        'Engagement name must be at most 200 characters (this one has 201).',
        'name',
      ],
    ];
    for (const [method, input, message, field] of cases) {
      const r = await dispatch(method, input, ctx);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.error.code).toBe('bad_input');
      expect(r.error.message).toBe(message);
      expect(r.error.details?.field).toBe(field);
      expect(typeof r.error.details?.issue).toBe('string');
    }
  });

  it('reports every refused field of one input, one sentence each, and no zod wording', async () => {
    const { dispatch } = setup({ engagements });
    const r = await dispatch(
      'host.add',
      { engagementId: 'e1', host: { name: '', address: '-oProxyCommand=x', user: 'a b', port: 'abc' } },
      ctx,
    );
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'bad_input',
        message:
          'Host name is required. Address must be a host name or an IP address (got "-oProxyCommand=x"). ' +
          'Port must be a whole number from 1 to 65535 (got "abc"). ' +
          'User must be a login name: letters, digits and _ . @ - (got "a b").',
        details: { field: 'host.name', issue: 'too_small' },
      },
    });
    const many = await dispatch('scan.start', { engagementId: 'e1', hostIds: ['a!', 'b!', 'c!', 'd!', 'e!', 'f!'] }, ctx);
    expect(many.ok).toBe(false);
    if (many.ok) return;
    expect(many.error.message).toMatch(/\(item 4\)[^]*\. 2 more problems not shown\.$/);
    const long = await dispatch('engagement.list', { ['k'.repeat(10_000)]: 1 }, ctx);
    expect(long.ok).toBe(false);
    if (long.ok) return;
    expect(long.error.message).toBe(`Unknown field "${'k'.repeat(60)}"….`);
    expect(String(long.error.details?.field)).toHaveLength(200);
    for (const reply of [r, many])
      expect(JSON.stringify(reply)).not.toMatch(/Too small|Too big|Invalid input|expected (string|number)|received/);
  });

  it('refuses unknown methods, including prototype names', async () => {
    const { dispatch } = setup({});
    for (const m of ['nope.nothing', '__proto__', 'constructor', 'toString']) {
      const r = await dispatch(m, {}, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
  });

  it('passes a FoureyesError through with its code, message and details', async () => {
    const { dispatch, log } = setup({ engagements });
    const r = await dispatch('engagement.get', { engagementId: 'e9' }, ctx);
    expect(r).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'engagement e9 not found', details: { engagementId: 'e9' } },
    });
    expect(log.entries).toEqual([]);
  });

  it('turns an unexpected error into a generic internal reply; the stack goes to the log only', async () => {
    const { dispatch, log } = setup({ engagements });
    const r = await dispatch('engagement.archive', { engagementId: 'e1' }, ctx);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('internal');
    expect(r.error.message).not.toMatch(/SQLITE|alice|secret|at |\.ts/);
    const ref = /ref ([0-9a-f]{8})/.exec(r.error.message)?.[1];
    expect(ref).toBeDefined();
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]!.fields).toMatchObject({ ref, method: 'engagement.archive' });
    expect(String(log.entries[0]!.fields.error)).toContain('SQLITE_CORRUPT');
    expect(String(log.entries[0]!.fields.error)).toContain('dispatch.test.ts');
  });

  it('strips fields the contract does not name from outputs', async () => {
    const { dispatch } = setup({ engagements });
    const r = await dispatch('engagement.create', { name: '  Acme  ' }, ctx);
    expect(r).toEqual({ ok: true, value: engagement('e2', 'Acme') });
  });

  it('reports an output that breaks the contract as internal', async () => {
    const { dispatch, log } = setup({
      catalogue: { list: () => ({ version: 1 }) as never },
    });
    const r = await dispatch('catalogue.list', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(log.entries[0]!.message).toContain('does not match the contract');
  });

  it('says clearly when the services are not composed yet', async () => {
    const { dispatch } = setup({});
    const r = await dispatch('host.list', { engagementId: 'e1' }, ctx);
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('host.list is not available') },
    });
  });
});

describe('EventHub', () => {
  it('delivers valid events and drops invalid ones with a log entry', () => {
    const log = memoryLogger();
    const hub = new EventHub(log);
    const got: unknown[] = [];
    const off = hub.subscribe((e) => got.push(e));
    const progress = {
      scanId: 's1',
      hostRunId: 'r1',
      hostId: 'h1',
      host: 'db01',
      state: 'collecting',
    } as const;
    hub.emit('scan.progress', progress);
    hub.emit('scan.progress', { ...progress, state: 'exploded' } as never);
    hub.emit('nope' as never, {} as never);
    off();
    hub.emit('scan.progress', progress);
    expect(got).toEqual([{ event: 'scan.progress', payload: progress }]);
    expect(log.entries.map((e) => e.message)).toEqual([
      'event dropped: payload does not match the event map',
      'event dropped: unknown event name',
    ]);
  });
});
