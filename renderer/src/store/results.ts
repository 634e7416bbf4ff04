/**
 * Results of one scan: a sparse cache of result pages per query (filter + sort), fetched as the table scrolls,
 * and the check and host details. The total of a query comes from its first reply.
 */
import type { z } from 'zod';
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { ResultRow, ResultsPageSchema } from '../../../shared/api/schemas/results.js';
import type { HostRun } from '../../../shared/api/schemas/scans.js';
import { api } from '../api/client.js';
import { value } from '../api/call.js';
import {
  PAGE_SIZE,
  apiFilter,
  pagesFor,
  queryKey,
  type ResultQuery,
} from '../screens/results/resultsModel.js';
import type { ScanDetail } from './scans.js';
import type { SliceCreator } from './types.js';

export type ResultsPage = z.infer<typeof ResultsPageSchema>;
export type CheckDetail = MethodOutput<'results.checkDetail'>;

/** Loaded pages of one query. */
export interface ResultCacheEntry {
  /** Generation: a reply for an entry that was dropped and made again meanwhile is not applied. */
  gen: number;
  /** Rows matching the query; null until the first reply. */
  total: number | null;
  pages: Record<number, ResultRow[]>;
}

export interface HostDetail {
  run: HostRun;
  /** Failing results of the run, worst first; null while loading. */
  failures: ResultRow[] | null;
  failureTotal: number;
}

export interface ResultSlice {
  /** The scan on the results screen, with its host runs. */
  resultsScan: ScanDetail | null;
  resultQuery: ResultQuery | null;
  /** queryKey(resultQuery): the cache entry the table shows. */
  resultsKey: string | null;
  /** Entries by query key; a few recent queries are kept so going back to one is instant. */
  resultCache: Record<string, ResultCacheEntry>;
  checkDetail: CheckDetail | null;
  hostDetail: HostDetail | null;
  loadResultsScan(scanId: string): Promise<void>;
  /** Show this query: from the cache when it has it, else its first page is fetched. */
  setResultQuery(q: ResultQuery): void;
  /** Make sure rows first..last of the current query are loaded (fetches the missing pages). */
  ensureResultRows(first: number, last: number): void;
  /** A scan ended: when it is the one shown, re-read it and drop its cached pages. */
  resultsScanFinished(scanId: string): void;
  openCheckDetail(hostRunId: string, checkId: string): Promise<void>;
  closeCheckDetail(): void;
  openHostDetail(hostRunId: string): Promise<void>;
  closeHostDetail(): void;
}

/** Queries kept in the cache. */
const CACHE_KEYS = 6;
const inFlight = new Set<string>();
let genSeq = 0;

export const createResultSlice: SliceCreator<ResultSlice> = (set, get) => {
  const fetchPage = async (q: ResultQuery, key: string, gen: number, page: number): Promise<void> => {
    const tag = `${key}#${gen}#${page}`;
    if (inFlight.has(tag)) return;
    inFlight.add(tag);
    try {
      const reply = await value(
        api().results.query({
          scanId: q.scanId,
          filter: apiFilter(q.filter),
          sort: q.sort,
          paging: { offset: page * PAGE_SIZE, limit: PAGE_SIZE },
        }),
      );
      const entry = get().resultCache[key];
      if (entry?.gen !== gen) return; // evicted or dropped meanwhile
      set({
        resultCache: {
          ...get().resultCache,
          [key]: { gen, total: entry.total ?? reply.total, pages: { ...entry.pages, [page]: reply.items } },
        },
      });
    } catch (e) {
      get().notify('error', 'Results', e);
    } finally {
      inFlight.delete(tag);
    }
  };

  const withEntry = (key: string): Record<string, ResultCacheEntry> => {
    const cache = get().resultCache;
    if (cache[key]) return cache;
    const keys = Object.keys(cache);
    const kept = Object.fromEntries(
      keys.slice(Math.max(0, keys.length - CACHE_KEYS + 1)).map((k) => [k, cache[k]!]),
    );
    return { ...kept, [key]: { gen: ++genSeq, total: null, pages: {} } };
  };

  return {
    resultsScan: null,
    resultQuery: null,
    resultsKey: null,
    resultCache: {},
    checkDetail: null,
    hostDetail: null,
    loadResultsScan: async (scanId) => {
      try {
        const d = await value(api().scan.get({ scanId }));
        if (get().route.engagementId === d.scan.engagementId) set({ resultsScan: d });
      } catch (e) {
        set({ resultsScan: null });
        get().notify('error', 'Results', e);
      }
    },
    setResultQuery: (q) => {
      const key = queryKey(q);
      const resultCache = withEntry(key);
      set({ resultQuery: q, resultsKey: key, resultCache });
      const entry = resultCache[key];
      if (entry && !entry.pages[0]) void fetchPage(q, key, entry.gen, 0);
    },
    ensureResultRows: (first, last) => {
      const { resultQuery: q, resultsKey: key, resultCache } = get();
      const entry = key ? resultCache[key] : undefined;
      if (!q || !key || !entry || entry.total === null) return;
      for (const p of pagesFor(first, last, entry.total))
        if (!entry.pages[p]) void fetchPage(q, key, entry.gen, p);
    },
    resultsScanFinished: (scanId) => {
      const s = get();
      if (s.resultsScan?.scan.id !== scanId) return;
      // Rows of a scan that was still running are incomplete: forget every cached page.
      set({ resultCache: {} });
      void s.loadResultsScan(scanId);
      if (s.resultQuery?.scanId === scanId) s.setResultQuery(s.resultQuery);
    },
    openCheckDetail: async (hostRunId, checkId) => {
      try {
        const d = await value(api().results.checkDetail({ hostRunId, checkId }));
        set({ checkDetail: d });
      } catch (e) {
        get().notify('error', 'Check detail', e);
      }
    },
    closeCheckDetail: () => set({ checkDetail: null }),
    openHostDetail: async (hostRunId) => {
      const scan = get().resultsScan;
      const run = scan?.hostRuns.find((r) => r.id === hostRunId);
      if (!scan || !run) return;
      set({ hostDetail: { run, failures: null, failureTotal: 0 } });
      if (run.hostId === null) {
        set({ hostDetail: { run, failures: [], failureTotal: 0 } });
        return;
      }
      try {
        const page = await value(
          api().results.query({
            scanId: scan.scan.id,
            filter: { hostIds: [run.hostId], verdicts: ['fail'] },
            sort: { by: 'severity', dir: 'desc' },
            paging: { offset: 0, limit: PAGE_SIZE },
          }),
        );
        // A removed host keeps its name, but a reused id could match another run: keep this run's rows only.
        const failures = page.items.filter((r) => r.hostRunId === hostRunId);
        if (get().hostDetail?.run.id === hostRunId)
          set({ hostDetail: { run, failures, failureTotal: page.total } });
      } catch (e) {
        get().notify('error', 'Host detail', e);
      }
    },
    closeHostDetail: () => set({ hostDetail: null }),
  };
};
