/** Dashboard of the open engagement. */
import { useEffect, type JSX } from 'react';
import { useStore } from '../store/index.js';
import { SafeText } from '../components/SafeText.js';
import { formatScore } from '../components/format.js';

export function DashboardScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const dashboard = useStore((s) => s.dashboard);
  const loadDashboard = useStore((s) => s.loadDashboard);
  useEffect(() => {
    if (engagementId) void loadDashboard(engagementId);
  }, [engagementId, loadDashboard]);
  return (
    <section className="screen" data-testid="screen-dashboard">
      <header className="screen-head">
        <h1>Dashboard</h1>
      </header>
      <ul>
        {dashboard?.hosts.map((h) => (
          <li key={h.hostRunId ?? h.hostName}>
            <SafeText text={h.hostName} />: {formatScore(h.score)}
          </li>
        ))}
      </ul>
    </section>
  );
}
