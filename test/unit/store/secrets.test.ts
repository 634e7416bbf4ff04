import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFoureyesError } from '../../../shared/model/errors.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { tempDir } from './helpers.js';

describe('stored secrets repository', () => {
  let cleanup: () => void;
  let ws: Workspace;
  let clock = 0;
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    clock = Date.parse('2026-03-01T00:00:00Z');
    ws = openWorkspace(join(dir, 'w.sqlite'), { now: () => new Date((clock += 1000)) });
  });
  afterEach(() => {
    ws.close();
    cleanup();
  });

  const hosts = () => {
    const e = ws.engagements.create({ name: 'Acme' });
    const other = ws.engagements.create({ name: 'Other' });
    const h = (engagementId: string, name: string) =>
      ws.hosts.add(engagementId, { name, address: '10.0.0.1', user: 'audit', auth: { type: 'password' } });
    return { e, a: h(e.id, 'a'), b: h(e.id, 'b'), x: h(other.id, 'x') };
  };

  it('stores, replaces, reads back and forgets ciphertext per host and purpose', () => {
    const { e, a, b, x } = hosts();
    const r = ws.secrets.put(a.id, 'login', Buffer.from([1, 2, 3]), 'alice');
    expect(r).toEqual({
      hostId: a.id,
      purpose: 'login',
      storedAt: '2026-03-01T00:00:06.000Z',
      storedBy: 'alice',
    });
    ws.secrets.put(a.id, 'sudo', Buffer.from([4]), 'alice');
    ws.secrets.put(b.id, 'login', Buffer.from([5]), 'bob');
    ws.secrets.put(x.id, 'login', Buffer.from([6]), 'bob');
    // Replacing keeps one row, with the new blob, time and person.
    const again = ws.secrets.put(a.id, 'login', Buffer.from([9, 9]), 'carol');
    expect(again.storedBy).toBe('carol');
    expect(ws.secrets.blob(a.id, 'login')).toEqual(Buffer.from([9, 9]));
    expect(ws.secrets.blob(b.id, 'sudo')).toBeUndefined();
    const listed = ws.secrets.listForEngagement(e.id).map((s) => [s.hostId, s.purpose]);
    expect(listed).toEqual(
      [
        [a.id, 'login'],
        [a.id, 'sudo'],
        [b.id, 'login'],
      ].sort((p, q) => (p[0]! < q[0]! ? -1 : p[0]! > q[0]! ? 1 : 0)),
    );
    expect(ws.secrets.forget(a.id, 'sudo')).toEqual(['sudo']);
    expect(ws.secrets.forget(a.id, 'sudo')).toEqual([]);
    expect(ws.secrets.list(a.id).map((s) => s.purpose)).toEqual(['login']);
    expect(ws.secrets.forget(b.id)).toEqual(['login']);
    expect(ws.secrets.list(x.id).map((s) => s.purpose)).toEqual(['login']);
  });

  it('refuses an empty blob, an unknown host; a removed host takes its secrets along', () => {
    const { a } = hosts();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return isFoureyesError(err) ? err.code : 'other';
      }
      return 'none';
    };
    expect(code(() => ws.secrets.put(a.id, 'login', Buffer.alloc(0), 'alice'))).toBe('internal');
    expect(code(() => ws.secrets.put('missing', 'login', Buffer.from([1]), 'alice'))).toBe('not_found');
    ws.secrets.put(a.id, 'login', Buffer.from([1]), 'alice');
    ws.hosts.remove(a.id);
    expect(ws.db.prepare('SELECT count(*) AS n FROM stored_secret').get()).toEqual({ n: 0 });
  });

  it('a workspace transaction spans repositories: a failure rolls both back', () => {
    const { a } = hosts();
    ws.secrets.put(a.id, 'login', Buffer.from([1]), 'alice');
    expect(() =>
      ws.tx(() => {
        ws.secrets.forget(a.id);
        ws.hosts.update(a.id, { address: '10.0.0.2' });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(ws.hosts.require(a.id).address).toBe('10.0.0.1');
    expect(ws.secrets.blob(a.id, 'login')).toEqual(Buffer.from([1]));
  });
});
