/**
 * Waivers of the open engagement: accepted risks under the four-eye rule. A signed-in person requests one (a check
 * on one host or on every host, a reason, the customer's owner, an expiry date); another person approves it (their
 * key signs it), or anyone rejects it; an approved one can be revoked. Each row says whether it applies to results
 * now, and if not why; the days left count down to its expiry. Every refusal is main's sentence.
 */
import { useEffect, useState, type FormEvent, type JSX } from 'react';
import { SafeText } from '../components/TargetText.js';
import { formatTime } from '../components/format.js';
import { useStore } from '../store/index.js';
import { needsPerson } from '../store/session.js';
import type { WaiverListItem } from '../../../shared/api/schemas/waivers.js';
import '../styles/findings.css';

const ALL = '*';

function RequestForm({ engagementId }: { engagementId: string }): JSX.Element {
  const hosts = useStore((s) => s.hosts);
  const draft = useStore((s) => s.waiverDraft);
  const requestWaiver = useStore((s) => s.requestWaiver);
  const [checkId, setCheckId] = useState(draft?.checkId ?? '');
  const [hostId, setHostId] = useState<string>(draft ? (draft.hostId ?? ALL) : ALL);
  const [reason, setReason] = useState('');
  const [owner, setOwner] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  useEffect(() => {
    if (draft) {
      setCheckId(draft.checkId);
      setHostId(draft.hostId ?? ALL);
    }
  }, [draft]);
  const submit = async (ev: FormEvent): Promise<void> => {
    ev.preventDefault();
    const ok = await requestWaiver({
      engagementId,
      checkId,
      hostId: hostId === ALL ? null : hostId,
      reason,
      owner: owner.trim() === '' ? null : owner,
      expiresOn,
    });
    if (ok) {
      setReason('');
      setOwner('');
      setExpiresOn('');
    }
  };
  return (
    <form className="panel form-grid" onSubmit={(ev) => void submit(ev)} data-testid="waiver-request-form">
      <h2 className="wide">Request a waiver</h2>
      <label>
        Check
        <input value={checkId} onChange={(e) => setCheckId(e.target.value)} required maxLength={200} data-testid="waiver-check" />
      </label>
      <label>
        Host
        <select value={hostId} onChange={(e) => setHostId(e.target.value)} data-testid="waiver-host">
          <option value={ALL}>every host of the engagement</option>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
      </label>
      <label className="wide">
        Reason (why the customer accepts the risk)
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={2000} data-testid="waiver-reason" />
      </label>
      <label>
        Owner (customer side)
        <input value={owner} onChange={(e) => setOwner(e.target.value)} maxLength={200} data-testid="waiver-owner" />
      </label>
      <label>
        Expires on (the first day it no longer applies)
        <input type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} required data-testid="waiver-expires" />
      </label>
      <div className="actions">
        <button type="submit" className="primary" data-testid="waiver-request-submit">
          Request
        </button>
      </div>
    </form>
  );
}

function Decide({ w }: { w: WaiverListItem }): JSX.Element | null {
  const me = useStore((s) => s.me);
  const decideWaiver = useStore((s) => s.decideWaiver);
  const [asking, setAsking] = useState<'reject' | 'revoke' | null>(null);
  const [why, setWhy] = useState('');
  if (!me) return null;
  if (asking)
    return (
      <form
        className="inline"
        onSubmit={(ev) => {
          ev.preventDefault();
          void decideWaiver(asking, w.id, why).then((ok) => ok && setAsking(null));
        }}
      >
        <input
          value={why}
          onChange={(e) => setWhy(e.target.value)}
          required
          placeholder={asking === 'reject' ? 'Why it is rejected' : 'Why it is revoked'}
          data-testid="waiver-why"
        />
        <button type="submit" data-testid="waiver-why-submit">
          {asking === 'reject' ? 'Reject' : 'Revoke'}
        </button>
        <button type="button" className="link" onClick={() => setAsking(null)}>
          Cancel
        </button>
      </form>
    );
  return (
    <span className="actions">
      {w.state === 'requested' && (
        <>
          <button type="button" onClick={() => void decideWaiver('approve', w.id)} data-testid="waiver-approve">
            Approve
          </button>
          <button type="button" onClick={() => setAsking('reject')} data-testid="waiver-reject">
            Reject…
          </button>
        </>
      )}
      {w.state === 'approved' && (
        <button type="button" onClick={() => setAsking('revoke')} data-testid="waiver-revoke">
          Revoke…
        </button>
      )}
    </span>
  );
}

