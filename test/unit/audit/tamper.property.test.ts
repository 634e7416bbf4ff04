/**
 * Property tests of the verifier against an attacker with the workspace file: random sequences of edits, deletions,
 * insertions (copies, random rows, rows chained and hashed correctly but signed with a stranger's key), reorderings
 * and cuts of the tail, all with plain SQL on a copy of a real workspace. The oracle is the first position where the
 * stored trail differs from the original: verification must name exactly that event; a trail that is only shorter
 * verifies, and the checkpoint taken before catches it; an untouched trail always verifies.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHash, hashBytes } from '../../../main/audit/canonical.js';
import { checkCheckpoint, makeCheckpoint } from '../../../main/audit/checkpoint.js';
import { recordAudit } from '../../../main/audit/trail.js';
import { verifyTrail } from '../../../main/audit/verify.js';
import { openWorkspace } from '../../../main/store/db.js';
import type { AuditEventRow } from '../../../main/store/repos/audit.js';
import type { Checkpoint } from '../../../shared/model/audit.js';
import { tempDir } from '../store/helpers.js';
import { trailWorkspace } from './helpers.js';
import { allRows, attacker, deleteRow, insertAt, swapSeq, truncate, updateField } from './tamper.js';

const COLUMNS = [
  'id',
  'at',
  'actor_id',
  'actor_name',
  'action',
  'object_type',
  'object_id',
  'reason',
  'before',
  'after',
  'details',
  'prev_hash',
  'hash',
  'signature',
] as const;
const stranger = generateKeyPairSync('ed25519').privateKey;

type Op =
  | { kind: 'update'; at: number; column: (typeof COLUMNS)[number]; from: number; text: string }
  | { kind: 'delete'; at: number }
  | { kind: 'insert'; at: number; forgery: 'copy' | 'random' | 'stranger'; from: number; text: string }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'truncate'; keep: number };

const frac = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('update' as const),
    at: frac,
    column: fc.constantFrom(...COLUMNS),
    from: frac,
    text: fc.string({ maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: frac }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: frac,
    forgery: fc.constantFrom('copy' as const, 'random' as const, 'stranger' as const),
    from: frac,
    text: fc.string({ maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant('swap' as const), a: frac, b: frac }),
  fc.record({ kind: fc.constant('truncate' as const), keep: frac }),
);

const pick = (n: number, f: number) => Math.min(n - 1, Math.floor(f * n));

/** A row chained and hashed correctly after `prev`, claiming `claim`'s name and id, signed with a stranger's key. */
function strangerRow(prev: AuditEventRow | undefined, seq: number, claim: AuditEventRow): AuditEventRow {
  const prevHash = prev?.hash ?? '0'.repeat(64);
  const row = { ...claim, seq, id: randomUUID(), reason: 'forged', prev_hash: prevHash };
  const hash = eventHash({
    seq,
    id: row.id,
    at: row.at,
    actor: { personId: row.actor_id, name: row.actor_name },
    action: row.action,
    object: { type: row.object_type, id: row.object_id },
    reason: row.reason,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
    details: row.details === null ? null : JSON.parse(row.details),
    prev_hash: prevHash,
  });
  return { ...row, hash, signature: sign(null, hashBytes(hash), stranger).toString('base64') };
}

/** Applies one op with plain SQL; an op SQLite refuses (a duplicate id, a NOT NULL column) changes nothing. */
function apply(db: ReturnType<typeof attacker>, op: Op): void {
  const rows = allRows(db);
  const n = rows.length;
  try {
    switch (op.kind) {
      case 'update': {
        if (n === 0) return;
        const target = rows[pick(n, op.at)]!;
        const donor = rows[pick(n, op.from)]!;
        // Half the time a value taken from another event (plausible), else random text (JSON columns: valid JSON).
        const json = op.column === 'before' || op.column === 'after' || op.column === 'details';
        const value =
          op.text.length % 2 === 0 ? donor[op.column] : json ? JSON.stringify({ t: op.text }) : op.text;
        updateField(db, target.seq, op.column, value);
        return;
      }
      case 'delete':
        if (n > 0) deleteRow(db, rows[pick(n, op.at)]!.seq);
        return;
      case 'insert': {
        const seq = pick(n + 1, op.at) + 1;
        const donor = rows[pick(Math.max(n, 1), op.from)];
        if (!donor) return;
        const row =
          op.forgery === 'copy'
            ? { ...donor, id: randomUUID() }
            : op.forgery === 'random'
              ? { ...donor, id: randomUUID(), reason: op.text, hash: 'f'.repeat(64), signature: 'AAAA' }
              : strangerRow(rows[seq - 2], seq, donor);
        insertAt(db, seq, row);
        return;
      }
      case 'swap':
        if (n > 1) swapSeq(db, rows[pick(n, op.a)]!.seq, rows[pick(n, op.b)]!.seq);
        return;
      case 'truncate':
        if (n > 0) truncate(db, rows[pick(n, op.keep)]!.seq - 1);
        return;
    }
  } catch (e) {
    if (!(e instanceof Error && 'code' in e && String(e.code).startsWith('SQLITE_CONSTRAINT'))) throw e;
  }
}

