/**
 * Dashboard of the open engagement for one scan (the latest finished one unless chosen): headline figures, score
 * per host, verdicts by family and severity, the score across scans, and the waivers expiring within 14 days. Charts never animate (screenshots and
 * tests see the final picture at once) and each has its figures as text.
 */
import { useEffect, type JSX } from 'react';
import { useStore } from '../store/index.js';
import { ScanChooser } from './dashboard/ScanChooser.js';
import { Headline } from './dashboard/Headline.js';
import { HostScores } from './dashboard/HostScores.js';
import { VerdictStacks } from './dashboard/VerdictStacks.js';
import { Trend } from './dashboard/Trend.js';
import { ExpiringWaivers } from './dashboard/ExpiringWaivers.js';
import '../styles/dashboard.css';

function Empty({ hasScans }: { hasScans: boolean }): JSX.Element {
  const navigate = useStore((s) => s.navigate);
  return (
    <div className="panel dashboard-empty" data-testid="dashboard-empty">
      <h2>{hasScans ? 'No finished scan yet' : 'No scan yet'}</h2>
      <p className="muted">
        {hasScans
          ? 'The dashboard summarises a finished scan. Choose a scan above, or wait for the running one to end.'
          : 'Scan the hosts of this engagement; their scores and verdicts appear here.'}
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => navigate({ screen: 'scan' })}
          data-testid="dashboard-go-scan"
        >
          Go to Scan
        </button>
      </div>
    </div>
  );
}

export function DashboardScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const dashboard = useStore((s) => s.dashboard);
  const forEngagement = useStore((s) => s.dashboardEngagementId);
  const scans = useStore((s) => s.dashboardScans);
  const loading = useStore((s) => s.dashboardLoading);
  const loadDashboard = useStore((s) => s.loadDashboard);
  const subscribe = useStore((s) => s.subscribeScanEvents);
  useEffect(() => {
    // Scan events reload the figures while a scan shown runs and when a scan of the engagement ends.
    subscribe();
    if (engagementId) void loadDashboard(engagementId);
  }, [engagementId, loadDashboard, subscribe]);
  const summary = dashboard && forEngagement === engagementId ? dashboard : null;
  return (
    <section className="screen dashboard" data-testid="screen-dashboard" aria-busy={loading}>
      <header className="screen-head">
        <h1>Dashboard</h1>
        {summary && <ScanChooser />}
      </header>
      {summary === null ? (
        <p className="muted">{loading ? 'Loading…' : ''}</p>
      ) : summary.scanId === null ? (
        <Empty hasScans={scans.length > 0} />
      ) : (
        <div data-testid="dashboard-body" data-scan-id={summary.scanId}>
          <Headline summary={summary} />
          <div className="dashboard-grid">
            <HostScores summary={summary} />
            <VerdictStacks summary={summary} />
            <Trend summary={summary} />
            <ExpiringWaivers summary={summary} />
          </div>
        </div>
      )}
    </section>
  );
}
