/**
 * What the target says it is, beside the name the consultant gave it, so a wrong machine is noticed at once:
 * hostname, OS release and kernel from the collected facts, and for SSH hosts the server's identification line and
 * pre-login banner. All of it is hostile target text in its text form: rendered through TargetText (escapes marked,
 * never markup); the name given is the consultant's, through SafeText.
 * The local host is not dressed as an SSH host: it says "this machine (local transport)" and has no SSH fields.
 */
import type { JSX } from 'react';
import type { HostRunView } from '../../../../shared/api/schemas/scans.js';
import { SafeText, TargetText } from '../../components/TargetText.js';

function Row({
  label,
  text,
  testId,
}: {
  label: string;
  text: string | undefined;
  testId: string;
}): JSX.Element {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>
        {text === undefined ? <span className="muted">not known</span> : <TargetText text={text} />}
      </dd>
    </>
  );
}

export function TargetIdentity({ run }: { run: HostRunView }): JSX.Element {
  const id = run.identity ?? {};
  const local = run.source === 'local';
  return (
    <section data-testid="host-detail-identity" data-source={run.source}>
      <h3>What the target says it is</h3>
      <dl className="target-identity">
        <dt>Name given</dt>
        <dd data-testid="host-identity-name">
          <SafeText text={run.hostName} />
          {local && <span className="muted"> · this machine (local transport, no SSH)</span>}
        </dd>
        <Row label="Hostname" text={id.hostname} testId="host-identity-hostname" />
        <Row label="OS release" text={id.osRelease} testId="host-identity-os" />
        <Row label="Kernel" text={id.kernel} testId="host-identity-kernel" />
        {!local && <Row label="SSH server" text={id.sshServer} testId="host-identity-ssh-server" />}
      </dl>
      {!local && (
        <div data-testid="host-identity-banner-box">
          <div className="muted small">
            SSH banner (sent before login){id.sshBannerTruncated ? ' — cut at its limit' : ''}
          </div>
          {id.sshBanner !== undefined ? (
            <TargetText text={id.sshBanner} block testId="host-identity-banner" />
          ) : (
            <p className="muted small" data-testid="host-identity-no-banner">
              The server sent no banner.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
