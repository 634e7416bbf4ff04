/**
 * The services' audit events: given an acting person, engagement, host, host key and scan changes each append one
 * signed event in the same transaction as the change (before and after, the reason of a key acceptance, the
 * catalogue version of a scan); without one nothing is recorded, as before. A local scan runs for real.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTRACT } from '../../../shared/api/contract.js';
import { verifyTrail } from '../../../main/audit/verify.js';
import { loadCatalogueQuick } from '../../../main/catalogue/catalogue.js';
import type { Acting } from '../../../main/people/acting.js';
import { addPerson, unlock } from '../../../main/people/people.js';
import { engagementService } from '../../../main/services/engagements.js';
import { hostKeyService } from '../../../main/services/host-keys.js';
import { hostService } from '../../../main/services/hosts.js';
import { ensureLocalEngagement, LOCAL_ENGAGEMENT_NAME } from '../../../main/services/local.js';
import { scanService } from '../../../main/services/scans.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import type { AuditEventRow } from '../../../main/store/repos/audit.js';
import { tempDir } from '../store/helpers.js';

const FP = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';

describe('audit events of the services', () => {
  let cleanup: () => void;
  let ws: Workspace;
  let alice: Acting;
  beforeEach(() => {
    let dir: string;
    ({ dir, cleanup } = tempDir());
    ws = openWorkspace(join(dir, 'w.sqlite'));
    addPerson(ws, { name: 'Alice', role: 'consultant', email: 'alice@example.org' }, 'correct horse battery');
    alice = unlock(ws, 'Alice', 'correct horse battery');
  });
  afterEach(() => {
    ws.close();
    cleanup();
  });
  const events = () =>
    (ws.db.prepare('SELECT * FROM audit_event WHERE seq > 1 ORDER BY seq').all() as AuditEventRow[]).map(
      (r) => ({
        action: r.action,
        object: `${r.object_type}:${r.object_id}`,
        actor: r.actor_name,
        reason: r.reason,
        before: r.before === null ? null : (JSON.parse(r.before) as Record<string, unknown>),
        after: r.after === null ? null : (JSON.parse(r.after) as Record<string, unknown>),
        details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
      }),
    );

  it('engagements and hosts: create, archive, add, edit, delete, import; nothing without an acting person', async () => {
    const eng = engagementService(ws);
    const hosts = hostService(ws);
    const silent = await eng.create({ name: 'Unrecorded' });
    await hosts.add({
      engagementId: silent.id,
      host: CONTRACT['host.add'].input.parse({
        engagementId: silent.id,
        host: { name: 'x', address: '10.0.0.9', user: 'u' },
      }).host,
    });
    expect(events()).toEqual([]);

    const e = await eng.create({ name: 'Acme', customer: 'Acme Ltd' }, alice);
    const host = CONTRACT['host.add'].input.parse({
      engagementId: e.id,
      host: { name: 'db01', address: '10.0.0.1', user: 'audit' },
    }).host;
    const h = await hosts.add({ engagementId: e.id, host }, alice);
    await hosts.update({ hostId: h.id, changes: { address: '10.0.0.2' } }, alice);
    const imp = await hosts.import(
      CONTRACT['host.import'].input.parse({
        engagementId: e.id,
        source: 'csv',
        content: 'name,address\nweb01,10.0.0.3\n',
        fileName: 'hosts.csv',
      }),
      alice,
    );
    expect(imp.addedCount).toBe(1);
    await hosts.remove({ hostId: h.id }, alice);
    await eng.archive({ engagementId: e.id }, alice);
    const got = events();
    expect(got.map((x) => [x.action, x.object, x.actor])).toEqual([
      ['engagement.create', `engagement:${e.id}`, 'Alice'],
      ['host.add', `host:${h.id}`, 'Alice'],
      ['host.edit', `host:${h.id}`, 'Alice'],
      ['host.import', `engagement:${e.id}`, 'Alice'],
      ['host.delete', `host:${h.id}`, 'Alice'],
      ['engagement.archive', `engagement:${e.id}`, 'Alice'],
    ]);
    expect(got[2]!.before).toMatchObject({ address: '10.0.0.1' });
    expect(got[2]!.after).toMatchObject({ address: '10.0.0.2' });
    expect(got[2]!.details).toEqual({ storedCredentialsForgotten: ['login', 'sudo'] });
    expect(got[3]!.details).toEqual({ source: 'csv', file: 'hosts.csv', addedCount: 1, problemCount: 0 });
    expect(got[3]!.after).toEqual({ hosts: [{ id: imp.added[0]!.id, name: 'web01' }] });
    expect(got[4]!.before).toMatchObject({ name: 'db01', address: '10.0.0.2' });
    expect(got[5]!.after).toMatchObject({ archivedAt: expect.any(String) });
    expect(verifyTrail(ws)).toMatchObject({ ok: true, count: 7 });
  });

  it('a host key acceptance on record needs a reason, and is recorded with it', async () => {
    const e = ws.engagements.create({ name: 'Acme' });
    const h = ws.hosts.add(e.id, { name: 'db01', address: '10.0.0.1', user: 'audit' });
    const keys = hostKeyService(ws, { knownHostsFiles: [] });
    expect(() => keys.accept({ hostId: h.id, fingerprint: FP }, alice)).toThrow(
      'accepting the host key of db01: a reason is required (how was the key checked?)',
    );
    expect(ws.hosts.require(h.id).pinnedFingerprint).toBeNull();
    await keys.accept(
      { hostId: h.id, fingerprint: FP, reason: 'read to me by the admin on the phone' },
      alice,
    );
    expect(events()).toEqual([
      {
        action: 'host_key.accept',
        object: `host:${h.id}`,
        actor: 'Alice',
        reason: 'read to me by the admin on the phone',
        before: { pinnedFingerprint: null },
        after: { pinnedFingerprint: FP, keyType: 'pinned' },
        details: null,
      },
    ]);
    expect(ws.hostKeys.list(h.id).at(-1)?.acceptedBy).toBe('Alice');
  });

  it('a scan records its start and its end with the catalogue version', async () => {
    ensureLocalEngagement(ws);
    const e = ws.engagements.list().find((x) => x.name === LOCAL_ENGAGEMENT_NAME)!;
    const local = ws.hosts.page(e.id, 0, 10).hosts[0]!;
    const catalogue = await loadCatalogueQuick();
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    const scans = scanService(ws, catalogue, (name) => {
      if (name === 'scan.finished') finished();
    });
    const input = CONTRACT['scan.start'].input.parse({
      engagementId: e.id,
      hostIds: [local.id],
      selection: { checkIds: ['sshd-permit-root-login'] },
    });
    const { scanId } = await scans.start(input, alice);
    await done;
    await scans.shutdown();
    const all = events();
    // The findings the scan made, if this machine fails the check, are recorded between its start and its end.
    expect(all.slice(1, -1).every((x) => x.action.startsWith('finding.') && x.actor === 'Alice')).toBe(true);
    const got = all.filter((x) => x.action.startsWith('scan.'));
    expect([all[0], all.at(-1)]).toEqual(got);
    expect(got.map((x) => [x.action, x.object])).toEqual([
      ['scan.start', `scan:${scanId}`],
      ['scan.finish', `scan:${scanId}`],
    ]);
    expect(got[0]!.details).toEqual({ catalogueVersion: catalogue.version, checkCount: 1, hostCount: 1 });
    expect(got[0]!.after).toEqual({ engagementId: e.id, hostIds: [local.id] });
    expect(got[1]!.details).toMatchObject({ state: 'done', catalogueVersion: catalogue.version });
    expect(verifyTrail(ws)).toMatchObject({ ok: true, count: all.length + 1 });
  });
});
