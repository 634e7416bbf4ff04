/** Small building blocks shared by the contract's schemas. Input strings are bounded; outputs are not re-bounded. */
import { z } from 'zod';
import { ERROR_CODES } from '../../model/errors.js';
import { FAMILIES, SEVERITIES, SHOWN_VERDICTS, VERDICTS } from '../../model/results.js';
import { labelFromPath, shownValue, textError } from './sentences.js';

/** Opaque record id as the store hands it out (ULID/UUID-like: letters, digits, `-`, `_`). */
export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, {
    error: (iss) =>
      `${labelFromPath(iss.path)} must be an id of letters, digits, - and _${iss.input === undefined ? '' : ` (got ${shownValue(iss.input)})`}.`,
  });

/** ISO-8601 timestamp (UTC, as written by the store). */
export const TimestampSchema = z.string().max(40);

/** Trimmed, non-empty, bounded text from a user; `label` names the field in refusals ("Host name is required."). */
export const textInput = (max: number, label: string) => {
  const error = textError(label);
  return z.string({ error }).trim().min(1, { error }).max(max, { error });
};

export const VerdictSchema = z.enum(VERDICTS);
/** A verdict as shown: a stored one, or `waived` (shared/model/results.ts SHOWN_VERDICTS). */
export const ShownVerdictSchema = z.enum(SHOWN_VERDICTS);
export const SeveritySchema = z.enum(SEVERITIES);
export const FamilySchema = z.enum(FAMILIES);

/** Count of results per verdict. */
export const VerdictCountsSchema = z.object({
  pass: z.number().int().min(0),
  fail: z.number().int().min(0),
  not_applicable: z.number().int().min(0),
  error: z.number().int().min(0),
  manual: z.number().int().min(0),
  /** Results an approved waiver covers (not in fail, error or manual); present when any. */
  waived: z.number().int().min(0).optional(),
});
export type VerdictCounts = z.infer<typeof VerdictCountsSchema>;

/** Offset paging; `limit` is capped so one reply stays small. */
export const PagingSchema = z.strictObject({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    /** Number of items matching the query, across all pages. */
    total: z.number().int().min(0),
    offset: z.number().int().min(0),
    limit: z.number().int().min(1),
  });

/** An error as it crosses the boundary (see shared/model/errors.ts). */
export const ErrorInfoSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/** Input of methods that take no arguments. */
export const NoInputSchema = z.strictObject({});
