/**
 * Findings and their review as they cross the API. The entities are the domain's schemas (shared/model/finding.ts)
 * as they are; what the API shows differently is a wire view named as such: a finding in a list with its hosts
 * counted (`FindingListItem`), a finding with its parts, attachments, authors and approvals (`FindingDetailView`).
 */
import { z } from 'zod';
import {
  AttachmentSchema,
  FINDING_STATUSES,
  FindingApprovalSchema,
  FindingChangeSchema,
  FindingEditSchema,
  FindingHostSchema,
  FindingSchema,
  HOST_PART_STATES,
  MAX_APPROVALS_REQUIRED,
  REVIEW_STATES,
} from '../../model/finding.js';
import { ActorSchema } from '../../model/actor.js';
import { IdSchema, PagingSchema, SeveritySchema, pageOf, textInput } from './common.js';

export { AttachmentSchema, FindingApprovalSchema, FindingChangeSchema, FindingHostSchema, FindingSchema };

/** Host names listed with each finding of a list (the rest are counted). */
export const LISTED_HOST_NAMES = 10;

/**
 * Bytes of one attachment sent through the API: its base64 must fit the browser bridge's 8 MiB request body with
 * room for the rest of the call. Larger files (up to the workspace's 10 MB) are not sent this way.
 */
export const API_ATTACHMENT_MAX_BYTES = 6_000_000;

const findingRef = { findingId: IdSchema };
const ExpectedRevisionSchema = z
  .number({ error: 'Expected revision must be a whole number (the revision the finding was read at).' })
  .int({ error: 'Expected revision must be a whole number (the revision the finding was read at).' })
  .min(1, { error: 'Expected revision must be 1 or more.' });

export const FindingStatusSchema = z.enum(FINDING_STATUSES);
export const ReviewStateSchema = z.enum(REVIEW_STATES);

/** Filters of a findings list; they combine with AND, the values within one with OR. */
export const FindingFilterSchema = z.strictObject({
  severities: z.array(SeveritySchema).max(8).optional(),
  statuses: z.array(FindingStatusSchema).max(8).optional(),
  reviewStates: z.array(ReviewStateSchema).max(4).optional(),
  /** Findings with a part (failing or fixed) on one of these inventory hosts. */
  hostIds: z.array(IdSchema).max(1000).optional(),
  /** Findings with a part on a target of one of these names (also targets outside the inventory). */
  hostNames: z.array(textInput(253, 'Host name')).max(1000).optional(),
  /** The customer's owner, exactly; null in the list matches findings without an owner. */
  owners: z.array(textInput(200, 'Owner').nullable()).max(100).optional(),
});
export type FindingFilter = z.infer<typeof FindingFilterSchema>;

export const FINDING_SORT_KEYS = ['severity', 'title', 'status', 'updated'] as const;

export const FindingListInputSchema = z.strictObject({
  engagementId: IdSchema,
  filters: FindingFilterSchema.default({}),
  sort: z
    .strictObject({ by: z.enum(FINDING_SORT_KEYS), dir: z.enum(['asc', 'desc']).default('desc') })
    .default({ by: 'severity', dir: 'desc' }),
  paging: PagingSchema.default({ offset: 0, limit: 100 }),
});
export type FindingListInput = z.infer<typeof FindingListInputSchema>;

/** Wire view: a finding as a list shows it, with its hosts counted and its approvals against what is required. */
export const FindingListItemSchema = FindingSchema.extend({
  hosts: z.object({
    /** Distinct targets with a failing part that no approved waiver covers. */
    failing: z.number().int().min(0),
    /** Distinct targets with a failing part an approved waiver covers (present when any). */
    waived: z.number().int().min(0).optional(),
    /** Distinct targets whose every part is fixed. */
    fixed: z.number().int().min(0),
    /** The first failing targets by name (at most LISTED_HOST_NAMES). */
    names: z.array(z.string()),
  }),
  /** Live approvals of the current revision, by distinct reviewers. */
  approvals: z.number().int().min(0),
  approvalsRequired: z.number().int().min(1),
});
export type FindingListItem = z.infer<typeof FindingListItemSchema>;

export const FindingPageSchema = pageOf(FindingListItemSchema).extend({
  /** Distinct approvers each finding of the engagement needs. */
  approvalsRequired: z.number().int().min(1),
});

export const FindingGetInputSchema = z.strictObject({
  ...findingRef,
  /** Which of the finding's host parts to include (by check, then host name). */
  hostPaging: PagingSchema.default({ offset: 0, limit: 1000 }),
});

