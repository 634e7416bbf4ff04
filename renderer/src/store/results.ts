/**
 * Results of one scan: a sparse cache of loaded rows per query (filter + sort), fetched 1000 rows a call as the
 * table scrolls, and the check and host details. The total of a query comes from its first reply.
 */
import type { z } from 'zod';
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { ResultRow, ResultsPageSchema } from '../../../shared/api/schemas/results.js';
import type { EventPayload } from '../../../shared/api/events.js';
import type { HostRunView } from '../../../shared/api/schemas/scans.js';
import { api } from '../api/client.js';
import { messageOf, value } from '../api/call.js';
import { mergeProgress } from '../screens/scan/liveModel.js';
import { coalescer, isTerminal, resultsActionOn } from '../screens/results/refreshModel.js';
import {
  PAGE_SIZE,
  apiFilter,
  queryKey,
  scanIdOfKey,
  windowFor,
  type Chunk,
  type ResultQuery,
  type Window,
} from '../screens/results/resultsModel.js';
import type { ScanDetail } from './scans.js';
import type { SliceCreator } from './types.js';

export type ResultsPage = z.infer<typeof ResultsPageSchema>;
export type CheckDetail = MethodOutput<'results.checkDetail'>;

/** Loaded rows of one query. */
export interface ResultCacheEntry {
  /** Generation: a reply for an entry that was dropped and made again meanwhile is not applied. */
  gen: number;
  /** Rows matching the query; null until the first reply. */
  total: number | null;
  /** Windows of rows fetched so far (at most MAX_CHUNKS; the oldest go first). */
  chunks: Chunk[];
}

export interface HostDetail {
  run: HostRunView;
  /** Failing results of the run, worst first; null while loading. */
  failures: ResultRow[] | null;
  failureTotal: number;
  /** Why the failures could not be read (then failures stays null): the backend's message. */
  failuresError?: string;
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
  /** Why the scan the results screen was asked for cannot be shown (unknown, of another engagement...). */
  resultsScanError: { scanId: string; message: string } | null;
  loadResultsScan(scanId: string): Promise<void>;
  /** Show this query: from the cache when it has it, else its first 1000 rows are fetched. */
  setResultQuery(q: ResultQuery): void;
  /** Make sure rows first..last of the current query are loaded (one call of up to 1000 rows when some are not). */
  ensureResultRows(first: number, last: number): void;
  /**
   * A host run changed state (scan.progress): the shown scan's runs follow at once; when a run of it ended, its
   * counts and the rows in view are re-read (at most once per REFRESH_INTERVAL_MS), or, off the results screen,
   * its cached rows are dropped so the screen re-reads them when it opens.
   */
  resultsScanProgress(p: EventPayload<'scan.progress'>): void;
  /**
   * Re-read the scan's counts and host runs and the rows in view of the current query, keeping the rows shown
   * until the new ones arrive (the scroll position stays; open details stay); other cached queries of the scan go.
   */
  refreshResults(scanId: string): Promise<void>;
  /** A scan ended: when it is the one shown, re-read it and its rows (as refreshResults; off screen: drop them). */
  resultsScanFinished(scanId: string): void;
  openCheckDetail(hostRunId: string, checkId: string): Promise<void>;
  closeCheckDetail(): void;
  openHostDetail(hostRunId: string): Promise<void>;
  closeHostDetail(): void;
}

/** Queries kept in the cache. */
const CACHE_KEYS = 6;
/** Windows kept per query: 40 x 1000 rows. */
const MAX_CHUNKS = 40;
/** Windows asked for and not answered yet, by entry generation. */
const pending = new Map<number, Window[]>();
let genSeq = 0;
/** Rows last asked for by the table (what is in view), for a refresh to re-read. */
let lastRange = { first: 0, last: 0 };
/** Latest refresh per query key: an older refresh's reply is not applied. */
const refreshSeq = new Map<string, number>();
let refreshCount = 0;
/** Scan whose runs ended since the last refresh. */
let dirtyScanId: string | null = null;
/** Latest scan.get of the results screen and latest check detail asked for: an older reply is not applied. */
let scanLoadSeq = 0;
let checkDetailSeq = 0;

