/** Results of the chosen scan. */
import { useEffect, type JSX } from 'react';
import { useStore } from '../store/index.js';
import { SafeText } from '../components/SafeText.js';
import { VerdictBadge } from '../components/Badges.js';

export function ResultsScreen(): JSX.Element {
  const scanId = useStore((s) => s.route.scanId);
  const page = useStore((s) => s.resultsPage);
  const loadResults = useStore((s) => s.loadResults);
  useEffect(() => {
    if (scanId) void loadResults(scanId);
  }, [scanId, loadResults]);
  return (
    <section className="screen" data-testid="screen-results">
      <header className="screen-head">
        <h1>Results</h1>
      </header>
      {!scanId && <p className="muted">Choose a scan on the Scan screen.</p>}
      <ul>
        {page?.items.map((r) => (
          <li key={`${r.hostRunId}/${r.checkId}`}>
            <VerdictBadge verdict={r.verdict} /> <SafeText text={r.hostName} /> {r.checkId}
          </li>
        ))}
      </ul>
    </section>
  );
}
