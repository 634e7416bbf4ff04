/**
 * Findings: one customer-facing issue made from the failing results of one check (or of checks a consultant
 * merged) across the hosts of an engagement, under the four-eye rule. The one definition of the domain: the store,
 * the services and the API contract (shared/api/schemas/findings.ts) derive from these lists and schemas; the types
 * are inferred from the schemas.
 */
import { z } from 'zod';
import { EvidenceSchema } from './evidence.js';
import { SEVERITIES } from './results.js';

export const FINDING_STATUSES = ['open', 'confirmed', 'false_positive', 'accepted_risk', 'fixed', 'verified_fixed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** Statuses a person may set only with a reason. */
export const STATUSES_NEEDING_REASON: readonly FindingStatus[] = ['false_positive', 'accepted_risk'];

/** draft -> in_review -> approved; back to draft with a comment (rejection); any change sends approved back to review. */
export const REVIEW_STATES = ['draft', 'in_review', 'approved'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const HOST_PART_STATES = ['failing', 'fixed'] as const;
export type HostPartState = (typeof HOST_PART_STATES)[number];

/** Attachment types accepted, each recognised by its content (magic bytes), never by its name. */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** Distinct approvers an engagement may require per finding. */
export const MAX_APPROVALS_REQUIRED = 9;

/** Fields a person edits; a re-scan never overwrites one a person has set. */
export const EDITABLE_FIELDS = ['title', 'severity', 'status', 'notes', 'recommendation', 'tags', 'customerOwner', 'dueDate'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

const text = (max: number, label: string) =>
  z.string({ error: `${label} must be text` }).trim().min(1, { error: `${label} is required` }).max(max, {
    error: `${label} is longer than ${max} characters`,
  });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Due date must be a date (YYYY-MM-DD)' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    error: 'Due date is not a calendar date',
  });

/** What one edit may change; at least one field. `reason` explains a severity override, false positive, accepted risk. */
export const FindingEditSchema = z
  .strictObject({
    title: text(300, 'Title').optional(),
    severity: z.enum(SEVERITIES).optional(),
    status: z.enum(FINDING_STATUSES).optional(),
    notes: z.string().max(100_000, { error: 'Notes are longer than 100000 characters' }).optional(),
    recommendation: z.string().max(20_000, { error: 'Recommendation is longer than 20000 characters' }).optional(),
    tags: z.array(text(50, 'Tag')).max(50, { error: 'At most 50 tags' }).optional(),
    customerOwner: text(200, 'Owner').nullable().optional(),
    dueDate: isoDate.nullable().optional(),
  })
  .refine((c) => Object.keys(c).length > 0, { error: 'at least one field to change expected' });
export type FindingEdit = z.input<typeof FindingEditSchema>;

export const ReasonSchema = text(2000, 'Reason');

const Timestamp = z.string();
const PersonId = z.string();

/** A host's part of a finding (per check). */
export const FindingHostSchema = z.object({
  id: z.number().int(),
  checkId: z.string(),
  /** Null for a target that is not in the inventory (CLI scans, imports) or a host removed since. */
  hostId: z.string().nullable(),
  targetName: z.string(),
  state: z.enum(HOST_PART_STATES),
  firstScanId: z.string().nullable(),
  lastScanId: z.string().nullable(),
  resultId: z.number().int().nullable(),
  /** What the last scan found (target text). */
  actual: z.string(),
  /** The evidence of the last scan that saw this part. */
  evidence: z.array(EvidenceSchema),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
  fixedAt: Timestamp.nullable(),
});
export type FindingHost = z.infer<typeof FindingHostSchema>;

export const AttachmentSchema = z.object({
  id: z.string(),
  findingId: z.string(),
  name: z.string(),
  mediaType: z.enum(ATTACHMENT_TYPES),
  size: z.number().int(),
  sha256: z.string(),
  addedAt: Timestamp,
  addedBy: PersonId,
});
export type Attachment = z.infer<typeof AttachmentSchema>;

export const FindingSchema = z.object({
  id: z.string(),
  engagementId: z.string(),
  /** The check id, or a merge key. */
  key: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  catalogueSeverity: z.enum(SEVERITIES),
  severityReason: z.string().nullable(),
  status: z.enum(FINDING_STATUSES),
  statusReason: z.string().nullable(),
  recommendation: z.string(),
  /** Markdown, as the consultant wrote it. */
  notes: z.string(),
  tags: z.array(z.string()),
  customerOwner: z.string().nullable(),
  dueDate: z.string().nullable(),
  reviewState: z.enum(REVIEW_STATES),
  submittedBy: PersonId.nullable(),
  revision: z.number().int(),
  /** Fields a person has set (a re-scan leaves them alone). */
  editedFields: z.array(z.enum(EDITABLE_FIELDS)),
  createdAt: Timestamp,
  createdBy: PersonId.nullable(),
  updatedAt: Timestamp,
  updatedBy: PersonId.nullable(),
});
export type Finding = z.infer<typeof FindingSchema>;

/** One entry of a finding's history. `actorId` null: the change came from scan `scanId`. */
export const FindingChangeSchema = z.object({
  id: z.number().int(),
  findingId: z.string(),
  at: Timestamp,
  actorId: PersonId.nullable(),
  actorName: z.string().nullable(),
  scanId: z.string().nullable(),
  field: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  revision: z.number().int(),
});
export type FindingChange = z.infer<typeof FindingChangeSchema>;

export const FindingApprovalSchema = z.object({
  id: z.number().int(),
  findingId: z.string(),
  reviewerId: PersonId,
  reviewerName: z.string(),
  revision: z.number().int(),
  contentHash: z.string(),
  /** Base64 Ed25519 signature (see main/findings/content.ts for what is signed). */
  signature: z.string(),
  at: Timestamp,
  voidedAt: Timestamp.nullable(),
  voidedWhy: z.string().nullable(),
});
export type FindingApproval = z.infer<typeof FindingApprovalSchema>;
