import { describe, expect, expectTypeOf, it } from 'vitest';
import { CONTRACT, METHOD_NAMES, type MethodOutput } from '../../../shared/api/contract.js';
import { EVENTS, EVENT_NAMES } from '../../../shared/api/events.js';
import { clientMethodNames, createApiClient, type ApiTransport } from '../../../shared/api/client-core.js';
import type { Reply } from '../../../shared/api/reply.js';
import type { AuthMethodSchema } from '../../../shared/api/schemas/workspace.js';
import { HostInputSchema } from '../../../shared/api/schemas/workspace.js';
import type { CheckResultSchema } from '../../../shared/api/schemas/results.js';
import type { AuthMethod } from '../../../shared/model/target.js';
import type { CheckResult } from '../../../shared/model/results.js';
import type { z } from 'zod';

describe('API contract', () => {
  it('has exactly the methods of the name list, each namespace.verb with a doc', () => {
    expect(Object.keys(CONTRACT).sort()).toEqual([...METHOD_NAMES].sort());
    for (const name of METHOD_NAMES) {
      expect(name).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
      expect(CONTRACT[name].doc.length).toBeGreaterThan(10);
    }
  });

  it('has exactly the events of the name list', () => {
    expect(Object.keys(EVENTS).sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('mirrors the domain types of shared/model', () => {
    expectTypeOf<z.infer<typeof AuthMethodSchema>>().toEqualTypeOf<AuthMethod>();
    expectTypeOf<z.infer<typeof CheckResultSchema>>().toEqualTypeOf<CheckResult>();
  });

  it('refuses unknown fields and option-like addresses at the boundary', () => {
    const base = { name: 'db01', address: 'db01.example', user: 'audit' };
    expect(HostInputSchema.parse(base)).toMatchObject({
      port: 22,
      auth: { type: 'agent' },
      privilege: 'auto',
    });
    expect(HostInputSchema.safeParse({ ...base, address: '-oProxyCommand=x' }).success).toBe(false);
    expect(HostInputSchema.safeParse({ ...base, user: '-l' }).success).toBe(false);
    expect(HostInputSchema.safeParse({ ...base, shell: 'x' }).success).toBe(false);
    expect(HostInputSchema.safeParse({ ...base, address: 'fe80::1%eth0' }).success).toBe(true);
    expect(HostInputSchema.safeParse({ ...base, port: 70000 }).success).toBe(false);
  });
});

describe('createApiClient', () => {
  const calls: [string, unknown][] = [];
  const transport: ApiTransport = {
    call: async (method, input) => {
      calls.push([method, input]);
      return { ok: true, value: { scanId: 's1' } };
    },
    on: () => () => undefined,
  };
  const api = createApiClient(transport);

  it('has one function per contract method, grouped by namespace', () => {
    expect(clientMethodNames(api)).toEqual([...METHOD_NAMES].sort());
  });

  it('forwards the method name and input; omitted input becomes {}', async () => {
    const r = await api.scan.start({ engagementId: 'e1', hostIds: ['h1'] });
    expectTypeOf(r).toEqualTypeOf<Reply<MethodOutput<'scan.start'>>>();
    await api.app.info();
    expect(calls).toEqual([
      ['scan.start', { engagementId: 'e1', hostIds: ['h1'] }],
      ['app.info', {}],
    ]);
  });

  it('subscribes only to contract events', () => {
    expect(() => api.on('nope' as 'scan.progress', () => undefined)).toThrow(/unknown event/);
    expect(typeof api.on('scan.progress', () => undefined)).toBe('function');
  });
});
