/**
 * Scan: choose hosts and checks, give secrets where needed, start; follow each host live; the engagement's scan
 * history below. The scan shown live is the route's scan, else the newest one while it still runs.
 */
import { useEffect, type JSX } from 'react';
import { formatTime } from '../components/format.js';
import { useStore } from '../store/index.js';
import { LiveScan } from './scan/LiveScan.js';
import { ScanHistory } from './scan/ScanHistory.js';
import { ScanSetup } from './scan/ScanSetup.js';
import '../styles/scan.css';

export function ScanScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const routeScanId = useStore((s) => s.route.scanId);
  const newest = useStore((s) => (s.scansOf === engagementId ? s.scans[0] : undefined));
  const liveId = useStore((s) => s.liveScan?.scan.id ?? null);
  const subscribe = useStore((s) => s.subscribeScanEvents);
  const loadCatalogue = useStore((s) => s.loadCatalogue);
  const loadHosts = useStore((s) => s.loadHosts);
  const loadScans = useStore((s) => s.loadScans);
  const watchScan = useStore((s) => s.watchScan);
  // An archived engagement is read-only: no new scan, no secret remembered or forgotten (the backend refuses them).
  const archivedAt = useStore((s) => (s.current?.id === engagementId ? s.current.archivedAt : null));

  useEffect(() => {
    subscribe();
    void loadCatalogue();
  }, [subscribe, loadCatalogue]);
  useEffect(() => {
    if (!engagementId) return;
    void loadHosts(engagementId);
    void loadScans(engagementId);
  }, [engagementId, loadHosts, loadScans]);

  const shownId = routeScanId ?? (newest?.state === 'running' ? newest.id : null);
  useEffect(() => {
    if (shownId && shownId !== liveId) void watchScan(shownId);
  }, [shownId, liveId, watchScan]);

  if (!engagementId) return <section className="screen" data-testid="screen-scan" />;
  return (
    <section className="screen" data-testid="screen-scan">
      <header className="screen-head">
        <h1>Scan</h1>
      </header>
      {archivedAt ? (
        <p className="panel muted" data-testid="scan-archived-note">
          This engagement was archived on {formatTime(archivedAt)}: it is read-only, so no scan can be started. Its
          scans and their results stay below.
        </p>
      ) : (
        <ScanSetup engagementId={engagementId} />
      )}
      {shownId && shownId === liveId && <LiveScan />}
      <ScanHistory engagementId={engagementId} />
    </section>
  );
}
