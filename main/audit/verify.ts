/**
 * Verifying the trail: every event is read in seq order and checked against the one before it. Its seq must follow
 * (no gap, no reordering), its prev_hash must be the previous event's hash, its JSON columns must be canonical,
 * its hash must be the hash of its fields, its actor must be a person of the workspace whose key is the one the
 * trail recorded when they were added, and its signature must verify with that key. The first event that fails any
 * of these is named; nothing after it is trusted. A trail cut short at its end passes here: a checkpoint catches
 * that (checkpoint.ts).
 */
import type { KeyObject } from 'node:crypto';
import type { BadEvent, TrailReport } from '../../shared/model/audit.js';
import type { PublicKeyOf } from '../people/acting.js';
import { fingerprintOf, signatureValid } from '../people/keys.js';
import { publicKeyOf } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';
import { canonicalJson, eventHash, GENESIS_HASH, hashBytes } from './canonical.js';

/** Actions that introduce a person to the trail; their `after.fingerprint` is the key later events are held to. */
export const INTRODUCING = new Set(['person.add', 'person.import']);

const HEX64 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const TEXT = [
  'id',
  'at',
  'actor_id',
  'actor_name',
  'action',
  'object_type',
  'object_id',
  'prev_hash',
  'hash',
  'signature',
] as const;
const JSON_COLUMNS = ['before', 'after', 'details'] as const;

class Bad extends Error {}

export interface VerifyOptions {
  /** Where public keys come from (default: the workspace's person table). */
  publicKeyOf?: PublicKeyOf;
}

/** A JSON column read back: null, or its value when its text is canonical JSON. */
function readJsonColumn(row: Record<string, unknown>, column: string): unknown {
  const text = row[column];
  if (text === null) return null;
  if (typeof text !== 'string') throw new Bad(`its ${column} is not text`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Bad(`its ${column} is not valid JSON`);
  }
  let canonical: string | undefined;
  try {
    canonical = canonicalJson(value);
  } catch {
    canonical = undefined;
  }
  if (canonical !== text) throw new Bad(`its ${column} is not in canonical form (it was rewritten)`);
  return value;
}

export function verifyTrail(ws: Workspace, opts: VerifyOptions = {}): TrailReport {
  const keyOf = opts.publicKeyOf ?? publicKeyOf(ws);
  /** personId -> fingerprint recorded when the trail introduced them. */
  const introduced = new Map<string, string>();
  let prev = GENESIS_HASH;
  let count = 0;
  for (const row of ws.audit.rows()) {
    const expected = count + 1;
    const seq = typeof row.seq === 'number' ? row.seq : Number(row.seq);
    try {
      checkEvent(row, expected, prev, keyOf, introduced);
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      const firstBad: BadEvent = {
        seq,
        id: typeof row.id === 'string' ? row.id : String(row.id),
        reason: e.message,
      };
      return { ok: false, count, headHash: prev, firstBad };
    }
    prev = row.hash as string;
    count = expected;
  }
  return { ok: true, count, headHash: prev };
}

function checkEvent(
  row: Record<string, unknown>,
  expected: number,
  prev: string,
  keyOf: PublicKeyOf,
  introduced: Map<string, string>,
): void {
  if (row.seq !== expected) {
    const found = typeof row.seq === 'number' ? row.seq : NaN;
    if (!(found > expected))
      throw new Bad(`its seq ${String(row.seq)} is out of order (${expected} was due)`);
    const missing =
      found === expected + 1 ? `event ${expected} is` : `events ${expected} to ${found - 1} are`;
    throw new Bad(`${missing} missing before it (seq ${found} where ${expected} was due)`);
  }
  for (const c of TEXT) if (typeof row[c] !== 'string') throw new Bad(`its ${c} is not text`);
  if (row.reason !== null && typeof row.reason !== 'string') throw new Bad('its reason is not text');
  const r = row as Record<(typeof TEXT)[number], string> & { reason: string | null };
  if (r.prev_hash !== prev)
    throw new Bad(`it does not follow the event before it (its prev_hash is not that event's hash)`);
  if (!HEX64.test(r.hash)) throw new Bad('its hash is not a SHA-256 in hex');
  const [before, after, details] = JSON_COLUMNS.map((c) => readJsonColumn(row, c));
  if (details !== null && (typeof details !== 'object' || Array.isArray(details)))
    throw new Bad('its details are not a JSON object');
  const hash = eventHash({
    seq: expected,
    id: r.id,
    at: r.at,
    actor: { personId: r.actor_id, name: r.actor_name },
    action: r.action,
    object: { type: r.object_type, id: r.object_id },
    reason: r.reason,
    before,
    after,
    details: details as Record<string, unknown> | null,
    prev_hash: r.prev_hash,
  });
  if (hash !== r.hash)
    throw new Bad('its content does not match its hash (a field was changed after it was recorded)');

  const key = keyOf(r.actor_id);
  if (!key)
    throw new Bad(`it is signed by ${r.actor_name} (${r.actor_id}), who is not a person of this workspace`);
  checkIntroduced(r, after, key, introduced);
  if (!BASE64.test(r.signature) || !signatureValid(key, hashBytes(hash), Buffer.from(r.signature, 'base64')))
    throw new Bad(`its signature is not ${r.actor_name}'s`);
  if (INTRODUCING.has(r.action) && r.object_type === 'person')
    introduced.set(r.object_id, fingerprintField(after));
}

function fingerprintField(after: unknown): string {
  const fp =
    after !== null && typeof after === 'object'
      ? (after as { fingerprint?: unknown }).fingerprint
      : undefined;
  if (typeof fp !== 'string') throw new Bad("it adds a person without recording their key's fingerprint");
  return fp;
}

/** The actor's key now must be the one the trail recorded when it introduced them (or this event introduces them). */
function checkIntroduced(
  r: { action: string; object_type: string; object_id: string; actor_id: string; actor_name: string },
  after: unknown,
  key: KeyObject,
  introduced: Map<string, string>,
): void {
  const fp = fingerprintOf(key);
  const recorded = introduced.get(r.actor_id);
  const selfIntroduction =
    INTRODUCING.has(r.action) && r.object_type === 'person' && r.object_id === r.actor_id;
  const expected = recorded ?? (selfIntroduction ? fingerprintField(after) : undefined);
  if (expected === undefined)
    throw new Bad(`it is signed by ${r.actor_name}, whom the trail had not added before this event`);
  if (expected !== fp)
    throw new Bad(
      `the key of ${r.actor_name} in this workspace is not the one the trail recorded when they were added`,
    );
}
