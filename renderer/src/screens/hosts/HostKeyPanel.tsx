/**
 * One host's key check: what the host presented and how it compares with what is pinned or known. An unknown key
 * is accepted only after the user compared it out of band; a changed key is never replaced in one click (the user
 * types the host name first); a revoked key cannot be accepted at all.
 */
import { useState, type JSX } from 'react';
import type { Host, HostKeyProbe } from '../../../../shared/api/schemas/workspace.js';
import { SafeText } from '../../components/TargetText.js';
import { formatTime } from '../../components/format.js';
import { useStore } from '../../store/index.js';
import type { HostKeyAcceptance, HostKeyCheck } from '../../store/hosts.js';

interface Props {
  host: Host;
  check: HostKeyCheck;
  readOnly: boolean;
}

const STATUS_LABEL: Record<HostKeyProbe['status'], string> = {
  match: 'matches',
  unknown: 'not known yet',
  mismatch: 'CHANGED',
  revoked: 'REVOKED',
};

function Fingerprint({ fp, testId }: { fp: string; testId: string }): JSX.Element {
  return (
    <code className="host-fp" data-testid={testId} data-fingerprint={fp}>
      {fp}
    </code>
  );
}

function Accepted({ a }: { a: HostKeyAcceptance }): JSX.Element {
  return (
    <p className="host-key-ok" data-testid="host-key-accepted" data-fingerprint={a.fingerprint}>
      Pinned <code className="host-fp">{a.fingerprint}</code> at {formatTime(a.acceptedAt)}. Scans now refuse
      any other key. Check again to confirm.
    </p>
  );
}

function UnknownKey({
  host,
  probe,
  readOnly,
}: {
  host: Host;
  probe: HostKeyProbe;
  readOnly: boolean;
}): JSX.Element {
  const accept = useStore((s) => s.acceptHostKey);
  const [busy, setBusy] = useState(false);
  return (
    <div className="host-key-explain">
      <p>
        This host&apos;s key is not known yet. Compare this fingerprint with the one the customer&apos;s
        administrator gives you (<code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>, or the file of
        the key type shown above) before accepting it. Accepting pins it: later scans refuse any other key.
      </p>
      {!readOnly && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void accept(host.id, probe.fingerprint).finally(() => setBusy(false));
          }}
          data-testid="host-key-accept"
        >
          Accept this fingerprint
        </button>
      )}
    </div>
  );
}

function ChangedKey({
  host,
  probe,
  readOnly,
}: {
  host: Host;
  probe: HostKeyProbe;
  readOnly: boolean;
}): JSX.Element {
  const accept = useStore((s) => s.acceptHostKey);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const confirmed = typed === host.name;
  return (
    <div className="host-key-danger" role="alert">
      <p>
        <strong>Warning: the host presented a different key than the one expected.</strong> Someone may be
        intercepting the connection (man-in-the-middle), or the host was reinstalled or its address now points
        to another machine. Do not scan it until the customer&apos;s administrator confirms the new key.
      </p>
      <div className="host-key-compare">
        <div>
          <h3>Presented now</h3>
          <Fingerprint fp={probe.fingerprint} testId="host-key-presented-compare" />
        </div>
        <div>
          <h3>Expected (pinned first, then known_hosts)</h3>
          <ul className="host-fp-list" data-testid="host-key-expected">
            {probe.expected.map((fp) => (
              <li key={fp} data-testid="host-key-expected-item" data-fingerprint={fp}>
                <code className="host-fp">{fp}</code>
              </li>
            ))}
          </ul>
        </div>
      </div>
      {!readOnly && (
        <details className="host-key-replace">
          <summary data-testid="host-key-replace-open">Replace the pinned key…</summary>
          <label className="host-key-confirm">
            <span>
              Only after the administrator confirmed the new fingerprint: type the host name{' '}
              <strong>
                <SafeText text={host.name} />
              </strong>{' '}
              to confirm.
            </span>
            <input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              data-testid="host-key-confirm-name"
            />
          </label>
          <button
            type="button"
            className="danger"
            disabled={!confirmed || busy}
            onClick={() => {
              setBusy(true);
              void accept(host.id, probe.fingerprint).finally(() => setBusy(false));
            }}
            data-testid="host-key-replace"
          >
            Replace pinned key with the presented one
          </button>
        </details>
      )}
    </div>
  );
}