/**
 * Wire view: a host's part as shown: `waived` (with the waiver) when it is failing and an approved waiver covers its
 * check on its host. The stored part, and the content a reviewer signs, stay `failing`.
 */
export const FindingHostViewSchema = FindingHostSchema.extend({
  state: z.enum([...HOST_PART_STATES, 'waived']),
  waiverId: IdSchema.optional(),
});
export type FindingHostView = z.infer<typeof FindingHostViewSchema>;

/** Wire view: one finding with the parts of its hosts (a page), attachments, authors and every approval. */
export const FindingDetailViewSchema = z.object({
  finding: FindingSchema,
  /** SHA-256 (hex) of the finding's reviewed content at this revision: what an approval signs (main/findings/content.ts). */
  contentHash: z.string(),
  hosts: pageOf(FindingHostViewSchema),
  attachments: z.array(AttachmentSchema),
  /** Everyone who changed any part of it (none of them may approve it). */
  authors: z.array(ActorSchema),
  /** Every approval, the voided ones too (with when and why). */
  approvals: z.array(FindingApprovalSchema),
  approvalsRequired: z.number().int().min(1),
});
export type FindingDetailView = z.infer<typeof FindingDetailViewSchema>;

export const FindingHistoryInputSchema = z.strictObject({
  ...findingRef,
  paging: PagingSchema.default({ offset: 0, limit: 100 }),
});

export const FindingEditInputSchema = z.strictObject({
  ...findingRef,
  changes: FindingEditSchema,
  /** Why: required for a severity other than the catalogue's, false positive and accepted risk. */
  reason: textInput(2000, 'Reason').optional(),
  /** The revision the editor read; a finding changed meanwhile is refused (read it again). */
  expectedRevision: ExpectedRevisionSchema,
});

export const FindingSubmitInputSchema = z.strictObject(findingRef);

export const FindingApproveInputSchema = z.strictObject({
  ...findingRef,
  /** The revision the reviewer read: an approval is for exactly that content. */
  expectedRevision: ExpectedRevisionSchema,
});

export const FindingApproveResultSchema = z.object({
  finding: FindingSchema,
  approvals: z.number().int().min(0),
  required: z.number().int().min(1),
});

export const FindingRejectInputSchema = z.strictObject({
  ...findingRef,
  comment: textInput(2000, 'Comment'),
});

const base64Error = 'Content must be the file in base64.';
export const FindingAttachInputSchema = z.strictObject({
  ...findingRef,
  /** The file's name as the user chose it (shown, never trusted: the type is read from the content). */
  name: textInput(255, 'File name'),
  contentBase64: z
    .string({ error: base64Error })
    .min(1, { error: 'Content is required (the file is empty).' })
    .max(Math.ceil(API_ATTACHMENT_MAX_BYTES / 3) * 4, {
      error: `Content is too large: at most ${API_ATTACHMENT_MAX_BYTES.toLocaleString('en-US')} bytes go through the API.`,
    })
    .refine((s) => s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s), { error: base64Error }),
  expectedRevision: ExpectedRevisionSchema.optional(),
});

export const FindingDetachInputSchema = z.strictObject({
  attachmentId: IdSchema,
  expectedRevision: ExpectedRevisionSchema.optional(),
});

export const AttachmentContentSchema = z.object({ attachment: AttachmentSchema, contentBase64: z.string() });

export const ReviewQueueInputSchema = z.strictObject({
  /** Only this engagement's findings (default: every engagement that is not archived). */
  engagementId: IdSchema.optional(),
  paging: PagingSchema.default({ offset: 0, limit: 100 }),
});

export const ApprovalsRequiredInputSchema = z.strictObject({
  engagementId: IdSchema,
  approvalsRequired: z
    .number({ error: `Approvals required must be a whole number from 1 to ${MAX_APPROVALS_REQUIRED}.` })
    .int({ error: `Approvals required must be a whole number from 1 to ${MAX_APPROVALS_REQUIRED}.` })
    .min(1, { error: `Approvals required must be a whole number from 1 to ${MAX_APPROVALS_REQUIRED}.` })
    .max(MAX_APPROVALS_REQUIRED, {
      error: `Approvals required must be a whole number from 1 to ${MAX_APPROVALS_REQUIRED}.`,
    }),
});

export const ApprovalsRequiredSchema = z.object({
  engagementId: IdSchema,
  approvalsRequired: z.number().int().min(1),
});
