/**
 * How many of the engagement's hosts are shown, and a button that reads the next page of them. The list is read a
 * page at a time (HOST_PAGE hosts a call), so an engagement of any size opens at once.
 */
import type { JSX } from 'react';
import { HOST_PAGE } from '../../store/hosts.js';

interface Props {
  shown: number;
  total: number;
  loading: boolean;
  onMore(): void;
  /** data-testid prefix: `host` on the Hosts screen, `scan-host` in the scan set-up. */
  testId: string;
}

const n = (x: number): string => x.toLocaleString('en-US');

export function HostMore({ shown, total, loading, onMore, testId }: Props): JSX.Element | null {
  if (shown >= total) return null;
  const next = Math.min(HOST_PAGE, total - shown);
  return (
    <div className="host-more" data-testid={`${testId}-more-bar`} data-shown={shown} data-total={total}>
      <span className="muted">
        Showing {n(shown)} of {n(total)} hosts (by name).
      </span>
      <button type="button" disabled={loading} onClick={onMore} data-testid={`${testId}-more`}>
        {loading ? 'Reading…' : `Show ${n(next)} more`}
      </button>
    </div>
  );
}