export const createResultSlice: SliceCreator<ResultSlice> = (set, get) => {
  const fetchWindow = async (q: ResultQuery, key: string, gen: number, w: Window): Promise<void> => {
    pending.set(gen, [...(pending.get(gen) ?? []), w]);
    try {
      const reply = await value(
        api().results.query({ scanId: q.scanId, filter: apiFilter(q.filter), sort: q.sort, paging: w }),
      );
      const entry = get().resultCache[key];
      if (entry?.gen !== gen) return; // evicted or dropped meanwhile
      const chunks = [...entry.chunks, { offset: reply.offset, rows: reply.items }].slice(-MAX_CHUNKS);
      set({
        resultCache: { ...get().resultCache, [key]: { gen, total: entry.total ?? reply.total, chunks } },
      });
    } catch (e) {
      get().notify('error', 'Results', e);
    } finally {
      const left = (pending.get(gen) ?? []).filter((x) => x !== w);
      if (left.length > 0) pending.set(gen, left);
      else pending.delete(gen);
    }
  };

  /** The cache with `key` as its most recent entry (made when missing; the least recent beyond CACHE_KEYS go). */
  const withEntry = (key: string): Record<string, ResultCacheEntry> => {
    const cache = get().resultCache;
    const entry = cache[key] ?? { gen: ++genSeq, total: null, chunks: [] };
    const others = Object.keys(cache).filter((k) => k !== key);
    const kept = others
      .slice(Math.max(0, others.length - CACHE_KEYS + 1))
      .map((k) => [k, cache[k]!] as const);
    return { ...Object.fromEntries(kept), [key]: entry };
  };

  /** The cache without the entries of `scanId`, but for `keep`. */
  const withoutScan = (scanId: string, keep: string | null): Record<string, ResultCacheEntry> =>
    Object.fromEntries(
      Object.entries(get().resultCache).filter(([k]) => k === keep || scanIdOfKey(k) !== scanId),
    );

  const refresher = coalescer(() => {
    const id = dirtyScanId;
    dirtyScanId = null;
    if (id) void get().refreshResults(id);
  });

  return {
    resultsScan: null,
    resultQuery: null,
    resultsKey: null,
    resultCache: {},
    checkDetail: null,
    hostDetail: null,
    resultsScanError: null,
    loadResultsScan: async (scanId) => {
      // Another scan chosen meanwhile: this reply would replace the newer one's (and its counts would never come).
      const seq = ++scanLoadSeq;
      try {
        const d = await value(api().scan.get({ scanId }));
        if (seq !== scanLoadSeq) return;
        const { engagementId, scanId: named } = get().route;
        if (engagementId === d.scan.engagementId) set({ resultsScan: d, resultsScanError: null });
        else if (engagementId !== null && named === scanId)
          // An address naming a scan of another engagement: its rows must not show under this one.
          set({ resultsScanError: { scanId, message: `scan ${scanId} is not a scan of this engagement` } });
      } catch (e) {
        if (seq !== scanLoadSeq) return;
        // A refresh that failed keeps the rows shown (the notice says why); a scan that never loaded says so in place.
        if (get().resultsScan?.scan.id !== scanId)
          set({ resultsScan: null, resultsScanError: { scanId, message: messageOf(e) } });
        get().notify('error', 'Results', e);
      }
    },
    setResultQuery: (q) => {
      const key = queryKey(q);
      // Another query starts at its top: a refresh must not re-read the rows in view of the last one.
      if (key !== get().resultsKey) lastRange = { first: 0, last: 0 };
      const resultCache = withEntry(key);
      set({ resultQuery: q, resultsKey: key, resultCache });
      const entry = resultCache[key];
      if (entry && entry.total === null && !pending.has(entry.gen))
        void fetchWindow(q, key, entry.gen, { offset: 0, limit: PAGE_SIZE });
    },
    ensureResultRows: (first, last) => {
      const { resultQuery: q, resultsKey: key, resultCache } = get();
      const entry = key ? resultCache[key] : undefined;
      if (!q || !key || !entry || entry.total === null) return;
      lastRange = { first, last };
      const w = windowFor(first, last, entry.total, entry.chunks, pending.get(entry.gen) ?? []);
      if (w) void fetchWindow(q, key, entry.gen, w);
    },
    resultsScanProgress: (p) => {
      const s = get();
      const shown = s.resultsScan;
      if (shown?.scan.id !== p.scanId) return;
      const runs = mergeProgress(shown.hostRuns, p);
      if (runs) set({ resultsScan: { ...shown, hostRuns: runs } });
      const action = resultsActionOn(p, shown.scan.id, s.route.screen === 'results');
      if (action === 'refresh') {
        dirtyScanId = p.scanId;
        refresher.request();
      } else if (action === 'invalidate') set({ resultCache: withoutScan(p.scanId, null) });
    },
    refreshResults: async (scanId) => {
      const s = get();
      if (s.resultsScan?.scan.id !== scanId) return;
      const openHost = s.hostDetail?.run;
      const counts = s.loadResultsScan(scanId).then(() => {
        // The host detail of a run that has ended since it opened shows its failures now.
        const run = get().resultsScan?.hostRuns.find((r) => r.id === openHost?.id);
        if (openHost && run && !isTerminal(openHost.state) && isTerminal(run.state) && get().hostDetail)
          void get().openHostDetail(run.id);
      });
      const { resultQuery: q, resultsKey: key } = s;
      const current = q?.scanId === scanId ? key : null;
      set({ resultCache: withoutScan(scanId, current) });
      const entry = current ? get().resultCache[current] : undefined;
      if (!q || !current) return counts;
      if (!entry) {
        s.setResultQuery(q);
        return counts;
      }
      const seq = ++refreshCount;
      refreshSeq.set(current, seq);
      const w = windowFor(
        lastRange.first,
        lastRange.last,
        Math.max(entry.total ?? 0, lastRange.last + 1),
        [],
        [],
      );
      try {
        const reply = await value(
          api().results.query({
            scanId,
            filter: apiFilter(q.filter),
            sort: q.sort,
            paging: w ?? { offset: 0, limit: PAGE_SIZE },
          }),
        );
        if (refreshSeq.get(current) !== seq || !get().resultCache[current]) return await counts;
        // A new generation: windows fetched for the old one before this refresh are stale and are dropped.
        const fresh: ResultCacheEntry = {
          gen: ++genSeq,
          total: reply.total,
          chunks: [{ offset: reply.offset, rows: reply.items }],
        };
        set({ resultCache: { ...get().resultCache, [current]: fresh } });
      } catch (e) {
        get().notify('error', 'Results', e);
      } finally {
        if (refreshSeq.get(current) === seq) refreshSeq.delete(current);
      }
      await counts;
    },
    resultsScanFinished: (scanId) => {
      const s = get();
      if (s.resultsScan?.scan.id !== scanId) return;
      // Rows of a scan that was still running are incomplete: read them again now, not after the interval.
      refresher.cancel();
      dirtyScanId = null;
      if (s.route.screen === 'results') void s.refreshResults(scanId);
      else {
        set({ resultCache: withoutScan(scanId, null) });
        void s.loadResultsScan(scanId);
      }
    },
    openCheckDetail: async (hostRunId, checkId) => {
      // Closed, another check opened or another scan shown meanwhile: a late reply must not open this one.
      const seq = ++checkDetailSeq;
      try {
        const d = await value(api().results.checkDetail({ hostRunId, checkId }));
        if (seq === checkDetailSeq) set({ checkDetail: d });
      } catch (e) {
        if (seq === checkDetailSeq) get().notify('error', 'Check detail', e);
      }
    },
    closeCheckDetail: () => {
      checkDetailSeq++;
      set({ checkDetail: null });
    },
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
        // Said in the panel, or it would wait ("Loading…") for ever.
        if (get().hostDetail?.run.id === hostRunId)
          set({ hostDetail: { run, failures: null, failureTotal: 0, failuresError: messageOf(e) } });
        get().notify('error', 'Host detail', e);
      }
    },
    closeHostDetail: () => set({ hostDetail: null }),
  };
};
