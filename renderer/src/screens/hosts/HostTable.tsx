/**
 * The engagement's hosts, one row each, with the host key state; a row's key check opens right under it.
 * Rows carry data-host-id, data-host-name and data-pinned so tests assert without parsing text. The local host
 * (this machine, scanned without SSH) has no address, port, user, login, jump host or host key: its row says so,
 * and its privilege is the one its last scan found, not a setting.
 */
import { Fragment, type JSX } from 'react';
import type { Host, HostLastPrivilege } from '../../../../shared/api/schemas/workspace.js';
import { isLocalHost } from '../../../../shared/model/local-host.js';
import { SafeText } from '../../components/TargetText.js';
import { useStore } from '../../store/index.js';
import type { HostKeyCheck } from '../../store/hosts.js';
import { HostKeyPanel } from './HostKeyPanel.js';
import { authLabel, shortFingerprint, shortPath } from './hostFormat.js';

const COLUMNS = 9;

interface Props {
  hosts: readonly Host[];
  loading: boolean;
  readOnly: boolean;
  onEdit(host: Host): void;
}

function KeyState({ host, check }: { host: Host; check: HostKeyCheck | undefined }): JSX.Element {
  // Nothing pinned, but the last check found the presented key in the user's known_hosts: scans accept it.
  const known = !host.pinnedFingerprint && check?.state === 'probed' && check.probe.status === 'match';
  return host.pinnedFingerprint ? (
    <code
      className="host-fp host-pinned"
      title={host.pinnedFingerprint}
      data-testid="host-key-state"
      data-state="pinned"
    >
      {shortFingerprint(host.pinnedFingerprint)}
    </code>
  ) : known ? (
    <span
      className="badge host-key-known"
      title={`matches known_hosts: ${check.probe.fingerprint}`}
      data-testid="host-key-state"
      data-state="known-hosts"
    >
      known_hosts
    </span>
  ) : (
    <span className="badge host-key-none" data-testid="host-key-state" data-state="none">
      not accepted
    </span>
  );
}

/** How the local host ran in its last scan, in words. */
function localPrivilege(p: HostLastPrivilege | undefined): string {
  if (!p) return 'not scanned yet';
  return p.privilege === 'root'
    ? 'root (last scan)'
    : p.privilege === 'sudo'
      ? 'sudo (last scan)'
      : 'unprivileged (last scan)';
}

/**
 * The local host's row: what it is instead of SSH fields. It can be removed, not edited: the form's fields are
 * all SSH settings.
 */
function LocalRow({
  h,
  privilege,
  onRemove,
}: {
  h: Host;
  privilege: HostLastPrivilege | undefined;
  onRemove: (() => void) | null;
}): JSX.Element {
  return (
    <tr
      data-testid="host-row"
      data-host-id={h.id}
      data-host-name={h.name}
      data-pinned=""
      data-jump-host-id=""
      data-local="true"
    >
      <td data-testid="host-cell-name">
        <strong>
          <SafeText text={h.name} />
        </strong>
        {h.notes && (
          <div className="muted small host-notes">
            <SafeText text={h.notes} />
          </div>
        )}
      </td>
      <td colSpan={4} className="muted" data-testid="host-cell-local">
        This machine: scanned through the local transport, without SSH (as the user Foureyes runs as)
      </td>
      <td data-testid="host-cell-privilege" data-privilege={privilege?.privilege ?? ''}>
        {localPrivilege(privilege)}
      </td>
      <td data-testid="host-cell-tags">
        {h.tags.map((t) => (
          <span key={t} className="host-tag">
            <SafeText text={t} />
          </span>
        ))}
      </td>
      <td className="muted">—</td>
      <td className="row-actions">
        {onRemove && (
          <button type="button" className="danger" onClick={onRemove} data-testid="host-remove">
            Remove
          </button>
        )}
      </td>
    </tr>
  );
}

