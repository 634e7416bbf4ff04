/**
 * Review packages received for an offline review (schema 0008): the file as it came, with what the list shows.
 * main/review/ verifies a package before it is stored and again before it is answered; this repository only
 * stores rows.
 */
import type { StoreContext } from '../context.js';

interface PackageRow {
  id: string;
  sha256: string;
  exporter_name: string;
  exporter_fingerprint: string;
  engagement_name: string;
  findings: number;
  imported_at: string;
  imported_by: string | null;
  answer_id: string | null;
  answered_at: string | null;
  answered_by: string | null;
}

/** A stored package without its bytes. */
export interface StoredPackage {
  id: string;
  sha256: string;
  exporterName: string;
  exporterFingerprint: string;
  engagementName: string;
  findings: number;
  importedAt: string;
  importedBy: string | null;
  answer: { id: string; at: string; by: string } | null;
}

const COLUMNS =
  'id, sha256, exporter_name, exporter_fingerprint, engagement_name, findings, imported_at, imported_by, answer_id, answered_at, answered_by';

const toPackage = (r: PackageRow): StoredPackage => ({
  id: r.id,
  sha256: r.sha256,
  exporterName: r.exporter_name,
  exporterFingerprint: r.exporter_fingerprint,
  engagementName: r.engagement_name,
  findings: r.findings,
  importedAt: r.imported_at,
  importedBy: r.imported_by,
  answer:
    r.answer_id !== null && r.answered_at !== null && r.answered_by !== null
      ? { id: r.answer_id, at: r.answered_at, by: r.answered_by }
      : null,
});

export class ReviewPackagesRepo {
  constructor(private readonly ctx: StoreContext) {}

  add(p: Omit<StoredPackage, 'importedAt' | 'answer'> & { bytes: Buffer }): StoredPackage {
    this.ctx
      .sql(
        `INSERT INTO review_package (id, sha256, exporter_name, exporter_fingerprint, engagement_name, findings,
         imported_at, imported_by, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        p.id,
        p.sha256,
        p.exporterName,
        p.exporterFingerprint,
        p.engagementName,
        p.findings,
        this.ctx.now(),
        p.importedBy,
        p.bytes,
      );
    return this.get(p.id)!;
  }

  get(id: string): StoredPackage | undefined {
    const r = this.ctx
      .sql<[string], PackageRow>(`SELECT ${COLUMNS} FROM review_package WHERE id = ?`)
      .get(id);
    return r && toPackage(r);
  }

  /** Every package received, newest first. */
  list(): StoredPackage[] {
    return this.ctx
      .sql<[], PackageRow>(`SELECT ${COLUMNS} FROM review_package ORDER BY imported_at DESC, rowid DESC`)
      .all()
      .map(toPackage);
  }

  bytes(id: string): Buffer | undefined {
    return this.ctx.sql<[string], { bytes: Buffer }>('SELECT bytes FROM review_package WHERE id = ?').get(id)
      ?.bytes;
  }

  markAnswered(id: string, answerId: string, by: string): void {
    this.ctx
      .sql('UPDATE review_package SET answer_id = ?, answered_at = ?, answered_by = ? WHERE id = ?')
      .run(answerId, this.ctx.now(), by, id);
  }
}
