/**
 * Dates of waivers, kept free of zod so that what reads waivers on the CLI's fast start (the scan report) builds no
 * schema. An expiry date is the first day (UTC) on which a waiver no longer applies.
 */

/** Today's date (UTC) of `now`, YYYY-MM-DD. */
export const utcDay = (now: Date): string => now.toISOString().slice(0, 10);

/** Whole days from `today` to `date` (both YYYY-MM-DD). */
export const daysBetween = (today: string, date: string): number =>
  Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
