import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, hashBytes } from '../../../main/audit/canonical.js';
import { verifyTrail } from '../../../main/audit/verify.js';
import { fingerprintOf } from '../../../main/people/keys.js';
import { openWorkspace } from '../../../main/store/db.js';
import type { AuditEventRow } from '../../../main/store/repos/audit.js';
import { tempDir } from '../store/helpers.js';
import { trailWorkspace } from './helpers.js';
import { allRows, attacker, deleteRow, insertAt, swapSeq, truncate, updateField } from './tamper.js';

/** A row the attacker builds: chained and hashed correctly, signed with `key`. */
function forgedRow(
  prev: AuditEventRow,
  actor: { id: string; name: string },
  key: ReturnType<typeof generateKeyPairSync>['privateKey'],
  extra: Partial<AuditEventRow> = {},
): AuditEventRow {
  const base = {
    seq: prev.seq + 1,
    id: randomUUID(),
    at: '2026-03-02T00:00:00.000Z',
    actor_id: actor.id,
    actor_name: actor.name,
    action: 'finding.approve',
    object_type: 'finding',
    object_id: 'f1',
    reason: null,
    before: null,
    after: null,
    details: null,
    prev_hash: prev.hash,
    ...extra,
  };
  const hash = eventHash({
    seq: base.seq,
    id: base.id,
    at: base.at,
    actor: { personId: base.actor_id, name: base.actor_name },
    action: base.action,
    object: { type: base.object_type, id: base.object_id },
    reason: base.reason,
    before: base.before === null ? null : JSON.parse(base.before),
    after: base.after === null ? null : JSON.parse(base.after),
    details: null,
    prev_hash: base.prev_hash,
  });
  return { ...base, hash, signature: sign(null, hashBytes(hash), key).toString('base64') };
}

