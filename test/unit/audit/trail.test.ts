import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH } from '../../../main/audit/canonical.js';
import { recordAudit } from '../../../main/audit/trail.js';
import { verifyTrail } from '../../../main/audit/verify.js';
import type { AuditEventRow } from '../../../main/store/repos/audit.js';
import { tempDir } from '../store/helpers.js';
import { trailWorkspace, type TrailFixture } from './helpers.js';

describe('audit trail: recording', () => {
  let dir: string;
  let cleanup: () => void;
  let f: TrailFixture;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    f = trailWorkspace(dir, 4);
  });
  afterEach(() => {
    f.ws.close();
    cleanup();
  });
  const rows = () => f.ws.db.prepare('SELECT * FROM audit_event ORDER BY seq').all() as AuditEventRow[];

  it('numbers events from 1, chains each to the one before from the genesis value, stores canonical JSON', () => {
    const all = rows();
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i]!.prev_hash).toBe(all[i - 1]!.hash);
    expect(all[2]!.after).toBe('{"n":1,"tags":["a","ü"],"title":"t1"}');
    expect(all[2]!.details).toBe('{"catalogueVersion":"2026.03","count":0}');
    expect(all[3]!.details).toBeNull();
    expect(all[2]).toMatchObject({
      actor_name: 'Alice',
      action: 'finding.edit',
      object_type: 'finding',
      reason: 'because 0',
    });
    // The hash is the SHA-256 of the canonical fields, recomputable from the row alone.
    const r = all[4]!;
    expect(
      eventHash({
        seq: r.seq,
        id: r.id,
        at: r.at,
        actor: { personId: r.actor_id, name: r.actor_name },
        action: r.action,
        object: { type: r.object_type, id: r.object_id },
        reason: r.reason,
        before: JSON.parse(r.before!),
        after: JSON.parse(r.after!),
        details: r.details === null ? null : JSON.parse(r.details),
        prev_hash: r.prev_hash,
      }),
    ).toBe(r.hash);
    expect(verifyTrail(f.ws)).toEqual({ ok: true, count: 6, headHash: all[5]!.hash });
  });

  it("appends inside the caller's transaction: a rollback takes the event with it; nested calls are savepoints", () => {
    const record = recordAudit(f.ws);
    expect(() =>
      f.ws.tx(() => {
        record(f.alice, { action: 'engagement.edit', object: { type: 'engagement', id: 'e1' } });
        throw new Error('the change failed');
      }),
    ).toThrow('the change failed');
    expect(f.ws.audit.count()).toBe(6);
    f.ws.tx(() => {
      record(f.alice, { action: 'engagement.edit', object: { type: 'engagement', id: 'e1' } });
      try {
        f.ws.tx(() => {
          record(f.bob, { action: 'host.edit', object: { type: 'host', id: 'h1' } });
          throw new Error('inner');
        });
      } catch {
        // the inner savepoint is rolled back, the outer event stays
      }
      record(f.bob, { action: 'host.delete', object: { type: 'host', id: 'h2' } });
    });
    expect(
      rows()
        .slice(6)
        .map((r) => [r.seq, r.action]),
    ).toEqual([
      [7, 'engagement.edit'],
      [8, 'host.delete'],
    ]);
    expect(verifyTrail(f.ws).ok).toBe(true);
  });

  it('refuses a record holding a secret, naming where, and stores nothing', () => {
    const record = recordAudit(f.ws);
    const pem =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    const cases: [Parameters<typeof record>[1], string][] = [
      [
        { action: 'host.edit', object: { type: 'host', id: 'h' }, after: { auth: { password: 'x' } } },
        'after.auth.password',
      ],
      [
        { action: 'host.edit', object: { type: 'host', id: 'h' }, before: { sudoPassphrase: 'x' } },
        'before.sudoPassphrase',
      ],
      [
        { action: 'person.add', object: { type: 'person', id: 'p' }, after: { privateKey: 'x' } },
        'after.privateKey',
      ],
      [
        { action: 'host.edit', object: { type: 'host', id: 'h' }, details: { private_key: 'x' } },
        'details.private_key',
      ],
      [
        { action: 'host.edit', object: { type: 'host', id: 'h' }, details: { clientSecret: 'x' } },
        'details.clientSecret',
      ],
      [
        { action: 'host.edit', object: { type: 'host', id: 'h' }, after: { notes: ['ok', pem] } },
        'after.notes[1]',
      ],
      [{ action: 'host.edit', object: { type: 'host', id: 'h' }, reason: `pasted ${pem}` }, 'reason'],
    ];
    for (const [rec, where] of cases)
      expect(() => record(f.alice, rec)).toThrow(
        `audit event ${rec.action} refused: ${where} looks like a secret (a password, passphrase or private key), which never goes into the trail`,
      );
    // A public key and the word "password" as a value are not secrets.
    record(f.alice, {
      action: 'host.edit',
      object: { type: 'host', id: 'h' },
      after: { auth: { type: 'password' }, key: '-----BEGIN PUBLIC KEY-----' },
    });
    expect(f.ws.audit.count()).toBe(7);
  });

  it('refuses a malformed record and an Acting whose key is not the named person', () => {
    const record = recordAudit(f.ws);
    expect(() => record(f.alice, { action: 'Edit', object: { type: 'host', id: 'h' } })).toThrow(
      /not a dotted verb/,
    );
    expect(() => record(f.alice, { action: 'host.edit', object: { type: '', id: 'h' } })).toThrow(
      /object type and id/,
    );
    expect(() =>
      record(f.alice, { action: 'host.edit', object: { type: 'h', id: 'h' }, after: { n: NaN } }),
    ).toThrow(/after is not plain JSON/);
    const forged = { actor: f.alice.actor, sign: f.bob.sign };
    expect(() => record(forged, { action: 'host.edit', object: { type: 'host', id: 'h' } })).toThrow(
      "audit event host.edit: the signature is not Alice's (it does not verify with their public key)",
    );
    const stranger = { actor: { personId: 'nobody', name: 'Mallory' }, sign: f.bob.sign };
    expect(() => record(stranger, { action: 'host.edit', object: { type: 'host', id: 'h' } })).toThrow(
      /the acting person Mallory is not known/,
    );
    expect(f.ws.audit.count()).toBe(6);
  });
});
