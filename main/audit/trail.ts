/**
 * Appending to the audit trail. Each event is numbered after the last one, carries the last one's hash, is hashed
 * in its canonical form and signed by the acting person; all of it inside the caller's transaction (ws.tx nests as
 * a savepoint), so an action and its event are stored together or not at all.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../shared/model/audit.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Acting } from '../people/acting.js';
import { signatureValid } from '../people/keys.js';
import { publicKeyOf } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';
import { canonicalJson, eventHash, GENESIS_HASH, hashBytes } from './canonical.js';
import { refuseSecrets } from './secrets.js';
import type { AuditRecord, RecordAudit } from './types.js';

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** The recorder the domains are given. */
export function recordAudit(ws: Workspace): RecordAudit {
  return (acting, record) => {
    appendEvent(ws, acting, record);
  };
}

/** A JSON column's canonical text (null when absent) and the value read back from it, which is what is hashed. */
function jsonColumn(value: unknown, field: string, action: string): { text: string | null; value: unknown } {
  if (value === undefined || value === null) return { text: null, value: null };
  let text: string;
  try {
    text = canonicalJson(value);
  } catch (e) {
    throw new FoureyesError(
      'internal',
      `audit event ${action}: ${field} is not plain JSON (${(e as Error).message})`,
    );
  }
  return { text, value: JSON.parse(text) as unknown };
}

/** Appends one event and returns it as stored. */
export function appendEvent(ws: Workspace, acting: Acting, record: AuditRecord): AuditEvent {
  const { action, object } = record;
  if (typeof action !== 'string' || !ACTION.test(action))
    throw new FoureyesError('internal', `audit event: action ${JSON.stringify(action)} is not a dotted verb`);
  if (
    !object ||
    typeof object.type !== 'string' ||
    !object.type ||
    typeof object.id !== 'string' ||
    !object.id
  )
    throw new FoureyesError('internal', `audit event ${action}: object type and id are required`);
  if (record.reason !== undefined && (typeof record.reason !== 'string' || record.reason.trim() === ''))
    throw new FoureyesError('bad_input', `audit event ${action}: a reason, when given, must be text`);
  refuseSecrets({ ...record }, action);
  const before = jsonColumn(record.before, 'before', action);
  const after = jsonColumn(record.after, 'after', action);
  const details = jsonColumn(record.details, 'details', action);

  return ws.tx(() => {
    const person = ws.people.byId(acting.actor.personId);
    if (!person)
      throw new FoureyesError(
        'internal',
        `audit event ${action}: the acting person ${acting.actor.name} is not known to this workspace`,
      );
    const head = ws.audit.head();
    const event: Omit<AuditEvent, 'hash' | 'signature'> = {
      seq: (head?.seq ?? 0) + 1,
      id: randomUUID(),
      at: ws.audit.now(),
      actor: { personId: person.id, name: person.name },
      action,
      object: { type: object.type, id: object.id },
      reason: record.reason ?? null,
      before: before.value,
      after: after.value,
      details: details.value as Record<string, unknown> | null,
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const hash = eventHash({ ...event, prev_hash: event.prevHash });
    const signature = acting.sign(hashBytes(hash));
    const key = publicKeyOf(ws)(person.id);
    if (!key || !signatureValid(key, hashBytes(hash), signature))
      throw new FoureyesError(
        'internal',
        `audit event ${action}: the signature is not ${person.name}'s (it does not verify with their public key)`,
      );
    const stored: AuditEvent = { ...event, hash, signature: signature.toString('base64') };
    ws.audit.append({
      seq: stored.seq,
      id: stored.id,
      at: stored.at,
      actor_id: stored.actor.personId,
      actor_name: stored.actor.name,
      action,
      object_type: object.type,
      object_id: object.id,
      reason: stored.reason,
      before: before.text,
      after: after.text,
      details: details.text,
      prev_hash: stored.prevHash,
      hash,
      signature: stored.signature,
    });
    return stored;
  });
}