const same = (a: AuditEventRow, b: AuditEventRow) => a.seq === b.seq && COLUMNS.every((c) => a[c] === b[c]);

describe('audit trail under attack (property)', () => {
  let dir: string;
  let cleanup: () => void;
  let base: string;
  let original: AuditEventRow[];
  let checkpoint: Checkpoint;
  let runs = 0;

  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
    const f = trailWorkspace(dir, 10, 'base.sqlite');
    checkpoint = makeCheckpoint(f.ws, f.alice);
    base = f.ws.path;
    f.ws.close();
    expect(existsSync(`${base}-wal`)).toBe(false);
    const db = attacker(base);
    original = allRows(db);
    db.close();
  });
  afterAll(() => cleanup());

  it('every random sequence of tampering is caught and the first bad event is named', () => {
    const seen = { unchanged: 0, shorter: 0, changed: 0 };
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 4 }), (ops) => {
        const path = join(dir, `run-${++runs}.sqlite`);
        copyFileSync(base, path);
        const db = attacker(path);
        for (const op of ops) apply(db, op);
        const now = allRows(db);
        db.close();

        const ws = openWorkspace(path);
        try {
          const report = verifyTrail(ws);
          const against = checkCheckpoint(ws, checkpoint);
          const i = now.findIndex((r, k) => !original[k] || !same(r, original[k]));
          if (i < 0 && now.length === original.length) {
            // Nothing changed in the end (e.g. a swap undone, a refused op).
            seen.unchanged++;
            expect(report).toEqual({ ok: true, count: original.length, headHash: original.at(-1)!.hash });
            expect(against.ok).toBe(true);
          } else if (i < 0) {
            // Only shorter: a trail cut short verifies alone; the checkpoint catches it.
            seen.shorter++;
            expect(report).toMatchObject({ ok: true, count: now.length });
            expect(against.ok).toBe(false);
            expect(against.reason).toMatch(/cut short after the checkpoint/);
          } else {
            seen.changed++;
            expect(report.ok).toBe(false);
            expect(report.count).toBe(i);
            expect({ seq: report.firstBad!.seq, id: report.firstBad!.id }).toEqual({
              seq: now[i]!.seq,
              id: now[i]!.id,
            });
            expect(against.ok).toBe(false);
          }
        } finally {
          ws.close();
        }
      }),
      { numRuns: 80 },
    );
    // The runs reached every outcome, most of them a trail changed somewhere.
    expect(seen.shorter).toBeGreaterThan(0);
    expect(seen.changed).toBeGreaterThan(20);
  });

  it('an untouched trail of random events always verifies', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const record = fc.record(
      {
        action: fc.constantFrom('finding.edit', 'host.add', 'scan.start', 'review.approve'),
        object: fc.record({
          type: fc.constantFrom('finding', 'host', 'scan'),
          id: fc.string({ minLength: 1, maxLength: 20 }),
        }),
        reason: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
        before: json,
        after: json,
        details: fc.dictionary(fc.constantFrom('count', 'version', 'hosts', 'note'), json),
      },
      { requiredKeys: ['action', 'object'] },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), record), { maxLength: 12 }), (events) => {
        const f = trailWorkspace(dir, 0, `clean-${++runs}.sqlite`);
        try {
          const rec = recordAudit(f.ws);
          for (const [byAlice, r] of events) rec(byAlice ? f.alice : f.bob, r);
          const report = verifyTrail(f.ws);
          expect(report).toEqual({
            ok: true,
            count: events.length + 2,
            headHash: f.ws.audit.hashAt(events.length + 2),
          });
        } finally {
          f.ws.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
