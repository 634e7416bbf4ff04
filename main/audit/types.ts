/**
 * What a domain hands to the audit trail: one record per action, appended in the same transaction as the change it
 * describes (so a change is never stored without its event, nor an event without its change). The trail adds the
 * actor, the time, the hash of the previous event and the actor's signature (main/audit/trail.ts).
 */
import type { Acting } from '../people/acting.js';

export interface AuditRecord {
  /** Dotted verb, e.g. `finding.edit`, `finding.approve`, `host_key.accept`, `scan.start`, `person.add`. */
  action: string;
  /** What was acted on. */
  object: { type: string; id: string };
  /** Why: required where a human decision is recorded (severity override, false positive, accepted risk, key acceptance). */
  reason?: string;
  /** State before and after, as plain JSON (never a secret: passwords, private keys and passphrases stay out). */
  before?: unknown;
  after?: unknown;
  /** Anything else worth keeping (catalogue version, counts), as plain JSON. */
  details?: Record<string, unknown>;
}

/** Appends one event for `acting` inside the caller's transaction. */
export type RecordAudit = (acting: Acting, record: AuditRecord) => void;
