/**
 * Results of one scan: counts per verdict (each toggles a filter), server-side filters and sort, a virtualised
 * host x check table fetched page by page, and side panels for a check's detail and a host's summary.
 */
import { useCallback, useEffect, useRef, type JSX } from 'react';
import type { ShownVerdict } from '../../../shared/model/results.js';
import type { ResultRow } from '../../../shared/api/schemas/results.js';
import type { HostRunView } from '../../../shared/api/schemas/scans.js';
import { ScanStateBadge } from '../components/Badges.js';
import { SafeText } from '../components/TargetText.js';
import { useStore } from '../store/index.js';
import { CheckDetailPanel } from './results/CheckDetailPanel.js';
import { HostDetailPanel } from './results/HostDetailPanel.js';
import { ResultFilters } from './results/ResultFilters.js';
import { ResultsTable } from './results/ResultsTable.js';
import { ScanChooser } from './results/ScanChooser.js';
import { VerdictCounts } from './results/VerdictCounts.js';
import { ScanProgressNote } from './results/ScanProgressNote.js';
import { UnassessedHosts } from './results/UnassessedHosts.js';
import {
  EMPTY_FILTER,
  defaultResultsScan,
  toggled,
  type ResultFilterDraft,
  type ResultQuery,
  type SortKey,
} from './results/resultsModel.js';
import '../styles/results.css';

const DEFAULT_SORT: ResultQuery['sort'] = { by: 'severity', dir: 'desc' };
const NO_RUNS: HostRunView[] = [];

