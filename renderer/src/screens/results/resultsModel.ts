/**
 * Pure helpers for the results table: the query as a cache key, which pages a visible range needs, and reading
 * a row out of a sparse page cache.
 */
import type { ResultRow } from '../../../../shared/api/schemas/results.js';
import type { Family, Severity, Verdict } from '../../../../shared/model/results.js';

/** Rows per results.query call (the API's largest page). */
export const PAGE_SIZE = 1000;

export type SortKey = 'severity' | 'verdict' | 'host' | 'check';

/** What the user filters by; empty lists and blank text filter nothing. */
export interface ResultFilterDraft {
  verdicts: Verdict[];
  severities: Severity[];
  families: Family[];
  hostIds: string[];
  text: string;
}

export interface ResultQuery {
  scanId: string;
  filter: ResultFilterDraft;
  sort: { by: SortKey; dir: 'asc' | 'desc' };
}

export const EMPTY_FILTER: ResultFilterDraft = {
  verdicts: [],
  severities: [],
  families: [],
  hostIds: [],
  text: '',
};

/** The filter as results.query takes it: only the parts that filter something. */
export function apiFilter(f: ResultFilterDraft): {
  verdicts?: Verdict[];
  severities?: Severity[];
  families?: Family[];
  hostIds?: string[];
  text?: string;
} {
  const text = f.text.trim().slice(0, 200);
  return {
    ...(f.verdicts.length ? { verdicts: [...f.verdicts] } : {}),
    ...(f.severities.length ? { severities: [...f.severities] } : {}),
    ...(f.families.length ? { families: [...f.families] } : {}),
    ...(f.hostIds.length ? { hostIds: [...f.hostIds] } : {}),
    ...(text ? { text } : {}),
  };
}

/** One key per distinct query: list order and surrounding blanks do not make a new key. */
export function queryKey(q: ResultQuery): string {
  const f = apiFilter(q.filter);
  const sorted = (xs: readonly string[] | undefined): string[] | null => (xs ? [...xs].sort() : null);
  return JSON.stringify([
    q.scanId,
    sorted(f.verdicts),
    sorted(f.severities),
    sorted(f.families),
    sorted(f.hostIds),
    f.text?.toLowerCase() ?? null,
    q.sort.by,
    q.sort.dir,
  ]);
}

/** Pages holding rows first..last (inclusive), within total. */
export function pagesFor(first: number, last: number, total: number | null, pageSize = PAGE_SIZE): number[] {
  if (total === 0 || last < first) return [];
  const end = total === null ? first : Math.min(last, total - 1);
  const out: number[] = [];
  for (let p = Math.floor(Math.max(0, first) / pageSize); p <= Math.floor(Math.max(0, end) / pageSize); p++)
    out.push(p);
  return out;
}

/** Row `index` from a sparse page cache, or undefined while its page is not loaded. */
export function rowAt(
  pages: Readonly<Record<number, readonly ResultRow[]>>,
  index: number,
  pageSize = PAGE_SIZE,
): ResultRow | undefined {
  return pages[Math.floor(index / pageSize)]?.[index % pageSize];
}

/** Toggle one value in a list (for multi-select chips). */
export function toggled<T>(xs: readonly T[], x: T): T[] {
  return xs.includes(x) ? xs.filter((y) => y !== x) : [...xs, x];
}
