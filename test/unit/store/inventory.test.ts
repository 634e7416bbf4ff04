import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFoureyesError } from '../../../shared/model/errors.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { tempDir } from './helpers.js';

const FP1 = `SHA256:${'A'.repeat(43)}`;
const FP2 = `SHA256:${'B'.repeat(43)}`;

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isFoureyesError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a FoureyesError');
}

describe('engagements, hosts and host keys', () => {
  let cleanup: () => void;
  let ws: Workspace;
  let path: string;
  let clock = 0;
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'w.sqlite');
    clock = Date.parse('2026-03-01T00:00:00Z');
    ws = openWorkspace(path, { now: () => new Date((clock += 1000)) });
  });
  afterEach(() => {
    ws.close();
    cleanup();
  });

  it('creates, lists newest first, updates, archives and unarchives engagements', () => {
    const a = ws.engagements.create({ name: 'Alpha', customer: 'A Corp', scope: '10.0.0.0/24' });
    const b = ws.engagements.create({ name: 'Beta' });
    expect(a).toMatchObject({
      name: 'Alpha',
      customer: 'A Corp',
      scope: '10.0.0.0/24',
      description: null,
      archivedAt: null,
    });
    expect(ws.engagements.list().map((e) => e.name)).toEqual(['Beta', 'Alpha']);
    expect(ws.engagements.update(a.id, { description: 'yearly' }).description).toBe('yearly');
    const archived = ws.engagements.archive(a.id);
    expect(archived.archivedAt).toBe('2026-03-01T00:00:03.000Z');
    expect(ws.engagements.archive(a.id).archivedAt).toBe(archived.archivedAt);
    expect(ws.engagements.list().map((e) => e.id)).toEqual([b.id]);
    expect(ws.engagements.list({ includeArchived: true })).toHaveLength(2);
    expect(errorOf(() => ws.hosts.add(a.id, { name: 'x', address: 'x', user: 'u' }))).toEqual({
      code: 'bad_input',
      message: 'engagement "Alpha" is archived (read-only)',
    });
    expect(ws.engagements.unarchive(a.id).archivedAt).toBeNull();
    expect(errorOf(() => ws.engagements.create({ name: '  ' })).code).toBe('bad_input');
    expect(errorOf(() => ws.engagements.require('nope')).code).toBe('not_found');
  });

  it('adds hosts with defaults, finds them by name, refuses duplicates and secrets', () => {
    const e = ws.engagements.create({ name: 'E' });
    const h = ws.hosts.add(e.id, {
      name: 'db01',
      address: 'db01.example',
      user: 'audit',
      tags: ['db', 'prod'],
    });
    expect(h).toMatchObject({
      engagementId: e.id,
      port: 22,
      auth: { type: 'agent' },
      privilege: 'auto',
      jumpHostId: null,
      pinnedFingerprint: null,
      tags: ['db', 'prod'],
    });
    expect(ws.hosts.getByName(e.id, 'db01')).toEqual(h);
    expect(ws.hosts.getByName(e.id, 'DB01')).toBeUndefined();
    expect(errorOf(() => ws.hosts.add(e.id, { name: 'db01', address: 'other', user: 'u' }))).toEqual({
      code: 'bad_input',
      message: 'host "db01" already exists in engagement "E"',
    });
    const withSecret = {
      name: 'x',
      address: 'x',
      user: 'u',
      auth: { type: 'password', password: 'hunter2' },
    };
    expect(errorOf(() => ws.hosts.add(e.id, withSecret as never)).code).toBe('bad_input');
    const raw = ws.db.prepare('SELECT count(*) AS n FROM host WHERE auth_method LIKE ?').get('%hunter2%') as {
      n: number;
    };
    expect(raw.n).toBe(0);
    expect(
      errorOf(() => ws.hosts.add(e.id, { name: 'p', address: '-oProxyCommand=x', user: 'u' })).code,
    ).toBe('bad_input');
    // the same name in another engagement is fine
    const e2 = ws.engagements.create({ name: 'E2' });
    expect(ws.hosts.add(e2.id, { name: 'db01', address: 'db01', user: 'u' }).engagementId).toBe(e2.id);
    expect(ws.hosts.list(e.id).map((x) => x.name)).toEqual(['db01']);
  });

  it('addMany is all or nothing', () => {
    const e = ws.engagements.create({ name: 'E' });
    const bad = [
      { name: 'a', address: 'a', user: 'u' },
      { name: 'b', address: 'b', user: 'u' },
      { name: 'a', address: 'c', user: 'u' },
    ];
    expect(errorOf(() => ws.hosts.addMany(e.id, bad)).message).toMatch(/"a" already exists/);
    expect(ws.hosts.list(e.id)).toEqual([]);
    expect(ws.hosts.addMany(e.id, bad.slice(0, 2)).map((h) => h.name)).toEqual(['a', 'b']);
  });

  it('jump hosts: same engagement only, no loops, resolved first hop first, protected from removal', () => {
    const e = ws.engagements.create({ name: 'E' });
    const bastion = ws.hosts.add(e.id, { name: 'bastion', address: 'b', user: 'u' });
    const inner = ws.hosts.add(e.id, { name: 'inner', address: 'i', user: 'u', jumpHostId: bastion.id });
    const db = ws.hosts.add(e.id, { name: 'db', address: 'd', user: 'u', jumpHostId: inner.id });
    expect(ws.hosts.jumpChain(db.id).map((h) => h.name)).toEqual(['bastion', 'inner']);
    expect(ws.hosts.jumpChain(bastion.id)).toEqual([]);
    expect(errorOf(() => ws.hosts.update(bastion.id, { jumpHostId: db.id })).message).toBe(
      'jump host "db" leads back to this host (a loop)',
    );
    const other = ws.engagements.create({ name: 'Other' });
    const foreign = ws.hosts.add(other.id, { name: 'f', address: 'f', user: 'u' });
    expect(errorOf(() => ws.hosts.update(db.id, { jumpHostId: foreign.id })).message).toMatch(
      /not a host of this engagement/,
    );
    expect(errorOf(() => ws.hosts.remove(inner.id)).message).toBe(
      'host "inner" is the jump host of "db"; change those first',
    );
    ws.hosts.update(db.id, { jumpHostId: null, port: 2222 });
    expect(ws.hosts.require(db.id)).toMatchObject({ jumpHostId: null, port: 2222, name: 'db' });
    ws.hosts.remove(inner.id);
    expect(ws.hosts.get(inner.id)).toBeUndefined();
  });

  it('renaming onto an existing name is refused; pinning checks the fingerprint format', () => {
    const e = ws.engagements.create({ name: 'E' });
    const a = ws.hosts.add(e.id, { name: 'a', address: 'a', user: 'u' });
    ws.hosts.add(e.id, { name: 'b', address: 'b', user: 'u' });
    expect(errorOf(() => ws.hosts.update(a.id, { name: 'b' })).message).toBe(
      'host "b" already exists in engagement "E"',
    );
    expect(ws.hosts.pin(a.id, FP1).pinnedFingerprint).toBe(FP1);
    expect(errorOf(() => ws.hosts.pin(a.id, 'MD5:aa:bb')).code).toBe('bad_input');
    expect(ws.hosts.pin(a.id, null).pinnedFingerprint).toBeNull();
  });

  it('a pinned key is dropped when the address or port changes, kept for any other change', () => {
    const e = ws.engagements.create({ name: 'E' });
    const a = ws.hosts.add(e.id, { name: 'a', address: '10.0.0.1', user: 'u' });
    ws.hosts.pin(a.id, FP1);
    expect(
      ws.hosts.update(a.id, { name: 'renamed', user: 'v', tags: ['x'], address: '10.0.0.1' })
        .pinnedFingerprint,
    ).toBe(FP1);
    expect(ws.hosts.update(a.id, { port: 2222 }).pinnedFingerprint).toBeNull();
    ws.hosts.pin(a.id, FP2);
    expect(ws.hosts.update(a.id, { address: '10.0.0.2' }).pinnedFingerprint).toBeNull();
  });

  it('records accepted host keys once each, keeps history, and reports the newest per key type', () => {
    const e = ws.engagements.create({ name: 'E' });
    const h = ws.hosts.add(e.id, { name: 'a', address: 'a', user: 'u' });
    const first = ws.hostKeys.record(h.id, {
      keyType: 'ssh-ed25519',
      fingerprint: FP1,
      acceptedBy: 'anna',
      how: 'accept-new',
    });
    expect(first).toMatchObject({ hostId: h.id, how: 'accept-new', acceptedBy: 'anna' });
    const again = ws.hostKeys.record(h.id, {
      keyType: 'ssh-ed25519',
      fingerprint: FP1,
      acceptedBy: 'bob',
      how: 'pinned',
    });
    expect(again).toEqual(first);
    ws.hostKeys.record(h.id, { keyType: 'ssh-ed25519', fingerprint: FP2, acceptedBy: 'bob', how: 'pinned' });
    ws.hostKeys.record(h.id, { keyType: 'ssh-rsa', fingerprint: FP1, acceptedBy: 'bob', how: 'known_hosts' });
    expect(ws.hostKeys.list(h.id)).toHaveLength(3);
    expect(ws.hostKeys.current(h.id).map((k) => [k.keyType, k.fingerprint])).toEqual([
      ['ssh-ed25519', FP2],
      ['ssh-rsa', FP1],
    ]);
    expect(
      errorOf(() =>
        ws.hostKeys.record(h.id, {
          keyType: 'x',
          fingerprint: FP1,
          acceptedBy: 'a',
          how: 'trust-me' as never,
        }),
      ).code,
    ).toBe('bad_input');
    expect(
      errorOf(() =>
        ws.hostKeys.record('ghost', { keyType: 'x', fingerprint: FP1, acceptedBy: 'a', how: 'pinned' }),
      ).code,
    ).toBe('not_found');
    ws.hosts.remove(h.id);
    expect(ws.hostKeys.list(h.id)).toEqual([]);
  });

  it('a JSON column edited into garbage is a store error naming the row, not a crash later', () => {
    const e = ws.engagements.create({ name: 'E' });
    const h = ws.hosts.add(e.id, { name: 'a', address: 'a', user: 'u' });
    ws.db.prepare(`UPDATE host SET tags = '[1, 2]' WHERE id = ?`).run(h.id);
    const err = errorOf(() => ws.hosts.get(h.id));
    expect(err.code).toBe('store');
    expect(err.message).toContain(`workspace ${path}: host ${h.id}: column tags is malformed`);
  });
});
