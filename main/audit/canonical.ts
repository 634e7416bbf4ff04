/**
 * The canonical form of an audit event: RFC 8785 JSON (the `canonicalize` package) of its fields, hashed with
 * SHA-256. The hash covers everything stored about an event except the hash and the signature themselves, so a
 * change to any field, to its position (seq) or to the event before it (prev_hash) changes it.
 */
import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import type { Actor } from '../../shared/model/actor.js';

type Canonicalize = (value: unknown) => string | undefined;
// A CommonJS package whose types declare an ES default export: Node hands over module.exports itself, a bundler
// or a type-checker may see it under `default`.
const canonicalize = ((canonicalizeModule as unknown as { default?: Canonicalize }).default ??
  canonicalizeModule) as unknown as Canonicalize;

/** `prev_hash` of the first event: no event comes before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** What the hash is computed over (absent values are null). */
export interface HashedEvent {
  seq: number;
  id: string;
  at: string;
  actor: Actor;
  action: string;
  object: { type: string; id: string };
  reason: string | null;
  before: unknown;
  after: unknown;
  details: Record<string, unknown> | null;
  prev_hash: string;
}

/** RFC 8785 canonical JSON text of `value`; throws for a value JSON cannot hold (NaN, a bare function). */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('the value has no JSON form');
  return text;
}

/** Hex SHA-256 of the event's canonical JSON. */
export function eventHash(e: HashedEvent): string {
  const hashed = {
    seq: e.seq,
    id: e.id,
    at: e.at,
    actor: { personId: e.actor.personId, name: e.actor.name },
    action: e.action,
    object: { type: e.object.type, id: e.object.id },
    reason: e.reason,
    before: e.before ?? null,
    after: e.after ?? null,
    details: e.details ?? null,
    prev_hash: e.prev_hash,
  };
  return createHash('sha256').update(canonicalJson(hashed), 'utf8').digest('hex');
}

/** The bytes a signature is made over: the hash itself (32 bytes). */
export const hashBytes = (hex: string): Buffer => Buffer.from(hex, 'hex');
