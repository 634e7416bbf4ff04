/**
 * Waivers (accepted risks): a check's result on one host, or on every host of an engagement, that the customer
 * accepts until a date. The one definition of the domain: the store (schema 0009), the services, the API contract
 * and the CLI derive from these lists and schemas; the types are inferred from them.
 *
 * A waiver is requested by one person and approved (signed) or rejected by another (the four-eye rule); an approved
 * one may be revoked. `lapsed` is never stored: an approved waiver whose expiry date has come is lapsed, and from
 * that day it no longer applies.
 */
import { z } from 'zod';

/** States a waiver is stored in. */
export const STORED_WAIVER_STATES = ['requested', 'approved', 'rejected', 'revoked'] as const;
export type StoredWaiverState = (typeof STORED_WAIVER_STATES)[number];

/** States a waiver is shown in: the stored ones, and `lapsed` (approved, its expiry date reached). */
export const WAIVER_STATES = [...STORED_WAIVER_STATES, 'lapsed'] as const;
export type WaiverState = (typeof WAIVER_STATES)[number];

/** Waivers that expire within this many days are shown on the dashboard. */
export const WAIVER_EXPIRY_WARNING_DAYS = 14;

const text = (max: number, label: string) =>
  z.string({ error: `${label} must be text` }).trim().min(1, { error: `${label} is required` }).max(max, {
    error: `${label} is longer than ${max} characters`,
  });

/** A calendar date, YYYY-MM-DD. */
export const WaiverDateSchema = z
  .string({ error: 'Expiry date must be a date (YYYY-MM-DD)' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Expiry date must be a date (YYYY-MM-DD)' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    error: 'Expiry date is not a calendar date',
  });

export const WaiverReasonSchema = text(2000, 'Reason');

/** What a person asks for. `hostId` null: every host of the engagement. */
export const WaiverRequestSchema = z.strictObject({
  engagementId: z.string().min(1).max(64),
  checkId: text(200, 'Check'),
  hostId: z.string().min(1).max(64).nullable(),
  reason: WaiverReasonSchema,
  owner: text(200, 'Owner').nullable().default(null),
  expiresOn: WaiverDateSchema,
});
export type WaiverRequest = z.input<typeof WaiverRequestSchema>;

const Timestamp = z.string();

/** The person who made a decision, when, and why. */
const DecisionSchema = z.object({ personId: z.string(), name: z.string(), at: Timestamp });

/** A stored waiver. */
export const WaiverSchema = z.object({
  id: z.string(),
  engagementId: z.string(),
  checkId: z.string(),
  /** Null: every host of the engagement. */
  hostId: z.string().nullable(),
  /** The host's name when it was requested ("all hosts" when hostId is null). */
  hostName: z.string().nullable(),
  reason: z.string(),
  owner: z.string().nullable(),
  /** The first day on which it no longer applies (YYYY-MM-DD, UTC). */
  expiresOn: z.string(),
  requestedBy: DecisionSchema,
  state: z.enum(STORED_WAIVER_STATES),
  /** SHA-256 of the canonical JSON of what was requested (main/waivers/content.ts). */
  contentHash: z.string(),
  approval: DecisionSchema.extend({ contentHash: z.string(), signature: z.string() }).nullable(),
  rejection: DecisionSchema.extend({ comment: z.string() }).nullable(),
  revocation: DecisionSchema.extend({ reason: z.string() }).nullable(),
});
export type Waiver = z.infer<typeof WaiverSchema>;

/** A waiver as listed: its shown state, whether it applies to results now, and if not why. */
export const WaiverViewSchema = WaiverSchema.extend({
  shownState: z.enum(WAIVER_STATES),
  /** Days from today (UTC) to the expiry date; 0 or less once lapsed. */
  daysUntilExpiry: z.number().int(),
  /** True when results of its check and host(s) show as waived now. */
  applies: z.boolean(),
  /** Why an approved, unexpired waiver does not apply (its approval does not verify); null otherwise. */
  problem: z.string().nullable(),
});
export type WaiverView = z.infer<typeof WaiverViewSchema>;

export { daysBetween, utcDay } from './waiver-dates.js';
