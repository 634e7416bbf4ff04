/** Which scan of the engagement the results show (see defaultResultsScan unless one was chosen). */
import type { JSX } from 'react';
import type { ScanSummary } from '../../../../shared/api/schemas/scans.js';
import { formatTime } from '../../components/format.js';
import { scanOutcome } from '../../../../shared/model/scan-outcome.js';

interface Props {
  scans: readonly ScanSummary[];
  value: string | null;
  onChange(scanId: string): void;
  testId?: string;
}

export function ScanChooser({ scans, value, onChange, testId = 'results-scan' }: Props): JSX.Element {
  return (
    <label className="inline results-scan-chooser">
      Scan
      <select
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        disabled={scans.length === 0}
      >
        {value !== null && !scans.some((s) => s.id === value) && <option value={value}>{value}</option>}
        {scans.map((s, i) => (
          <option key={s.id} value={s.id}>
            {formatTime(s.startedAt)} · {scanOutcome(s.state, s.hostStates).text} · {s.hostCount}{' '}
            {s.hostCount === 1 ? 'host' : 'hosts'}
            {i === 0 ? ' (newest)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