export function HostTable({ hosts, loading, readOnly, onEdit }: Props): JSX.Element {
  const privileges = useStore((s) => s.hostPrivileges);
  const jumpNames = useStore((s) => s.jumpHostNames);
  const checks = useStore((s) => s.hostKeyChecks);
  const probe = useStore((s) => s.probeHostKey);
  const removeHost = useStore((s) => s.removeHost);
  const byId = new Map(hosts.map((h) => [h.id, h]));

  const remove = (h: Host): void => {
    const msg = `Remove host "${h.name}" from the inventory? Past scan results keep the name they were taken under.`;
    if (window.confirm(msg)) void removeHost(h.id);
  };

  return (
    <table className="table host-table" data-testid="host-list" aria-busy={loading}>
      <thead>
        <tr>
          <th>Name</th>
          <th>Address</th>
          <th>User</th>
          <th>Auth</th>
          <th>Jump host</th>
          <th>Privilege</th>
          <th>Tags</th>
          <th>Host key</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {hosts.map((h) => {
          if (isLocalHost(h))
            return (
              <LocalRow
                key={h.id}
                h={h}
                privilege={privileges[h.id]}
                onRemove={readOnly ? null : () => remove(h)}
              />
            );
          const check = checks[h.id];
          // The jump host may be on a page not read yet: the reply names it.
          const jump = h.jumpHostId ? (byId.get(h.jumpHostId)?.name ?? jumpNames[h.jumpHostId]) : undefined;
          return (
            <Fragment key={h.id}>
              <tr
                data-testid="host-row"
                data-host-id={h.id}
                data-host-name={h.name}
                data-pinned={h.pinnedFingerprint ?? ''}
                data-jump-host-id={h.jumpHostId ?? ''}
              >
                <td data-testid="host-cell-name">
                  <strong>
                    <SafeText text={h.name} />
                  </strong>
                  {h.notes && (
                    <div className="muted small host-notes">
                      <SafeText text={h.notes} />
                    </div>
                  )}
                </td>
                <td className="mono nowrap" data-testid="host-cell-address">
                  <SafeText text={`${h.address}:${h.port}`} />
                </td>
                <td className="nowrap" data-testid="host-cell-user">
                  <SafeText text={h.user} />
                </td>
                <td
                  className="host-auth"
                  data-testid="host-cell-auth"
                  data-auth={h.auth.type}
                  title={authLabel(h.auth)}
                >
                  {h.auth.type === 'key' ? (
                    <SafeText text={`key ${shortPath(h.auth.keyPath)}`} />
                  ) : (
                    <SafeText text={authLabel(h.auth)} />
                  )}
                </td>
                <td data-testid="host-cell-jump">
                  {h.jumpHostId === null ? (
                    <span className="muted">—</span>
                  ) : jump !== undefined ? (
                    <SafeText text={jump} />
                  ) : (
                    <span className="muted">unknown host</span>
                  )}
                </td>
                <td data-testid="host-cell-privilege">{h.privilege}</td>
                <td data-testid="host-cell-tags">
                  {h.tags.map((t) => (
                    <span key={t} className="host-tag">
                      <SafeText text={t} />
                    </span>
                  ))}
                </td>
                <td className="nowrap">
                  <KeyState host={h} check={check} />
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    disabled={check?.state === 'probing'}
                    onClick={() => void probe(h.id)}
                    data-testid="host-check-key"
                  >
                    Check host key
                  </button>
                  {!readOnly && (
                    <>
                      <button type="button" onClick={() => onEdit(h)} data-testid="host-edit">
                        Edit
                      </button>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => remove(h)}
                        data-testid="host-remove"
                      >
                        Remove
                      </button>
                    </>
                  )}
                </td>
              </tr>
              {check && (
                <tr className="host-key-row" data-testid="host-key-row" data-host-id={h.id}>
                  <td colSpan={COLUMNS}>
                    <HostKeyPanel host={h} check={check} readOnly={readOnly} />
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
        {hosts.length === 0 && !loading && (
          <tr>
            <td colSpan={COLUMNS} className="muted" data-testid="host-list-empty">
              No hosts yet. Add one, or import an inventory.
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
