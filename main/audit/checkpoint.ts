/**
 * Checkpoints: a person's signed statement that the trail held `count` events ending at `headHash`, at a time. One
 * goes into every export and review package; checking a trail against it later catches what verification alone
 * cannot: a trail cut short after the checkpoint (its last events deleted), or rewritten from before it.
 */
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { Checkpoint, TrailReport } from '../../shared/model/audit.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Acting, PublicKeyOf } from '../people/acting.js';
import { signatureValid } from '../people/keys.js';
import { publicKeyOf } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';
import { canonicalJson, GENESIS_HASH } from './canonical.js';
import { verifyTrail } from './verify.js';

export const CHECKPOINT_FORMAT = 'foureyes-checkpoint/1';

/** A checkpoint as read from a package or a file (untrusted until checked). */
export const CheckpointSchema = z.strictObject({
  count: z.number().int().min(0),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string().min(1).max(40),
  signer: z.strictObject({ personId: z.string().min(1).max(64), name: z.string().min(1).max(200) }),
  signature: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .max(200),
});

/** The bytes a checkpoint's signature covers: canonical JSON of its fields with the format, without the signature. */
function signedBytes(cp: Omit<Checkpoint, 'signature'>): Buffer {
  const body = {
    format: CHECKPOINT_FORMAT,
    count: cp.count,
    headHash: cp.headHash,
    at: cp.at,
    signer: { personId: cp.signer.personId, name: cp.signer.name },
  };
  return Buffer.from(canonicalJson(body), 'utf8');
}

/** Whether `cp` carries its signer's signature under `key` (a checkpoint from another workstation's trail). */
export function checkpointSignedBy(cp: Checkpoint, key: KeyObject): boolean {
  return signatureValid(key, signedBytes(cp), Buffer.from(cp.signature, 'base64'));
}

/** Signs a checkpoint of the trail as it is; a trail that does not verify gets none. */
export function makeCheckpoint(ws: Workspace, acting: Acting): Checkpoint {
  const trail = verifyTrail(ws);
  if (!trail.ok && trail.firstBad)
    throw new FoureyesError(
      'store',
      `the audit trail does not verify (event ${trail.firstBad.seq}: ${trail.firstBad.reason}); no checkpoint is signed over it`,
    );
  const body = {
    count: trail.count,
    headHash: trail.headHash,
    at: ws.audit.now(),
    signer: { ...acting.actor },
  };
  return { ...body, signature: acting.sign(signedBytes(body)).toString('base64') };
}

export interface CheckpointCheck {
  /** The trail verifies and holds the checkpoint's events unchanged. */
  ok: boolean;
  trail: TrailReport;
  /** Why not, in a sentence. */
  reason?: string;
}

/** Checks the workspace's trail against a checkpoint (its signature first, then the trail, then the head). */
export function checkCheckpoint(
  ws: Workspace,
  checkpoint: Checkpoint,
  opts: { publicKeyOf?: PublicKeyOf } = {},
): CheckpointCheck {
  const keyOf = opts.publicKeyOf ?? publicKeyOf(ws);
  const trail = verifyTrail(ws, { publicKeyOf: keyOf });
  const cp = CheckpointSchema.safeParse(checkpoint);
  if (!cp.success) return { ok: false, trail, reason: 'the checkpoint is malformed' };
  const { count, headHash, at, signer } = cp.data;
  const by = `the checkpoint signed by ${signer.name} at ${at}`;
  const key = keyOf(signer.personId);
  if (!key) return { ok: false, trail, reason: `${by} names a signer who is not a person of this workspace` };
  if (!signatureValid(key, signedBytes(cp.data), Buffer.from(cp.data.signature, 'base64')))
    return { ok: false, trail, reason: `${by} does not carry ${signer.name}'s signature` };
  if (!trail.ok && trail.firstBad)
    return {
      ok: false,
      trail,
      reason: `event ${trail.firstBad.seq} fails verification: ${trail.firstBad.reason}`,
    };
  if (trail.count < count)
    return {
      ok: false,
      trail,
      reason: `the trail holds ${trail.count} ${trail.count === 1 ? 'event' : 'events'} but ${by} counted ${count}: it was cut short after the checkpoint (${trail.count + 1 === count ? `event ${count} is` : `events ${trail.count + 1} to ${count} are`} missing)`,
    };
  if ((count === 0 ? GENESIS_HASH : ws.audit.hashAt(count)) !== headHash)
    return {
      ok: false,
      trail,
      reason: `event ${count} is not the one ${by} ended at: the trail was rewritten up to it`,
    };
  return { ok: true, trail };
}
