/**
 * The audit trail over the API: a page of events as stored, newest first, and the verification. Listing does not
 * trust the file either: a JSON column that does not parse (a trail edited by hand) is shown as its text, and
 * audit.verify names what is wrong.
 */
import type { AuditEvent } from '../../shared/model/audit.js';
import type { AuditService } from '../api/services.js';
import { verifyTrail } from '../audit/verify.js';
import type { PublicKeyOf } from '../people/acting.js';
import type { Workspace } from '../store/db.js';
import type { AuditEventRow } from '../store/repos/audit.js';

function column(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function auditEventOf(r: AuditEventRow): AuditEvent {
  const details = column(r.details);
  return {
    seq: r.seq,
    id: r.id,
    at: r.at,
    actor: { personId: r.actor_id, name: r.actor_name },
    action: r.action,
    object: { type: r.object_type, id: r.object_id },
    reason: r.reason,
    before: column(r.before),
    after: column(r.after),
    details:
      details === null
        ? null
        : typeof details === 'object' && !Array.isArray(details)
          ? (details as Record<string, unknown>)
          : { unreadable: details },
    prevHash: r.prev_hash,
    hash: r.hash,
    signature: r.signature,
  };
}

export function auditService(ws: Workspace, publicKeyOf: PublicKeyOf): AuditService {
  return {
    list: ({ object, paging }) => ({
      items: ws.audit.page(paging.offset, paging.limit, object).map(auditEventOf),
      total: ws.audit.countFor(object),
      offset: paging.offset,
      limit: paging.limit,
    }),
    verify: () => verifyTrail(ws, { publicKeyOf }),
  };
}
