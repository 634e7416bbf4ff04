import type { z } from 'zod';
import { FoureyesError } from '../../shared/model/errors.js';

/** Validates caller input with `schema`; a failure is a `bad_input` error naming `what` and the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const msgs = r.error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new FoureyesError('bad_input', `invalid ${what}: ${msgs.join('; ')}`);
}
