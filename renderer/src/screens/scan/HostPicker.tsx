/**
 * Hosts of the engagement to scan: one checkbox per host, all or none, over the hosts read so far (a page at a
 * time: the rest are read with "Show more").
 */
import type { JSX } from 'react';
import type { Host } from '../../../../shared/api/schemas/workspace.js';
import { SafeText } from '../../components/TargetText.js';
import { useStore } from '../../store/index.js';
import { HostMore } from '../hosts/HostMore.js';
import { isLocalHost } from './setupModel.js';

interface Props {
  engagementId: string;
  hosts: readonly Host[];
  chosen: ReadonlySet<string>;
  onChange(next: Set<string>): void;
}

function authWord(h: Host): string {
  if (isLocalHost(h)) return 'this machine, no SSH';
  const auth = h.auth.type === 'key' ? 'key' : h.auth.type === 'agent' ? 'agent' : 'password';
  const priv =
    h.privilege === 'none' ? 'no sudo' : `sudo ${h.privilege === 'auto' ? 'if allowed' : ''}`.trim();
  return `${auth} · ${priv}`;
}

export function HostPicker({ engagementId, hosts, chosen, onChange }: Props): JSX.Element {
  const total = useStore((s) => (s.hostsOf === engagementId ? s.hostsTotal : 0));
  const loading = useStore((s) => s.hostsLoading);
  const loadMoreHosts = useStore((s) => s.loadMoreHosts);
  const toggle = (id: string, on: boolean): void => {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    onChange(next);
  };
  return (
    <fieldset className="scan-hosts" data-testid="scan-hosts">
      <legend>
        Hosts{' '}
        <span className="muted">
          ({chosen.size} of {hosts.length} chosen
          {total > hosts.length ? `; ${total.toLocaleString('en-US')} in all` : ''})
        </span>
      </legend>
      <div className="scan-hosts-tools">
        <button
          type="button"
          className="link"
          onClick={() => onChange(new Set(hosts.map((h) => h.id)))}
          data-testid="scan-hosts-all"
        >
          All
        </button>
        <button
          type="button"
          className="link"
          onClick={() => onChange(new Set())}
          data-testid="scan-hosts-none"
        >
          None
        </button>
      </div>
      {hosts.length === 0 && (
        <p className="muted">This engagement has no hosts yet. Add them on the Hosts screen.</p>
      )}
      <ul className="scan-host-list">
        {hosts.map((h) => (
          <li key={h.id} data-testid="scan-host-row" data-host-id={h.id} data-host={h.name}>
            <label className="inline">
              <input
                type="checkbox"
                checked={chosen.has(h.id)}
                onChange={(e) => toggle(h.id, e.target.checked)}
                data-testid="scan-host-check"
              />
              <SafeText text={h.name} className="scan-host-name" />
            </label>
            <span className="muted small mono">
              {isLocalHost(h) ? 'local' : `${h.user}@${h.address}:${h.port}`}
            </span>
            <span className="muted small">{authWord(h)}</span>
            {!isLocalHost(h) && h.pinnedFingerprint === null && (
              <span className="small scan-host-warn" data-testid="scan-host-no-key">
                host key not accepted: the scan trusts only known_hosts
              </span>
            )}
          </li>
        ))}
      </ul>
      <HostMore
        shown={hosts.length}
        total={total}
        loading={loading}
        onMore={() => void loadMoreHosts(engagementId)}
        testId="scan-host"
      />
    </fieldset>
  );
}
