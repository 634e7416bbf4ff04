/**
 * Approved waivers of the engagement that stop applying within 14 days: when one lapses, the results it covers show
 * their verdict (a failure) again. Reasons, owners, host names and check ids are the consultant's or the
 * inventory's text: shown through SafeText.
 */
import type { JSX } from 'react';
import { SafeText } from '../../components/TargetText.js';
import type { Summary } from './figures.js';

const days = (n: number): string => (n <= 1 ? 'tomorrow' : `in ${n} days`);

export function ExpiringWaivers({ summary }: { summary: Summary }): JSX.Element | null {
  const { count, items } = summary.waiversExpiring;
  if (count === 0) return null;
  return (
    <section className="panel dashboard-panel" data-testid="dashboard-waivers-expiring" aria-labelledby="dash-waivers-title">
      <h2 id="dash-waivers-title">Waivers expiring soon</h2>
      <p className="muted">
        {count} approved waiver{count === 1 ? '' : 's'} stop{count === 1 ? 's' : ''} applying within 14 days: the
        results {count === 1 ? 'it covers' : 'they cover'} will show their own verdict again.
      </p>
      <ul className="waiver-list">
        {items.map((w) => (
          <li key={w.id} data-testid="dashboard-waiver" data-waiver-id={w.id} data-days={w.daysUntilExpiry}>
            <span className="badge verdict-waived">waived</span> <SafeText text={w.checkTitle} /> on{' '}
            {w.hostId === null ? 'all hosts' : <SafeText text={w.hostName ?? w.hostId} />}: expires {days(w.daysUntilExpiry)}{' '}
            ({w.expiresOn}){w.owner !== null && (
              <>
                , owner <SafeText text={w.owner} />
              </>
            )}
          </li>
        ))}
      </ul>
      {count > items.length && <p className="muted">and {count - items.length} more</p>}
    </section>
  );
}
