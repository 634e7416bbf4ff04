/**
 * Attachments of findings (schema 0007): the bytes live in the workspace with their detected type, size and
 * SHA-256. The type is decided by main/findings/media-type.ts from the content before anything reaches here.
 */
import { randomUUID } from 'node:crypto';
import { ATTACHMENT_TYPES, type Attachment, type AttachmentType } from '../../../shared/model/finding.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import type { StoreContext } from '../context.js';
import { readEnum, readersBy } from '../json.js';

interface AttachmentRow {
  id: string;
  finding_id: string;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  added_at: string;
  added_by: string;
}

const COLUMNS = 'id, finding_id, name, media_type, size, sha256, added_at, added_by';

export class AttachmentsRepo {
  constructor(private readonly ctx: StoreContext) {}

  private toAttachment(r: AttachmentRow): Attachment {
    return {
      id: r.id,
      findingId: r.finding_id,
      name: r.name,
      mediaType: readEnum(this.ctx, ATTACHMENT_TYPES, r.media_type, { table: 'attachment', id: r.id, column: 'media_type' }),
      size: r.size,
      sha256: r.sha256,
      addedAt: r.added_at,
      addedBy: r.added_by,
    };
  }

  add(a: { findingId: string; name: string; mediaType: AttachmentType; sha256: string; bytes: Buffer; addedBy: string }): Attachment {
    const id = randomUUID();
    this.ctx
      .sql(
        `INSERT INTO attachment (id, finding_id, name, media_type, size, sha256, added_at, added_by, bytes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, a.findingId, a.name, a.mediaType, a.bytes.length, a.sha256, this.ctx.now(), a.addedBy, a.bytes);
    return this.require(id);
  }

  get(id: string): Attachment | undefined {
    const r = this.ctx.sql<[string], AttachmentRow>(`SELECT ${COLUMNS} FROM attachment WHERE id = ?`).get(id);
    return r && this.toAttachment(r);
  }

  require(id: string): Attachment {
    const a = this.get(id);
    if (!a) throw new FoureyesError('not_found', `attachment ${id} does not exist`);
    return a;
  }

  /** A finding's attachments (without their bytes), oldest first. */
  forFinding(findingId: string): Attachment[] {
    return this.ctx
      .sql<[string], AttachmentRow>(`SELECT ${COLUMNS} FROM attachment WHERE finding_id = ? ORDER BY added_at, id`)
      .all(findingId)
      .map((r) => this.toAttachment(r));
  }

  /** `forFinding` of many findings in one query: finding id -> its attachments' reader (none: absent). */
  forFindings(findingIds: readonly string[]): Map<string, () => Attachment[]> {
    const rows = this.ctx
      .sql<[string], AttachmentRow>(
        `SELECT ${COLUMNS} FROM attachment WHERE finding_id IN (SELECT value FROM json_each(?))
         ORDER BY finding_id, added_at, id`,
      )
      .all(JSON.stringify(findingIds));
    return readersBy(rows, (r) => r.finding_id, (r) => this.toAttachment(r));
  }

  bytes(id: string): Buffer {
    const r = this.ctx.sql<[string], { bytes: Buffer }>('SELECT bytes FROM attachment WHERE id = ?').get(id);
    if (!r) throw new FoureyesError('not_found', `attachment ${id} does not exist`);
    return r.bytes;
  }

  remove(id: string): void {
    this.ctx.sql('DELETE FROM attachment WHERE id = ?').run(id);
  }
}
