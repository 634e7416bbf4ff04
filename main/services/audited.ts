/**
 * Audit events of the services. The services do not know yet who is acting on every path (the application layer
 * that always supplies a person is later work): an event is recorded when the caller gives an Acting, inside the
 * same transaction as the change.
 */
import { recordAudit } from '../audit/trail.js';
import type { AuditRecord } from '../audit/types.js';
import type { Acting } from '../people/acting.js';
import type { Workspace } from '../store/db.js';

export function auditIf(ws: Workspace, acting: Acting | undefined, record: AuditRecord): void {
  if (acting) recordAudit(ws)(acting, record);
}
