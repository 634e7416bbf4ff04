/**
 * Waivers (schema 0009): rows only. main/waivers/ makes the content hash, checks the four-eye rule and the
 * signatures, and decides what applies; this repository stores and reads what it is given.
 */
import { randomUUID } from 'node:crypto';
import { FoureyesError } from '../../../shared/model/errors.js';
import { STORED_WAIVER_STATES, type Waiver } from '../../../shared/model/waiver.js';
import type { Actor } from '../../../shared/model/actor.js';
import type { StoreContext } from '../context.js';
import { readEnum } from '../json.js';

interface WaiverRow {
  id: string;
  engagement_id: string;
  check_id: string;
  host_id: string | null;
  host_name: string | null;
  reason: string;
  owner: string | null;
  expires_on: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: string;
  content_hash: string;
  state: string;
  approved_by: string | null;
  approved_by_name: string | null;
  approved_at: string | null;
  approved_hash: string | null;
  signature: string | null;
  rejected_by: string | null;
  rejected_by_name: string | null;
  rejected_at: string | null;
  rejection_comment: string | null;
  revoked_by: string | null;
  revoked_by_name: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
}

/** What is stored when a waiver is requested (its id and time are given here). */
export interface NewWaiver {
  engagementId: string;
  checkId: string;
  hostId: string | null;
  hostName: string | null;
  reason: string;
  owner: string | null;
  expiresOn: string;
  requestedBy: Actor;
  /** Computed by the caller over the id and time handed to it. */
  contentHash: (id: string, requestedAt: string) => string;
}

export class WaiversRepo {
  constructor(private readonly ctx: StoreContext) {}

  private toWaiver(r: WaiverRow): Waiver {
    const decision = (by: string | null, name: string | null, at: string | null) =>
      by !== null && name !== null && at !== null ? { personId: by, name, at } : null;
    const approved = decision(r.approved_by, r.approved_by_name, r.approved_at);
    const rejected = decision(r.rejected_by, r.rejected_by_name, r.rejected_at);
    const revoked = decision(r.revoked_by, r.revoked_by_name, r.revoked_at);
    return {
      id: r.id,
      engagementId: r.engagement_id,
      checkId: r.check_id,
      hostId: r.host_id,
      hostName: r.host_name,
      reason: r.reason,
      owner: r.owner,
      expiresOn: r.expires_on,
      requestedBy: { personId: r.requested_by, name: r.requested_by_name, at: r.requested_at },
      state: readEnum(this.ctx, STORED_WAIVER_STATES, r.state, { table: 'waiver', id: r.id, column: 'state' }),
      contentHash: r.content_hash,
      approval:
        approved && r.approved_hash !== null && r.signature !== null
          ? { ...approved, contentHash: r.approved_hash, signature: r.signature }
          : null,
      rejection: rejected && r.rejection_comment !== null ? { ...rejected, comment: r.rejection_comment } : null,
      revocation: revoked && r.revocation_reason !== null ? { ...revoked, reason: r.revocation_reason } : null,
    };
  }

  add(w: NewWaiver): Waiver {
    const id = randomUUID();
    const at = this.ctx.now();
    this.ctx
      .sql(
        `INSERT INTO waiver (id, engagement_id, check_id, host_id, host_name, reason, owner, expires_on, requested_by,
                             requested_by_name, requested_at, content_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        w.engagementId,
        w.checkId,
        w.hostId,
        w.hostName,
        w.reason,
        w.owner,
        w.expiresOn,
        w.requestedBy.personId,
        w.requestedBy.name,
        at,
        w.contentHash(id, at),
      );
    return this.require(id);
  }

  get(id: string): Waiver | undefined {
    const r = this.ctx.sql<[string], WaiverRow>('SELECT * FROM waiver WHERE id = ?').get(id);
    return r && this.toWaiver(r);
  }

  require(id: string): Waiver {
    const w = this.get(id);
    if (!w) throw new FoureyesError('not_found', `no waiver ${JSON.stringify(id.slice(0, 80))} in ${this.ctx.path}`);
    return w;
  }

  /** Ids starting with `prefix` (at most `limit`), for a waiver named by the start of its id. */
  idsStartingWith(prefix: string, limit: number): string[] {
    return this.ctx
      .sql<[number, string, number], string>('SELECT id FROM waiver WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT ?')
      .pluck(true)
      .all(prefix.length, prefix, limit);
  }

  /** An engagement's waivers (or every engagement's), by expiry date then request time. */
  list(engagementId?: string): Waiver[] {
    const rows =
      engagementId === undefined
        ? this.ctx
            .sql<[], WaiverRow>('SELECT * FROM waiver ORDER BY expires_on, requested_at, id')
            .all()
        : this.ctx
            .sql<[string], WaiverRow>(
              'SELECT * FROM waiver WHERE engagement_id = ? ORDER BY expires_on, requested_at, id',
            )
            .all(engagementId);
    return rows.map((r) => this.toWaiver(r));
  }

  /** Approved waivers of an engagement whose expiry date is after `today` (candidates to apply; still to verify). */
  approvedAfter(engagementId: string, today: string): Waiver[] {
    return this.ctx
      .sql<[string, string], WaiverRow>(
        `SELECT * FROM waiver WHERE engagement_id = ? AND state = 'approved' AND expires_on > ? ORDER BY expires_on, id`,
      )
      .all(engagementId, today)
      .map((r) => this.toWaiver(r));
  }

  approve(id: string, by: Actor, contentHash: string, signature: string): Waiver {
    this.ctx
      .sql(
        `UPDATE waiver SET state = 'approved', approved_by = ?, approved_by_name = ?, approved_at = ?,
                approved_hash = ?, signature = ? WHERE id = ?`,
      )
      .run(by.personId, by.name, this.ctx.now(), contentHash, signature, id);
    return this.require(id);
  }

  reject(id: string, by: Actor, comment: string): Waiver {
    this.ctx
      .sql(
        `UPDATE waiver SET state = 'rejected', rejected_by = ?, rejected_by_name = ?, rejected_at = ?,
                rejection_comment = ? WHERE id = ?`,
      )
      .run(by.personId, by.name, this.ctx.now(), comment, id);
    return this.require(id);
  }

  revoke(id: string, by: Actor, reason: string): Waiver {
    this.ctx
      .sql(
        `UPDATE waiver SET state = 'revoked', revoked_by = ?, revoked_by_name = ?, revoked_at = ?,
                revocation_reason = ? WHERE id = ?`,
      )
      .run(by.personId, by.name, this.ctx.now(), reason, id);
    return this.require(id);
  }
}
