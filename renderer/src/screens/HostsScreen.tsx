/**
 * Hosts of the open engagement: the inventory (read a page at a time, with the total) with each host's key state, the add/edit form, inventory import and
 * host key checks. An archived engagement is shown read-only (keys can still be checked, nothing is changed).
 */
import { useEffect, useState, type JSX } from 'react';
import type { Host } from '../../../shared/api/schemas/workspace.js';
import { formatTime } from '../components/format.js';
import { useStore } from '../store/index.js';
import { HostForm } from './hosts/HostForm.js';
import { HostMore } from './hosts/HostMore.js';
import { HostTable } from './hosts/HostTable.js';
import { ImportPanel } from './hosts/ImportPanel.js';
import '../styles/hosts.css';

/** What the screen shows beside the table: nothing, the form (add or edit one host) or the import panel. */
type Side = { kind: 'none' } | { kind: 'form'; editing: Host | null } | { kind: 'import' };

export function HostsScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const current = useStore((s) => s.current);
  const allHosts = useStore((s) => s.hosts);
  const hostsOf = useStore((s) => s.hostsOf);
  const loading = useStore((s) => s.hostsLoading);
  const total = useStore((s) => s.hostsTotal);
  const pinnedTotal = useStore((s) => s.hostsPinned);
  const loadHosts = useStore((s) => s.loadHosts);
  const loadMoreHosts = useStore((s) => s.loadMoreHosts);
  const resetImport = useStore((s) => s.resetImport);
  const [side, setSide] = useState<Side>({ kind: 'none' });

  useEffect(() => {
    setSide({ kind: 'none' });
    resetImport();
    if (engagementId) void loadHosts(engagementId);
  }, [engagementId, loadHosts, resetImport]);

  const ours = hostsOf === engagementId;
  const hosts = ours ? allHosts : [];
  const count = ours ? total : 0;
  const pinned = ours ? pinnedTotal : 0;
  const engagement = current && current.id === engagementId ? current : null;
  const archivedAt = engagement?.archivedAt ?? null;
  const readOnly = archivedAt !== null;

  // A host being edited may have been removed or changed meanwhile: edit what is stored now.
  const editing =
    side.kind === 'form' && side.editing ? (hosts.find((h) => h.id === side.editing?.id) ?? null) : null;
  const showForm = side.kind === 'form' && (side.editing === null || editing !== null);

  return (
    <section className="screen hosts-screen" data-testid="screen-hosts" data-read-only={readOnly}>
      <header className="screen-head">
        <h1>Hosts</h1>
        <span
          className="muted"
          data-testid="host-count"
          data-count={count}
          data-shown={hosts.length}
          data-pinned={pinned}
        >
          {count.toLocaleString('en-US')} {count === 1 ? 'host' : 'hosts'}, {pinned.toLocaleString('en-US')}{' '}
          with an accepted host key
        </span>
        {!readOnly && (
          <>
            <button
              type="button"
              className="primary"
              onClick={() => setSide({ kind: 'form', editing: null })}
              data-testid="host-add"
            >
              Add host
            </button>
            <button type="button" onClick={() => setSide({ kind: 'import' })} data-testid="host-import-open">
              Import inventory
            </button>
          </>
        )}
      </header>
      {readOnly && (
        <p className="panel hosts-archived" data-testid="hosts-archived-note">
          This engagement was archived on {formatTime(archivedAt)}: its hosts are read-only. Host keys can
          still be checked, but nothing can be added, imported, edited or accepted.
        </p>
      )}
      {!readOnly && engagementId && showForm && (
        <HostForm
          key={editing?.id ?? 'new'}
          engagementId={engagementId}
          hosts={hosts}
          editing={editing}
          onClose={() => setSide({ kind: 'none' })}
        />
      )}
      {!readOnly && engagementId && side.kind === 'import' && (
        <ImportPanel engagementId={engagementId} onClose={() => setSide({ kind: 'none' })} />
      )}
      <HostTable
        hosts={hosts}
        loading={loading}
        readOnly={readOnly}
        onEdit={(h) => setSide({ kind: 'form', editing: h })}
      />
      {engagementId && (
        <HostMore
          shown={hosts.length}
          total={count}
          loading={loading}
          onMore={() => void loadMoreHosts(engagementId)}
          testId="host"
        />
      )}
    </section>
  );
}
