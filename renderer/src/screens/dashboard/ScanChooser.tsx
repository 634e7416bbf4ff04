/**
 * Which scan the dashboard summarises: the latest finished one by default, or any scan of the engagement; beside it
 * the shown scan's state in words (how many of its hosts failed).
 */
import type { JSX } from 'react';
import { useStore } from '../../store/index.js';
import { formatTime } from '../../components/format.js';
import { ScanStateBadge } from '../../components/Badges.js';
import { scanOutcome } from '../../../../shared/model/scan-outcome.js';

export function ScanChooser(): JSX.Element {
  const scans = useStore((s) => s.dashboardScans);
  const chosen = useStore((s) => s.dashboardScanId);
  const shown = useStore((s) => s.dashboard?.scanId ?? null);
  const choose = useStore((s) => s.chooseDashboardScan);
  const latest = scans.find((s) => s.state === 'done');
  const shownScan = scans.find((s) => s.id === shown);
  return (
    <>
      <label className="inline dashboard-chooser">
        Scan
        <select
          value={chosen ?? ''}
          onChange={(e) => void choose(e.target.value === '' ? null : e.target.value)}
          data-testid="dashboard-scan"
          data-shown-scan-id={shown ?? ''}
        >
          <option value="">Latest finished{latest ? ` (${formatTime(latest.startedAt)})` : ' (none)'}</option>
          {scans.map((s) => (
            <option key={s.id} value={s.id}>
              {formatTime(s.startedAt)} · {scanOutcome(s.state, s.hostStates).text} · {s.hostCount}{' '}
              {s.hostCount === 1 ? 'host' : 'hosts'}
            </option>
          ))}
        </select>
      </label>
      {shownScan && <ScanStateBadge scan={shownScan} testId="dashboard-scan-state" />}
    </>
  );
}
