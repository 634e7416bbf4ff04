/**
 * Waivers as they cross the API: the domain's schemas (shared/model/waiver.ts) with the check's title, and the
 * inputs of the four-eye commands.
 */
import { z } from 'zod';
import { WaiverDateSchema, WaiverViewSchema, WAIVER_STATES } from '../../model/waiver.js';
import { IdSchema, textInput } from './common.js';

export { WaiverViewSchema };

/** A waiver as listed: its view and the check's title (the check id when the catalogue does not know it). */
export const WaiverListItemSchema = WaiverViewSchema.extend({ checkTitle: z.string() });
export type WaiverListItem = z.infer<typeof WaiverListItemSchema>;

export const WaiverStateSchema = z.enum(WAIVER_STATES);

export const WaiverRequestInputSchema = z.strictObject({
  engagementId: IdSchema,
  checkId: textInput(200, 'Check'),
  /** Null: every host of the engagement. */
  hostId: IdSchema.nullable(),
  reason: textInput(2000, 'Reason'),
  owner: textInput(200, 'Owner').nullable().default(null),
  expiresOn: WaiverDateSchema,
});

const waiverRef = { waiverId: IdSchema };
export const WaiverApproveInputSchema = z.strictObject(waiverRef);
export const WaiverRejectInputSchema = z.strictObject({ ...waiverRef, comment: textInput(2000, 'Comment') });
export const WaiverRevokeInputSchema = z.strictObject({ ...waiverRef, reason: textInput(2000, 'Reason') });

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
