/**
 * The audit trail as read back: one event per action of the workstation, chained by hashes and signed by the person
 * who acted (main/audit/). What a verification says about a trail, and a signed checkpoint of it. The event and the
 * report are schemas (the types inferred), which the API contract uses as they are.
 */
import { z } from 'zod';
import { ActorSchema, type Actor } from './actor.js';

export const AuditEventSchema = z.object({
  /** Position in the trail, from 1 without gaps. */
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  actor: ActorSchema,
  action: z.string(),
  object: z.object({ type: z.string(), id: z.string() }),
  reason: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  details: z.record(z.string(), z.unknown()).nullable(),
  /** Hash of the event before (the genesis value for the first), hex SHA-256. */
  prevHash: z.string(),
  /** Hex SHA-256 over the canonical JSON of the fields above (main/audit/canonical.ts). */
  hash: z.string(),
  /** Base64 Ed25519 signature of the hash's bytes by the actor. */
  signature: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** The first event that fails verification: its seq and id as stored, and why it fails. */
export const BadEventSchema = z.object({ seq: z.number(), id: z.string(), reason: z.string() });
export type BadEvent = z.infer<typeof BadEventSchema>;

/** The outcome of verifying a trail: how many events were read and the last one's hash (the head). */
export const TrailReportSchema = z.object({
  ok: z.boolean(),
  count: z.number().int().min(0),
  headHash: z.string(),
  firstBad: BadEventSchema.optional(),
});
export type TrailReport = z.infer<typeof TrailReportSchema>;

/** A signed statement that the trail held `count` events ending at `headHash` (in exports and review packages). */
export interface Checkpoint {
  count: number;
  headHash: string;
  at: string;
  signer: Actor;
  /** Base64 Ed25519 signature by the signer over the canonical JSON of the other fields. */
  signature: string;
}
