/**
 * Snapshots: the FactSnapshot of a host run, stored as deflated JSON with the SHA-256 of the uncompressed JSON.
 * Loading verifies size and digest, so evidence that was altered or damaged in the file is an error, not data.
 */
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { SNAPSHOT_FORMAT, type FactSnapshot } from '../../../shared/facts/snapshot.js';
import type { SnapshotInfo } from '../../../shared/model/workspace.js';
import { sqlBool, type StoreContext } from '../context.js';

export interface SnapshotRow {
  host_run_id: string;
  format: string;
  encoding: string;
  compressed: Buffer;
  sha256: string;
  size_raw: number;
  size_compressed: number;
  complete: number;
  collected_at: string;
}

/** A snapshot ready to store; encoding is done before the write transaction so the lock is held briefly. */
export interface EncodedSnapshot {
  format: string;
  collectedAt: string;
  json: string;
  compressed: Buffer;
  sha256: string;
  sizeRaw: number;
}

export function encodeSnapshot(snapshot: FactSnapshot): EncodedSnapshot {
  const json = JSON.stringify(snapshot);
  const raw = Buffer.from(json, 'utf8');
  return {
    format: snapshot.format,
    collectedAt: snapshot.collectedAt,
    json,
    compressed: deflateSync(raw, { level: 6 }),
    sha256: createHash('sha256').update(raw).digest('hex'),
    sizeRaw: raw.length,
  };
}

const INFO_COLUMNS =
  'host_run_id, format, encoding, sha256, size_raw, size_compressed, complete, collected_at';

export class SnapshotsRepo {
  constructor(private readonly ctx: StoreContext) {}

  /** Writes the snapshot of a host run. Call inside the transaction that changes the run's status. */
  insert(hostRunId: string, s: EncodedSnapshot, complete: boolean): void {
    this.ctx
      .sql(
        `INSERT INTO snapshot (host_run_id, format, encoding, compressed, sha256, size_raw, size_compressed, complete,
                               collected_at)
         VALUES (@hostRunId, @format, 'deflate', @compressed, @sha256, @sizeRaw, @sizeCompressed, @complete, @collectedAt)`,
      )
      .run({
        hostRunId,
        format: s.format,
        compressed: s.compressed,
        sha256: s.sha256,
        sizeRaw: s.sizeRaw,
        sizeCompressed: s.compressed.length,
        complete: sqlBool(complete),
        collectedAt: s.collectedAt,
      });
  }

  info(hostRunId: string): SnapshotInfo | undefined {
    const r = this.ctx
      .sql<[string], Omit<SnapshotRow, 'compressed'>>(
        `SELECT ${INFO_COLUMNS} FROM snapshot WHERE host_run_id = ?`,
      )
      .get(hostRunId);
    if (!r) return undefined;
    return {
      hostRunId: r.host_run_id,
      format: r.format,
      collectedAt: r.collected_at,
      sha256: r.sha256,
      sizeRaw: r.size_raw,
      sizeCompressed: r.size_compressed,
      complete: r.complete === 1,
    };
  }

  /** The snapshot's JSON exactly as stored, verified against its size and SHA-256. */
  loadSnapshotJson(hostRunId: string): string {
    const r = this.ctx
      .sql<[string], SnapshotRow>(`SELECT ${INFO_COLUMNS}, compressed FROM snapshot WHERE host_run_id = ?`)
      .get(hostRunId);
    if (!r) throw this.ctx.error(`host run ${hostRunId} has no snapshot`);
    let raw: Buffer;
    try {
      // The stored size bounds the output: a damaged or hostile blob cannot inflate without limit.
      raw = inflateSync(r.compressed, { maxOutputLength: Math.max(1, r.size_raw) });
    } catch (e) {
      throw this.ctx.error(
        `snapshot of host run ${hostRunId} cannot be decompressed (${(e as Error).message})`,
      );
    }
    if (raw.length !== r.size_raw) {
      throw this.ctx.error(
        `snapshot of host run ${hostRunId} has ${raw.length} bytes, expected ${r.size_raw}`,
      );
    }
    const digest = createHash('sha256').update(raw).digest('hex');
    if (digest !== r.sha256) {
      throw this.ctx.error(
        `snapshot of host run ${hostRunId} fails its SHA-256 check (stored ${r.sha256}, got ${digest})`,
      );
    }
    return raw.toString('utf8');
  }

  /** The snapshot of a host run, decompressed and verified. */
  loadSnapshot(hostRunId: string): FactSnapshot {
    const json = this.loadSnapshotJson(hostRunId);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw this.ctx.error(`snapshot of host run ${hostRunId} is not valid JSON`);
    }
    if (!isSnapshotShape(value)) {
      throw this.ctx.error(`snapshot of host run ${hostRunId} is not a ${SNAPSHOT_FORMAT} snapshot`);
    }
    return value;
  }
}

function isSnapshotShape(v: unknown): v is FactSnapshot {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    o.format === SNAPSHOT_FORMAT &&
    typeof o.facts === 'object' &&
    o.facts !== null &&
    !Array.isArray(o.facts) &&
    Array.isArray(o.issues)
  );
}
