import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCheckpoint, makeCheckpoint } from '../../../main/audit/checkpoint.js';
import { GENESIS_HASH } from '../../../main/audit/canonical.js';
import { recordAudit } from '../../../main/audit/trail.js';
import { openWorkspace } from '../../../main/store/db.js';
import { tempDir } from '../store/helpers.js';
import { trailWorkspace, type TrailFixture } from './helpers.js';
import { allRows, attacker, truncate, updateField } from './tamper.js';

describe('audit trail: checkpoints', () => {
  let dir: string;
  let cleanup: () => void;
  let f: TrailFixture;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    f = trailWorkspace(dir, 6);
  });
  afterEach(() => {
    f.ws.close();
    cleanup();
  });

  const tampered = (fn: (db: ReturnType<typeof attacker>) => void) => {
    const path = f.ws.path;
    f.ws.close();
    const db = attacker(path);
    fn(db);
    db.close();
    f.ws = openWorkspace(path);
  };

  it('a checkpoint holds the count and head, signed; the trail checks against it and may grow after it', () => {
    const cp = makeCheckpoint(f.ws, f.bob);
    expect(cp).toMatchObject({ count: 8, signer: f.bob.actor });
    expect(cp.headHash).toBe(f.ws.audit.hashAt(8));
    expect(checkCheckpoint(f.ws, cp)).toMatchObject({ ok: true, trail: { ok: true, count: 8 } });
    recordAudit(f.ws)(f.alice, { action: 'engagement.edit', object: { type: 'engagement', id: 'e' } });
    expect(checkCheckpoint(f.ws, cp)).toMatchObject({ ok: true, trail: { count: 9 } });
  });

  it('a trail cut short after the checkpoint is caught, saying how many events are missing', () => {
    const cp = makeCheckpoint(f.ws, f.alice);
    tampered((db) => truncate(db, 5));
    const r = checkCheckpoint(f.ws, cp);
    expect(r.ok).toBe(false);
    expect(r.trail).toMatchObject({ ok: true, count: 5 });
    expect(r.reason).toBe(
      `the trail holds 5 events but the checkpoint signed by Alice at ${cp.at} counted 8: it was cut short after the checkpoint (events 6 to 8 are missing)`,
    );
  });

  it('a changed checkpoint, a signature by someone else and an edited trail are each refused', () => {
    const cp = makeCheckpoint(f.ws, f.alice);
    expect(checkCheckpoint(f.ws, { ...cp, count: 7 }).reason).toMatch(/does not carry Alice's signature/);
    expect(checkCheckpoint(f.ws, { ...cp, signer: f.bob.actor }).reason).toMatch(
      /does not carry Bob's signature/,
    );
    expect(checkCheckpoint(f.ws, { ...cp, signer: { personId: 'x', name: 'X' } }).reason).toMatch(
      /not a person of this workspace/,
    );
    expect(checkCheckpoint(f.ws, { ...cp, headHash: 'zz' }).reason).toBe('the checkpoint is malformed');
    tampered((db) => updateField(db, 3, 'reason', 'edited'));
    expect(checkCheckpoint(f.ws, cp).reason).toMatch(
      /^event 3 fails verification: its content does not match its hash/,
    );
    expect(() => makeCheckpoint(f.ws, f.alice)).toThrow(
      /the audit trail does not verify \(event 3: .*\); no checkpoint is signed over it/,
    );
  });

  it('a trail rebuilt up to the checkpoint (all of it re-signed by its own people) differs at the head', () => {
    const cp = makeCheckpoint(f.ws, f.alice);
    // Alice and Bob rewrite history from event 3 on: a valid trail, but not the one the checkpoint saw.
    const rows = allRows(f.ws.db);
    tampered((db) => truncate(db, 2));
    const record = recordAudit(f.ws);
    for (const r of rows.slice(2))
      record(r.actor_name === 'Alice' ? f.alice : f.bob, {
        action: r.action,
        object: { type: r.object_type, id: r.object_id },
        reason: 'rewritten',
      });
    const res = checkCheckpoint(f.ws, cp);
    expect(res.trail.ok).toBe(true);
    expect(res.reason).toMatch(
      /^event 8 is not the one the checkpoint signed by Alice at .* ended at: the trail was rewritten up to it$/,
    );
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });
});