function ProbeResult({
  host,
  probe,
  accepted,
  readOnly,
}: {
  host: Host;
  probe: HostKeyProbe;
  accepted: HostKeyAcceptance | null;
  readOnly: boolean;
}): JSX.Element {
  return (
    <>
      <dl className="host-key-facts">
        <dt>Algorithm</dt>
        <dd>
          <code data-testid="host-key-algorithm">{probe.algorithm}</code>
        </dd>
        <dt>Presented fingerprint</dt>
        <dd>
          <Fingerprint fp={probe.fingerprint} testId="host-key-presented" />
        </dd>
        <dt>State</dt>
        <dd>
          <span
            className={`badge host-key-${probe.status}`}
            data-testid="host-key-status"
            data-status={probe.status}
          >
            {STATUS_LABEL[probe.status]}
          </span>
        </dd>
      </dl>
      {accepted ? (
        <Accepted a={accepted} />
      ) : probe.status === 'match' ? (
        <p className="host-key-ok" data-testid="host-key-match">
          The presented key is the pinned or known one. Nothing to do.
        </p>
      ) : probe.status === 'unknown' ? (
        <UnknownKey host={host} probe={probe} readOnly={readOnly} />
      ) : probe.status === 'mismatch' ? (
        <ChangedKey host={host} probe={probe} readOnly={readOnly} />
      ) : (
        <div className="host-key-danger" role="alert" data-testid="host-key-revoked">
          <p>
            <strong>This key is marked @revoked in a known_hosts file.</strong> It must not be trusted and
            cannot be accepted here. Ask the customer&apos;s administrator why the host still presents it.
          </p>
        </div>
      )}
    </>
  );
}

export function HostKeyPanel({ host, check, readOnly }: Props): JSX.Element {
  const probe = useStore((s) => s.probeHostKey);
  const close = useStore((s) => s.closeHostKey);
  const status = check.state === 'probed' ? check.probe.status : check.state;
  return (
    <section
      className={`host-key-panel host-key-panel-${status}`}
      aria-label={`Host key of ${host.name}`}
      aria-busy={check.state === 'probing'}
      data-testid="host-key-panel"
      data-host-id={host.id}
      data-host-name={host.name}
      data-state={check.state}
      data-status={status}
    >
      <header className="host-key-head">
        <h3>
          Host key of <SafeText text={host.name} />{' '}
          <span className="muted small">
            (<SafeText text={`${host.address}:${host.port}`} />)
          </span>
        </h3>
        <button
          type="button"
          disabled={check.state === 'probing'}
          onClick={() => void probe(host.id)}
          data-testid="host-key-probe"
        >
          Check again
        </button>
        <button
          type="button"
          className="link"
          onClick={() => close(host.id)}
          aria-label="Close host key check"
          data-testid="host-key-close"
        >
          Close
        </button>
      </header>
      {check.state === 'probing' && (
        <p className="muted" data-testid="host-key-probing">
          Connecting as far as the key exchange (no login)…
        </p>
      )}
      {check.state === 'failed' && (
        <div className="host-key-danger" role="alert" data-testid="host-key-error" data-code={check.code}>
          <p>
            <strong>The key could not be checked.</strong> <SafeText text={check.message} />
          </p>
        </div>
      )}
      {check.state === 'probed' && (
        <ProbeResult host={host} probe={check.probe} accepted={check.accepted} readOnly={readOnly} />
      )}
    </section>
  );
}
