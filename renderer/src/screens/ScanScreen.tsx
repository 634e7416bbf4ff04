/** Scans of the open engagement. */
import { useEffect, type JSX } from 'react';
import { useStore } from '../store/index.js';
import { StateBadge } from '../components/Badges.js';
import { formatTime } from '../components/format.js';

export function ScanScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const scans = useStore((s) => s.scans);
  const loadScans = useStore((s) => s.loadScans);
  useEffect(() => {
    if (engagementId) void loadScans(engagementId);
  }, [engagementId, loadScans]);
  return (
    <section className="screen" data-testid="screen-scan">
      <header className="screen-head">
        <h1>Scan</h1>
      </header>
      <ul data-testid="scan-list">
        {scans.map((s) => (
          <li key={s.id}>
            {formatTime(s.startedAt)} <StateBadge state={s.state} />
          </li>
        ))}
      </ul>
    </section>
  );
}
