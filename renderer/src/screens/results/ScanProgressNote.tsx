/** While the scan shown runs: how many of its hosts are done, and that rows appear as hosts finish. */
import type { JSX } from 'react';
import type { HostRunView, ScanSummary } from '../../../../shared/api/schemas/scans.js';
import { scanProgress } from './refreshModel.js';

interface Props {
  scan: ScanSummary;
  hostRuns: readonly HostRunView[];
}

export function ScanProgressNote({ scan, hostRuns }: Props): JSX.Element | null {
  const p = scanProgress(scan.state, hostRuns);
  if (!p.running) return null;
  return (
    <p
      className="results-progress"
      role="status"
      data-testid="results-scan-progress"
      data-ended={p.ended}
      data-total={p.total}
    >
      <strong>{p.text}</strong>
      <span className="muted small"> · rows appear here as hosts finish; the table refreshes on its own</span>
    </p>
  );
}
