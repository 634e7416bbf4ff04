/** A finding's history, oldest first: who (or which scan) changed which field, when, before, after and why. */
import type { JSX } from 'react';
import { SafeText } from '../../components/TargetText.js';
import { formatTime } from '../../components/format.js';
import { useStore } from '../../store/index.js';

/** A value before or after a change, as text (strings as they are, anything else as JSON). */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function FindingHistory(): JSX.Element {
  const history = useStore((s) => s.findingHistory);
  const total = useStore((s) => s.findingHistoryTotal);
  if (history.length === 0) return <p className="muted small">No history.</p>;
  return (
    <table className="table history-table" data-testid="finding-history" data-total={total}>
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>Rev.</th>
          <th>What</th>
          <th>Before</th>
          <th>After</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        {history.map((c) => (
          <tr key={c.id} data-testid="finding-change" data-field={c.field} data-actor={c.actorName ?? ''} data-revision={c.revision}>
            <td className="small">{formatTime(c.at)}</td>
            <td>{c.actorName ? <SafeText text={c.actorName} /> : <span className="muted">scan</span>}</td>
            <td>{c.revision}</td>
            <td>{c.field}</td>
            <td>
              <SafeText text={valueText(c.before)} block className="history-value" />
            </td>
            <td>
              <SafeText text={valueText(c.after)} block className="history-value" />
            </td>
            <td>{c.reason ? <SafeText text={c.reason} /> : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