export function ResultsScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const routeScanId = useStore((s) => s.route.scanId);
  const scans = useStore((s) => (s.scansOf === engagementId ? s.scans : null));
  const resultsScan = useStore((s) => s.resultsScan);
  const query = useStore((s) => s.resultQuery);
  const total = useStore((s) => (s.resultsKey ? (s.resultCache[s.resultsKey]?.total ?? null) : null));
  const checkDetail = useStore((s) => s.checkDetail);
  const hostDetail = useStore((s) => s.hostDetail);
  const navigate = useStore((s) => s.navigate);
  const loadScans = useStore((s) => s.loadScans);
  const loadResultsScan = useStore((s) => s.loadResultsScan);
  const setResultQuery = useStore((s) => s.setResultQuery);
  const subscribe = useStore((s) => s.subscribeScanEvents);
  const openCheckDetail = useStore((s) => s.openCheckDetail);
  const closeCheckDetail = useStore((s) => s.closeCheckDetail);
  const openHostDetail = useStore((s) => s.openHostDetail);
  const closeHostDetail = useStore((s) => s.closeHostDetail);
  const gridRef = useRef<HTMLDivElement | null>(null);

  const scanId = routeScanId ?? (scans ? defaultResultsScan(scans) : null);
  const scanError = useStore((s) =>
    s.resultsScanError !== null && s.resultsScanError.scanId === scanId ? s.resultsScanError.message : null,
  );

  useEffect(() => {
    subscribe();
    if (engagementId) void loadScans(engagementId);
  }, [engagementId, loadScans, subscribe]);
  useEffect(() => {
    if (!scanId) return;
    // Rows first: they are what the user waits for; the scan's counts and hosts follow. The same query again
    // fetches only when its rows were dropped meanwhile (host runs of a running scan ended off screen).
    const q = useStore.getState().resultQuery;
    setResultQuery(
      q?.scanId === scanId ? q : { scanId, filter: q?.filter ?? EMPTY_FILTER, sort: q?.sort ?? DEFAULT_SORT },
    );
    void loadResultsScan(scanId);
  }, [scanId, loadResultsScan, setResultQuery]);
  // Details belong to the scan they were opened in.
  useEffect(() => {
    closeCheckDetail();
    closeHostDetail();
  }, [scanId, closeCheckDetail, closeHostDetail]);

  const current = query?.scanId === scanId ? query : null;
  const setFilter = useCallback(
    (filter: ResultFilterDraft) => {
      const q = useStore.getState().resultQuery;
      if (q) setResultQuery({ ...q, filter });
    },
    [setResultQuery],
  );
  const setSort = (sort: ResultQuery['sort']): void => {
    if (current) setResultQuery({ ...current, sort });
  };
  const sortBy = (by: SortKey): void => {
    if (!current) return;
    const same = current.sort.by === by;
    setSort({
      by,
      dir: same
        ? current.sort.dir === 'asc'
          ? 'desc'
          : 'asc'
        : by === 'host' || by === 'check'
          ? 'asc'
          : 'desc',
    });
  };

  const openCheck = (r: ResultRow): void => void openCheckDetail(r.hostRunId, r.checkId);
  const openHost = (r: ResultRow): void => void openHostDetail(r.hostRunId);

  // Escape closes the topmost panel and gives the focus back to the table.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape') return;
      const s = useStore.getState();
      if (s.checkDetail) s.closeCheckDetail();
      else if (s.hostDetail) s.closeHostDetail();
      else return;
      e.preventDefault();
      if (!useStore.getState().hostDetail) gridRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const shownScan = resultsScan?.scan.id === scanId ? resultsScan : null;
  return (
    <section className="screen results-screen" data-testid="screen-results" data-scan-id={scanId ?? ''}>
      <header className="screen-head">
        <h1>Results</h1>
        {scans && <ScanChooser scans={scans} value={scanId} onChange={(id) => navigate({ scanId: id })} />}
        {shownScan && <ScanStateBadge scan={shownScan.scan} testId="results-scan-state" />}
        {shownScan && <ScanProgressNote scan={shownScan.scan} hostRuns={shownScan.hostRuns} />}
      </header>
      {scans && scans.length === 0 && (
        <p className="panel muted" data-testid="results-no-scan">
          No scan yet. Start one on the{' '}
          <button type="button" className="link" onClick={() => navigate({ screen: 'scan' })}>
            Scan screen
          </button>
          .
        </p>
      )}
      {scanError !== null && (
        <div className="panel" data-testid="results-scan-missing">
          <p>
            This scan cannot be shown: <SafeText text={scanError} />
          </p>
          <div className="actions">
            <button
              type="button"
              className="primary"
              onClick={() => navigate({ scanId: null })}
              data-testid="results-scan-missing-back"
            >
              Show the newest scan
            </button>
          </div>
        </div>
      )}
      {current && scanError === null && (
        <>
          <div className="results-summary">
            {shownScan ? (
              <VerdictCounts
                counts={shownScan.scan.counts}
                testId="results-count"
                active={current.filter.verdicts}
                onToggle={(v: ShownVerdict) =>
                  setFilter({ ...current.filter, verdicts: toggled(current.filter.verdicts, v) })
                }
              />
            ) : (
              <span className="muted">counting…</span>
            )}
            <span className="muted" data-testid="results-total" data-total={total ?? ''}>
              {total === null ? 'loading…' : `${total} ${total === 1 ? 'row' : 'rows'} match`}
              {shownScan && ` · ${shownScan.hostRuns.length} hosts`}
            </span>
            <span className="muted small results-keys">
              ↑↓ move · Enter: check detail · H: host detail · Esc: close
            </span>
          </div>
          {shownScan && (
            <UnassessedHosts hostRuns={shownScan.hostRuns} onOpen={(id) => void openHostDetail(id)} />
          )}
          <ResultFilters
            filter={current.filter}
            sort={current.sort}
            hostRuns={shownScan?.hostRuns ?? NO_RUNS}
            onFilter={setFilter}
            onSort={setSort}
          />
          <ResultsTable
            onOpenCheck={openCheck}
            onOpenHost={openHost}
            sort={current.sort}
            onSort={sortBy}
            gridRef={gridRef}
          />
        </>
      )}
      {hostDetail && !checkDetail && (
        <HostDetailPanel
          detail={hostDetail}
          onClose={() => {
            closeHostDetail();
            gridRef.current?.focus();
          }}
          onOpenCheck={(h, c) => void openCheckDetail(h, c)}
        />
      )}
      {checkDetail && (
        <CheckDetailPanel
          detail={checkDetail}
          onClose={() => {
            closeCheckDetail();
            if (!useStore.getState().hostDetail) gridRef.current?.focus();
          }}
        />
      )}
    </section>
  );
}
