/**
 * JSON columns. A workspace is a file that can be copied, restored or edited by hand, so what comes back from a
 * JSON column is validated before it becomes a domain value; a malformed value is a `store` error naming the
 * table, row and column.
 */
import type { z } from 'zod';
import type { StoreContext } from './context.js';

const exactChecks = new WeakMap<z.ZodType, (value: unknown) => boolean>();

/**
 * Gives `schema` a plain check of the common case for readJson: `exact(value)` may be true only when the schema
 * accepts `value` and gives back an equal value (the same keys in the same order, nothing stripped, defaulted or
 * converted), which is then returned as parsed. Anything else still goes through the schema, its output or its
 * error. (Much of a short run's time would otherwise go to the schema's first uses.) Returns `schema`.
 */
export function withExactCheck<T>(schema: z.ZodType<T>, exact: (value: unknown) => boolean): z.ZodType<T> {
  exactChecks.set(schema, exact);
  return schema;
}

export function readJson<T>(
  ctx: StoreContext,
  schema: z.ZodType<T>,
  text: string,
  where: { table: string; id: string | number; column: string },
): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw ctx.error(`${where.table} ${where.id}: column ${where.column} is not valid JSON`);
  }
  if (exactChecks.get(schema)?.(value)) return value as T;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw ctx.error(
      `${where.table} ${where.id}: column ${where.column} is malformed${at}: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

/** An enumerated TEXT column. The schema's CHECK constraints make a mismatch unlikely; it is still not trusted. */
export function readEnum<T extends string>(
  ctx: StoreContext,
  values: readonly T[],
  value: string,
  where: { table: string; id: string | number; column: string },
): T {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw ctx.error(`${where.table} ${where.id}: column ${where.column} has an unknown value "${value}"`);
}

/**
 * Rows grouped by `key` (their order kept), each group behind a reader that converts (and so validates) its rows
 * when called: a batch read that reports a malformed row when, and only when, that group is used.
 */
export function readersBy<R, T>(rows: readonly R[], key: (r: R) => string, convert: (r: R) => T): Map<string, () => T[]> {
  const groups = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return new Map([...groups].map(([k, g]) => [k, () => g.map(convert)]));
}
