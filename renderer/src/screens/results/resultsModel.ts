/**
 * Pure helpers for the results table: the query as a cache key, which pages a visible range needs, and reading
 * a row out of a sparse page cache.
 */
import type { ResultRow } from '../../../../shared/api/schemas/results.js';
import type { Family, Severity, ShownVerdict, Verdict } from '../../../../shared/model/results.js';

/** Rows per results.query call (the API's largest page). */
export const PAGE_SIZE = 1000;

export type SortKey = 'severity' | 'verdict' | 'host' | 'check';

/** What the user filters by; empty lists and blank text filter nothing. */
export interface ResultFilterDraft {
  /** `waived`: results an approved waiver covers. */
  verdicts: ShownVerdict[];
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
  verdicts?: ShownVerdict[];
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

/** The scan a query key (from queryKey) is of. */
export function scanIdOfKey(key: string): string | null {
  try {
    const parsed: unknown = JSON.parse(key);
    return Array.isArray(parsed) && typeof parsed[0] === 'string' ? parsed[0] : null;
  } catch {
    return null;
  }
}

/** Rows of one query fetched together: `rows[i]` is row `offset + i` of the sorted, filtered result. */
export interface Chunk {
  offset: number;
  rows: readonly ResultRow[];
}

/** A requested window of rows (offset, limit). */
export interface Window {
  offset: number;
  limit: number;
}

const covers = (w: { offset: number; length: number }, i: number): boolean =>
  i >= w.offset && i < w.offset + w.length;

/** Row `index` from the loaded chunks, or undefined while no chunk holds it. */
export function rowAt(chunks: readonly Chunk[], index: number): ResultRow | undefined {
  for (const c of chunks)
    if (covers({ offset: c.offset, length: c.rows.length }, index)) return c.rows[index - c.offset];
  return undefined;
}

/**
 * The one window of up to `pageSize` rows to fetch so rows first..last (inclusive, within total) are all loaded
 * or on their way, or null when nothing is missing. The window is centred on what is missing, so a jump (End,
 * a dragged scroll bar) costs one call, and rows just around the view come with it.
 */
export function windowFor(
  first: number,
  last: number,
  total: number,
  chunks: readonly Chunk[],
  pending: readonly Window[],
  pageSize = PAGE_SIZE,
): Window | null {
  const end = Math.min(last, total - 1);
  let lo = -1;
  let hi = -1;
  for (let i = Math.max(0, first); i <= end; i++) {
    if (
      rowAt(chunks, i) !== undefined ||
      pending.some((w) => covers({ offset: w.offset, length: w.limit }, i))
    )
      continue;
    if (lo < 0) lo = i;
    hi = i;
  }
  if (lo < 0) return null;
  // A view wider than a page (never at 1280x800) is filled from its top; the rest follows on the next call.
  const span = Math.min(hi - lo + 1, pageSize);
  const pad = Math.floor((pageSize - span) / 2);
  const offset = Math.max(0, Math.min(lo - pad, total - pageSize));
  return { offset, limit: pageSize };
}

/** Toggle one value in a list (for multi-select chips). */
export function toggled<T>(xs: readonly T[], x: T): T[] {
  return xs.includes(x) ? xs.filter((y) => y !== x) : [...xs, x];
}

/**
 * The scan the results screen opens when none is named: the newest one that runs or has results, so a scan
 * that was cancelled before any host finished (or whose hosts all failed) does not hide the last real results;
 * the newest scan when none qualifies. Scans are newest first, as scan.list gives them.
 */
export function defaultResultsScan(
  scans: readonly { id: string; state: string; counts: Record<Verdict, number> }[],
): string | null {
  const useful = scans.find((s) => s.state === 'running' || Object.values(s.counts).some((n) => n > 0));
  return (useful ?? scans[0])?.id ?? null;
}
