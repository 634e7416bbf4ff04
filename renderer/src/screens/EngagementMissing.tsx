/** Shown instead of a screen when the address names an engagement that could not be opened (unknown, removed...). */
import type { JSX } from 'react';
import { SafeText } from '../components/TargetText.js';
import { useStore } from '../store/index.js';

export function EngagementMissing({ engagementId, message }: { engagementId: string; message: string }): JSX.Element {
  const navigate = useStore((s) => s.navigate);
  const loadCurrent = useStore((s) => s.loadCurrent);
  return (
    <section className="screen" data-testid="engagement-missing" data-engagement-id={engagementId}>
      <header className="screen-head">
        <h1>Engagement not available</h1>
      </header>
      <div className="panel">
        <p data-testid="engagement-missing-message">
          <SafeText text={message} />
        </p>
        <div className="actions">
          <button
            type="button"
            className="primary"
            onClick={() => navigate({ screen: 'engagements', engagementId: null })}
            data-testid="engagement-missing-back"
          >
            Back to engagements
          </button>
          <button type="button" onClick={() => void loadCurrent(engagementId)} data-testid="engagement-missing-retry">
            Try again
          </button>
        </div>
      </div>
    </section>
  );
}
