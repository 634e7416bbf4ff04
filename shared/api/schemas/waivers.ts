/**
 * Waivers as they cross the API: the domain's schemas (shared/model/waiver.ts) with the check's title, and the
 * inputs of the four-eye commands.
 */
import { z } from 'zod';
import { WaiverReasonSchema, WaiverRequestSchema, WaiverViewSchema, WAIVER_STATES } from '../../model/waiver.js';
import { IdSchema } from './common.js';

export { WaiverViewSchema };

/** A waiver as listed: its view and the check's title (the check id when the catalogue does not know it). */
export const WaiverListItemSchema = WaiverViewSchema.extend({ checkTitle: z.string() });
export type WaiverListItem = z.infer<typeof WaiverListItemSchema>;

export const WaiverStateSchema = z.enum(WAIVER_STATES);

/** The model's request, its ids as the API spells ids. `hostId` null: every host of the engagement. */
export const WaiverRequestInputSchema = WaiverRequestSchema.extend({
  engagementId: IdSchema,
  hostId: IdSchema.nullable(),
});

const waiverRef = { waiverId: IdSchema };
export const WaiverApproveInputSchema = z.strictObject(waiverRef);
export const WaiverRejectInputSchema = z.strictObject({ ...waiverRef, comment: WaiverReasonSchema });
export const WaiverRevokeInputSchema = z.strictObject({ ...waiverRef, reason: WaiverReasonSchema });

export const WaiverListInputSchema = z.strictObject({ engagementId: IdSchema });
export const WaiverListSchema = z.object({
  /** Today's date (UTC) the states and days until expiry are computed for. */
  today: z.string(),
  items: z.array(WaiverListItemSchema),
});

/** At most this many waivers expiring soon are listed on the dashboard (the rest are counted). */
export const EXPIRING_LISTED = 20;

/** Approved waivers that apply and lapse within WAIVER_EXPIRY_WARNING_DAYS days. */
export const WaiversExpiringSchema = z.object({
  count: z.number().int().min(0),
  items: z.array(WaiverListItemSchema),
});