export function WaiversScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const me = useStore((s) => s.me);
  const waivers = useStore((s) => s.waivers);
  const loading = useStore((s) => s.waiversLoading);
  const error = useStore((s) => s.waiverError);
  const loadWaivers = useStore((s) => s.loadWaivers);
  const loadHosts = useStore((s) => s.loadHosts);
  useEffect(() => {
    if (engagementId) {
      void loadWaivers(engagementId);
      void loadHosts(engagementId);
    }
  }, [engagementId, loadWaivers, loadHosts]);
  if (!engagementId) return <section className="screen" />;
  return (
    <section className="screen waivers-screen" data-testid="screen-waivers">
      <header className="screen-head">
        <h1>Waivers</h1>
        <span className="muted">Accepted risks: a waived check shows as waived on its hosts until its expiry date.</span>
      </header>
      {error && (
        <p className="form-error" role="alert" data-testid="waiver-error">
          <SafeText text={error} />
        </p>
      )}
      {me ? <RequestForm engagementId={engagementId} /> : <p className="panel">{needsPerson('Requesting or deciding a waiver')}</p>}
      <table className="table" data-testid="waiver-list" aria-busy={loading}>
        <thead>
          <tr>
            <th>State</th>
            <th>Check</th>
            <th>Host</th>
            <th>Reason</th>
            <th>Owner</th>
            <th>Expires</th>
            <th>Requested</th>
            <th>Decided</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {waivers.map((w) => (
            <tr key={w.id} data-testid="waiver-row" data-waiver-id={w.id} data-state={w.shownState} data-applies={w.applies}>
              <td>
                <span className={`badge waiver-${w.shownState}`}>{w.shownState}</span>
                {w.applies && <div className="small">applies now</div>}
                {w.problem && (
                  <div className="small form-error">
                    <SafeText text={w.problem} />
                  </div>
                )}
              </td>
              <td>
                <SafeText text={w.checkTitle} />
                <div className="muted small">
                  <SafeText text={w.checkId} />
                </div>
              </td>
              <td>{w.hostId === null ? 'every host' : <SafeText text={w.hostName ?? w.hostId} />}</td>
              <td>
                <SafeText text={w.reason} />
              </td>
              <td>{w.owner !== null ? <SafeText text={w.owner} /> : '—'}</td>
              <td>
                {w.expiresOn}
                <div className="muted small">{w.daysUntilExpiry > 0 ? `${w.daysUntilExpiry} days left` : 'lapsed'}</div>
              </td>
              <td className="small">
                <SafeText text={w.requestedBy.name} /> · {formatTime(w.requestedBy.at)}
              </td>
              <td className="small">
                {w.approval && (
                  <>
                    approved by <SafeText text={w.approval.name} /> · {formatTime(w.approval.at)}
                  </>
                )}
                {w.rejection && (
                  <>
                    rejected by <SafeText text={w.rejection.name} />: <SafeText text={w.rejection.comment} />
                  </>
                )}
                {w.revocation && (
                  <>
                    {' '}
                    revoked by <SafeText text={w.revocation.name} />: <SafeText text={w.revocation.reason} />
                  </>
                )}
              </td>
              <td>
                <Decide w={w} />
              </td>
            </tr>
          ))}
          {waivers.length === 0 && !loading && (
            <tr>
              <td colSpan={9} className="muted" data-testid="waiver-none">
                No waiver in this engagement.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
