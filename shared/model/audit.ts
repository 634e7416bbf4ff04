/**
 * The audit trail as read back: one event per action of the workstation, chained by hashes and signed by the person
 * who acted (main/audit/). What a verification says about a trail, and a signed checkpoint of it.
 */
import type { Actor } from './actor.js';

export interface AuditEvent {
  /** Position in the trail, from 1 without gaps. */
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
  /** Hash of the event before (the genesis value for the first), hex SHA-256. */
  prevHash: string;
  /** Hex SHA-256 over the canonical JSON of the fields above (main/audit/canonical.ts). */
  hash: string;
  /** Base64 Ed25519 signature of the hash's bytes by the actor. */
  signature: string;
}

/** The first event that fails verification: its seq and id as stored, and why it fails. */
export interface BadEvent {
  seq: number;
  id: string;
  reason: string;
}

/** The outcome of verifying a trail: how many events were read and the last one's hash (the head). */
export interface TrailReport {
  ok: boolean;
  count: number;
  headHash: string;
  firstBad?: BadEvent;
}

/** A signed statement that the trail held `count` events ending at `headHash` (in exports and review packages). */
export interface Checkpoint {
  count: number;
  headHash: string;
  at: string;
  signer: Actor;
  /** Base64 Ed25519 signature by the signer over the canonical JSON of the other fields. */
  signature: string;
}
