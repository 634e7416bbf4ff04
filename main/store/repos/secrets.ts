/**
 * Stored secrets: opaque ciphertext per host and purpose. This repository never sees a secret in clear: it takes
 * and gives back Buffers that the services sealed with the OS keychain (main/secrets/envelope.ts). A host's secrets
 * go with the host (ON DELETE CASCADE).
 */
import { SECRET_PURPOSES, type SecretPurpose } from '../../../shared/api/schemas/secrets.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import type { StoreContext } from '../context.js';
import { readEnum } from '../json.js';
import type { HostsRepo } from './hosts.js';

export interface StoredSecretRow {
  host_id: string;
  purpose: string;
  stored_at: string;
  stored_by: string;
}

/** A stored secret without its ciphertext. */
export interface StoredSecretRecord {
  hostId: string;
  purpose: SecretPurpose;
  storedAt: string;
  storedBy: string;
}

const COLUMNS = 'host_id, purpose, stored_at, stored_by';

export class SecretsRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly hosts: HostsRepo,
  ) {}

  private toRecord(r: StoredSecretRow): StoredSecretRecord {
    const where = { table: 'stored_secret', id: `${r.host_id}/${r.purpose}`, column: 'purpose' };
    return {
      hostId: r.host_id,
      purpose: readEnum(this.ctx, SECRET_PURPOSES, r.purpose, where),
      storedAt: r.stored_at,
      storedBy: r.stored_by,
    };
  }

  /** Stores (or replaces) the ciphertext for a host and purpose. Unknown host: `not_found`. */
  put(hostId: string, purpose: SecretPurpose, ciphertext: Buffer, storedBy: string): StoredSecretRecord {
    if (!Buffer.isBuffer(ciphertext) || ciphertext.length === 0)
      throw new FoureyesError('internal', 'a stored secret must be non-empty ciphertext');
    if (!(SECRET_PURPOSES as readonly string[]).includes(purpose))
      throw new FoureyesError('bad_input', `unknown secret purpose "${String(purpose)}"`);
    const by = storedBy.trim() || 'unknown user';
    return this.ctx.tx(() => {
      this.hosts.require(hostId);
      const row: StoredSecretRow = { host_id: hostId, purpose, stored_at: this.ctx.now(), stored_by: by };
      this.ctx
        .sql(
          `INSERT INTO stored_secret (host_id, purpose, ciphertext, stored_at, stored_by)
           VALUES (@host_id, @purpose, @ciphertext, @stored_at, @stored_by)
           ON CONFLICT (host_id, purpose) DO UPDATE SET
             ciphertext = excluded.ciphertext, stored_at = excluded.stored_at, stored_by = excluded.stored_by`,
        )
        .run({ ...row, ciphertext });
      return this.toRecord(row);
    });
  }

  /** The ciphertext stored for a host and purpose, if any. */
  blob(hostId: string, purpose: SecretPurpose): Buffer | undefined {
    const r = this.ctx
      .sql<[string, string], { ciphertext: Buffer }>(
        'SELECT ciphertext FROM stored_secret WHERE host_id = ? AND purpose = ?',
      )
      .get(hostId, purpose);
    return r?.ciphertext;
  }

  /** Removes a host's secret of one purpose, or all of them; returns the purposes that were stored. */
  forget(hostId: string, purpose?: SecretPurpose): SecretPurpose[] {
    return this.ctx.tx(() => {
      const had = this.list(hostId)
        .map((s) => s.purpose)
        .filter((p) => purpose === undefined || p === purpose);
      for (const p of had)
        this.ctx
          .sql<[string, string]>('DELETE FROM stored_secret WHERE host_id = ? AND purpose = ?')
          .run(hostId, p);
      return had;
    });
  }

  /** Secrets stored for one host, by purpose. */
  list(hostId: string): StoredSecretRecord[] {
    return this.ctx
      .sql<[string], StoredSecretRow>(
        `SELECT ${COLUMNS} FROM stored_secret WHERE host_id = ? ORDER BY purpose`,
      )
      .all(hostId)
      .map((r) => this.toRecord(r));
  }

  /** Secrets stored for the hosts of an engagement, by host id then purpose. */
  listForEngagement(engagementId: string): StoredSecretRecord[] {
    return this.ctx
      .sql<[string], StoredSecretRow>(
        `SELECT s.host_id, s.purpose, s.stored_at, s.stored_by FROM stored_secret s JOIN host h ON h.id = s.host_id
         WHERE h.engagement_id = ? ORDER BY s.host_id, s.purpose`,
      )
      .all(engagementId)
      .map((r) => this.toRecord(r));
  }
}
