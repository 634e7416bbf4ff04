/**
 * Findings: one customer-facing issue made from the failing results of one check (or of checks a consultant
 * merged) across the hosts of an engagement, under the four-eye rule. The one definition of the domain: the store,
 * the services and (later) the API contract derive from these lists and schemas.
 */
import { z } from 'zod';
import { SEVERITIES, type Evidence, type Severity } from './results.js';

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

/** A host's part of a finding (per check). */
export interface FindingHost {
  id: number;
  checkId: string;
  /** Null for a target that is not in the inventory (CLI scans, imports) or a host removed since. */
  hostId: string | null;
  targetName: string;
  state: HostPartState;
  firstScanId: string | null;
  lastScanId: string | null;
  resultId: number | null;
  /** What the last scan found (target text). */
  actual: string;
  /** The evidence of the last scan that saw this part. */
  evidence: Evidence[];
  firstSeenAt: string;
  lastSeenAt: string;
  fixedAt: string | null;
}

export interface Attachment {
  id: string;
  findingId: string;
  name: string;
  mediaType: AttachmentType;
  size: number;
  sha256: string;
  addedAt: string;
  addedBy: string;
}

export interface Finding {
  id: string;
  engagementId: string;
  /** The check id, or a merge key. */
  key: string;
  title: string;
  severity: Severity;
  catalogueSeverity: Severity;
  severityReason: string | null;
  status: FindingStatus;
  statusReason: string | null;
  recommendation: string;
  /** Markdown, as the consultant wrote it. */
  notes: string;
  tags: string[];
  customerOwner: string | null;
  dueDate: string | null;
  reviewState: ReviewState;
  submittedBy: string | null;
  revision: number;
  /** Fields a person has set (a re-scan leaves them alone). */
  editedFields: EditableField[];
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

/** One entry of a finding's history. `actorId` null: the change came from scan `scanId`. */
export interface FindingChange {
  id: number;
  findingId: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  scanId: string | null;
  field: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  revision: number;
}

export interface FindingApproval {
  id: number;
  findingId: string;
  reviewerId: string;
  reviewerName: string;
  revision: number;
  contentHash: string;
  /** Base64 Ed25519 signature (see main/findings/content.ts for what is signed). */
  signature: string;
  at: string;
  voidedAt: string | null;
  voidedWhy: string | null;
}