describe('audit trail: verification', () => {
  let dir: string;
  let cleanup: () => void;
  let path: string;
  let orig: AuditEventRow[];
  let db: Database.Database;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    path = join(dir, 'w.sqlite');
    const f = trailWorkspace(dir, 8);
    f.ws.close();
    db = attacker(path);
    orig = allRows(db);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  const verify = () => {
    const ws = openWorkspace(path);
    try {
      return verifyTrail(ws);
    } finally {
      ws.close();
    }
  };
  const firstBad = () => {
    const r = verify();
    expect(r.ok).toBe(false);
    return r.firstBad!;
  };

  it('an untouched trail verifies; its head is the last hash', () => {
    expect(verify()).toEqual({ ok: true, count: 10, headHash: orig[9]!.hash });
  });

  it.each([
    ['reason', 'I changed my mind'],
    ['at', '2020-01-01T00:00:00.000Z'],
    ['actor_name', 'Bob'],
    ['action', 'finding.approve'],
    ['object_id', 'obj-9'],
    ['details', '{"catalogueVersion":"2020.01","count":2}'],
  ])('a changed %s is caught at that event', (column, value) => {
    updateField(db, 5, column, value);
    expect(firstBad()).toEqual({
      seq: 5,
      id: orig[4]!.id,
      reason: 'its content does not match its hash (a field was changed after it was recorded)',
    });
  });

  it('a changed actor, hash, prev_hash, signature or JSON form is caught, each with its reason', () => {
    updateField(db, 4, 'before', '{ "n": 1, "title": "t1" }');
    expect(firstBad()).toMatchObject({
      seq: 4,
      reason: 'its before is not in canonical form (it was rewritten)',
    });
    updateField(db, 4, 'before', orig[3]!.before);
    updateField(db, 4, 'after', '{"n":');
    expect(firstBad()).toMatchObject({ seq: 4, reason: 'its after is not valid JSON' });
    updateField(db, 4, 'after', orig[3]!.after);
    updateField(db, 6, 'signature', orig[7]!.signature);
    expect(firstBad()).toMatchObject({ seq: 6, reason: `its signature is not ${orig[5]!.actor_name}'s` });
    updateField(db, 6, 'signature', 'not base64!');
    expect(firstBad()).toMatchObject({ seq: 6 });
    updateField(db, 6, 'signature', orig[5]!.signature);
    updateField(db, 3, 'hash', orig[4]!.hash);
    expect(firstBad()).toMatchObject({ seq: 3, reason: /does not match its hash/ });
    updateField(db, 3, 'hash', orig[2]!.hash);
    updateField(db, 7, 'prev_hash', orig[1]!.hash);
    expect(firstBad()).toMatchObject({ seq: 7, reason: /does not follow the event before it/ });
    updateField(db, 7, 'prev_hash', orig[5]!.hash);
    expect(verify().ok).toBe(true);
  });

  it('a deletion, an insertion and a reordering name the first event out of place', () => {
    deleteRow(db, 4);
    expect(firstBad()).toEqual({
      seq: 5,
      id: orig[4]!.id,
      reason: 'event 4 is missing before it (seq 5 where 4 was due)',
    });
    deleteRow(db, 5);
    expect(firstBad()).toMatchObject({
      seq: 6,
      reason: 'events 4 to 5 are missing before it (seq 6 where 4 was due)',
    });
    db.prepare('UPDATE audit_event SET seq = seq - 2 WHERE seq > 5').run();
    insertAt(db, 4, orig[3]!);
    insertAt(db, 5, orig[4]!);
    expect(verify().ok).toBe(true);
    swapSeq(db, 3, 6);
    expect(firstBad()).toMatchObject({
      seq: 3,
      id: orig[5]!.id,
      reason: /does not follow the event before it/,
    });
    swapSeq(db, 3, 6);
    insertAt(db, 6, { ...orig[2]!, id: randomUUID() });
    expect(firstBad()).toMatchObject({ seq: 6, reason: /does not follow the event before it/ });
  });

  it('a forged event, chained and hashed correctly, is caught by its signature or its unknown signer', () => {
    const mallory = generateKeyPairSync('ed25519');
    // Claiming to be Alice, signed with another key.
    insertAt(db, 11, forgedRow(orig[9]!, { id: orig[0]!.actor_id, name: 'Alice' }, mallory.privateKey));
    expect(firstBad()).toMatchObject({ seq: 11, reason: "its signature is not Alice's" });
    truncate(db, 10);
    // Someone the workspace does not know.
    insertAt(db, 11, forgedRow(orig[9]!, { id: 'mallory', name: 'Mallory' }, mallory.privateKey));
    expect(firstBad()).toMatchObject({
      seq: 11,
      reason: 'it is signed by Mallory (mallory), who is not a person of this workspace',
    });
    truncate(db, 10);
    // Mallory writes herself into the person table: the trail never added her.
    db.prepare(
      `INSERT INTO person (id, name, name_key, role, email, public_key, private_key, created_at, origin, fingerprint)
       VALUES ('mallory', 'Mallory', 'mallory', 'x', 'm@x', ?, 'x', '2026', 'local', ?)`,
    ).run(mallory.publicKey.export({ type: 'spki', format: 'pem' }), fingerprintOf(mallory.publicKey));
    insertAt(db, 11, forgedRow(orig[9]!, { id: 'mallory', name: 'Mallory' }, mallory.privateKey));
    expect(firstBad()).toMatchObject({
      seq: 11,
      reason: 'it is signed by Mallory, whom the trail had not added before this event',
    });
  });

  it("a person's public key replaced in the person table fails their first event", () => {
    const other = generateKeyPairSync('ed25519');
    db.prepare('UPDATE person SET public_key = ? WHERE id = ?').run(
      other.publicKey.export({ type: 'spki', format: 'pem' }),
      orig[1]!.actor_id,
    );
    expect(firstBad()).toMatchObject({
      seq: 2,
      reason: 'the key of Bob in this workspace is not the one the trail recorded when they were added',
    });
    db.prepare('UPDATE person SET public_key = ? WHERE id = ?').run('garbage', orig[1]!.actor_id);
    expect(firstBad()).toMatchObject({ seq: 2, reason: /who is not a person of this workspace/ });
  });

  it('a trail cut short verifies on its own (a checkpoint catches it) and an empty trail verifies', () => {
    truncate(db, 6);
    expect(verify()).toEqual({ ok: true, count: 6, headHash: orig[5]!.hash });
    truncate(db, 0);
    expect(verify()).toMatchObject({ ok: true, count: 0 });
    expect(canonicalJson({ b: 1, a: [true, null] })).toBe('{"a":[true,null],"b":1}');
  });
});
