/**
 * Accepted host keys: the record of who trusted which key of which host, when and why (known_hosts entry, pinned
 * fingerprint, or an accept-new choice on first contact). Entries are kept, never overwritten: a host whose key
 * was replaced after a verified change has both, and the newest acceptance per key type is the one in force.
 */
import { z } from 'zod';
import { FingerprintSchema } from '../../../shared/api/schemas/workspace.js';
import { HOST_KEY_ORIGINS, type KnownHostKey } from '../../../shared/model/workspace.js';
import type { StoreContext } from '../context.js';
import { parseInput } from '../input.js';
import { readEnum } from '../json.js';
import type { HostsRepo } from './hosts.js';

export interface KnownHostKeyRow {
  id: number;
  host_id: string;
  key_type: string;
  fingerprint: string;
  accepted_at: string;
  accepted_by: string;
  how: string;
}

export const HostKeyAcceptInputSchema = z.strictObject({
  keyType: z.string().min(1).max(100),
  fingerprint: FingerprintSchema,
  acceptedBy: z.string().trim().min(1).max(200),
  how: z.enum(HOST_KEY_ORIGINS),
});
export type HostKeyAcceptInput = z.input<typeof HostKeyAcceptInputSchema>;

const COLUMNS = 'id, host_id, key_type, fingerprint, accepted_at, accepted_by, how';

export class HostKeysRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly hosts: HostsRepo,
  ) {}

  private toKey(r: KnownHostKeyRow): KnownHostKey {
    return {
      id: r.id,
      hostId: r.host_id,
      keyType: r.key_type,
      fingerprint: r.fingerprint,
      acceptedAt: r.accepted_at,
      acceptedBy: r.accepted_by,
      how: readEnum(this.ctx, HOST_KEY_ORIGINS, r.how, { table: 'known_host_key', id: r.id, column: 'how' }),
    };
  }

  /** Records an accepted key. Accepting the same key again returns the first record unchanged. */
  record(hostId: string, input: HostKeyAcceptInput): KnownHostKey {
    const v = parseInput(HostKeyAcceptInputSchema, input, 'host key acceptance');
    return this.ctx.tx(() => {
      this.hosts.require(hostId);
      this.ctx
        .sql(
          `INSERT INTO known_host_key (host_id, key_type, fingerprint, accepted_at, accepted_by, how)
           VALUES (@hostId, @keyType, @fingerprint, @at, @acceptedBy, @how)
           ON CONFLICT (host_id, key_type, fingerprint) DO NOTHING`,
        )
        .run({ hostId, ...v, at: this.ctx.now() });
      const row = this.ctx
        .sql<[string, string, string], KnownHostKeyRow>(
          `SELECT ${COLUMNS} FROM known_host_key WHERE host_id = ? AND key_type = ? AND fingerprint = ?`,
        )
        .get(hostId, v.keyType, v.fingerprint);
      if (!row) throw this.ctx.error(`host key record for host ${hostId} vanished`);
      return this.toKey(row);
    });
  }

  /** Every accepted key of a host, oldest first. */
  list(hostId: string): KnownHostKey[] {
    return this.ctx
      .sql<[string], KnownHostKeyRow>(`SELECT ${COLUMNS} FROM known_host_key WHERE host_id = ? ORDER BY id`)
      .all(hostId)
      .map((r) => this.toKey(r));
  }

  /** The newest accepted key of each key type: the keys a scan of this host accepts. */
  current(hostId: string): KnownHostKey[] {
    return this.ctx
      .sql<[string], KnownHostKeyRow>(
        `SELECT ${COLUMNS} FROM known_host_key k WHERE host_id = ?
           AND id = (SELECT max(id) FROM known_host_key WHERE host_id = k.host_id AND key_type = k.key_type)
         ORDER BY key_type`,
      )
      .all(hostId)
      .map((r) => this.toKey(r));
  }
}
