/**
 * The audit trail: events newest first, a page at a time, as stored; "Verify" recomputes the chain and every
 * signature in main and says so: verified with the count and the head hash, or the first bad event and why.
 */
import { useEffect, type JSX } from 'react';
import type { AuditEvent } from '../../../shared/model/audit.js';
import { SafeText } from '../components/TargetText.js';
import { formatTime } from '../components/format.js';
import { useStore } from '../store/index.js';
import { AUDIT_PAGE } from '../store/audit.js';
import { valueText } from './findings/FindingHistory.js';
import '../styles/findings.css';

function change(e: AuditEvent): string {
  const parts: string[] = [];
  if (e.before !== null && e.before !== undefined) parts.push(`before ${valueText(e.before)}`);
  if (e.after !== null && e.after !== undefined) parts.push(`after ${valueText(e.after)}`);
  const text = parts.join(' · ');
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

export function AuditScreen(): JSX.Element {
  const events = useStore((s) => s.auditEvents);
  const total = useStore((s) => s.auditTotal);
  const offset = useStore((s) => s.auditOffset);
  const loading = useStore((s) => s.auditLoading);
  const report = useStore((s) => s.auditReport);
  const verifying = useStore((s) => s.auditVerifying);
  const load = useStore((s) => s.loadAudit);
  const verify = useStore((s) => s.verifyAudit);
  useEffect(() => {
    void load(0);
  }, [load]);
  return (
    <section className="screen audit-screen" data-testid="screen-audit">
      <header className="screen-head">
        <h1>Audit trail</h1>
        <span className="muted" data-testid="audit-total" data-total={total}>
          {total} events
        </span>
        <button type="button" className="primary" disabled={verifying} onClick={() => void verify()} data-testid="audit-verify">
          Verify the trail
        </button>
      </header>
      {report && (
        <p
          className={report.ok ? 'panel audit-ok' : 'panel audit-bad'}
          role="status"
          data-testid="audit-report"
          data-ok={report.ok}
          data-count={report.count}
          data-head={report.headHash}
        >
          {report.ok ? (
            <>
              Verified: {report.count} events, every hash, link and signature holds. Head hash{' '}
              <code className="hash">{report.headHash}</code>
            </>
          ) : (
            <>
              Does not verify: event {report.firstBad?.seq ?? '?'} (<code>{report.firstBad?.id ?? ''}</code>) fails:{' '}
              <SafeText text={report.firstBad?.reason ?? 'no reason given'} />. {report.count} events read.
            </>
          )}
        </p>
      )}
      <table className="table audit-table" data-testid="audit-list" aria-busy={loading}>
        <thead>
          <tr>
            <th>#</th>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Object</th>
            <th>Why</th>
            <th>Change</th>
            <th>Hash</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} data-testid="audit-event" data-seq={e.seq} data-action={e.action} data-actor={e.actor.name} data-object-id={e.object.id}>
              <td>{e.seq}</td>
              <td className="small">{formatTime(e.at)}</td>
              <td>
                <SafeText text={e.actor.name} />
              </td>
              <td>{e.action}</td>
              <td className="small">
                {e.object.type} <code>{e.object.id.slice(0, 12)}</code>
              </td>
              <td>{e.reason ? <SafeText text={e.reason} /> : ''}</td>
              <td>
                <SafeText text={change(e)} className="audit-change small" />
              </td>
              <td>
                <code className="hash" title={e.hash}>
                  {e.hash.slice(0, 12)}…
                </code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" disabled={offset === 0 || loading} onClick={() => void load(Math.max(0, offset - AUDIT_PAGE))} data-testid="audit-newer">
          Newer
        </button>
        <span className="muted small" data-testid="audit-page">
          {total === 0 ? 0 : offset + 1}–{offset + events.length} of {total}
        </span>
        <button
          type="button"
          disabled={offset + events.length >= total || loading}
          onClick={() => void load(offset + AUDIT_PAGE)}
          data-testid="audit-older"
        >
          Older
        </button>
      </div>
    </section>
  );
}
