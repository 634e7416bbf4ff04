/**
 * The audit trail as it crosses the API. An event is the domain's `AuditEventSchema` (shared/model/audit.ts) as it
 * is; `audit.list` reads it as stored, without checking it: `audit.verify` says whether the trail holds.
 */
import { z } from 'zod';
import { AuditEventSchema, TrailReportSchema } from '../../model/audit.js';
import { IdSchema, PagingSchema, pageOf, textInput } from './common.js';

export { AuditEventSchema, TrailReportSchema };

export const AuditListInputSchema = z.strictObject({
  /** Only the events about one object (a finding's trail, a person's). */
  object: z.strictObject({ type: textInput(50, 'Object type'), id: IdSchema }).optional(),
  paging: PagingSchema.default({ offset: 0, limit: 100 }),
});

/** Newest first. */
export const AuditPageSchema = pageOf(AuditEventSchema);
