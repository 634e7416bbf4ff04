/**
 * Hosts of an engagement over the store, a page at a time, and inventory import (CSV, Ansible INI/YAML, ssh_config),
 * bounded in hosts and done off the main thread (host-import.ts). An update that
 * moves a host (address, port, user) or changes its login method forgets the stored secrets typed for the old one.
 */
import type { HostService } from '../api/services.js';
import type { Workspace } from '../store/db.js';
import { importHosts } from './host-import.js';
import { staleSecrets } from './secrets.js';

export function hostService(ws: Workspace): HostService {
  return {
    // One page (at most MAX_HOST_PAGE hosts, bounded by the contract), never the whole engagement.
    list: ({ engagementId, paging: { offset, limit } }) => {
      ws.engagements.require(engagementId);
      const { hosts, total, pinned } = ws.hosts.page(engagementId, offset, limit);
      const onPage = new Set(hosts.map((h) => h.id));
      const elsewhere = [...new Set(hosts.flatMap((h) => (h.jumpHostId && !onPage.has(h.jumpHostId) ? [h.jumpHostId] : [])))];
      return {
        hosts,
        lastPrivileges: ws.hostRuns.lastPrivileges([...onPage]),
        jumpHosts: ws.hosts.names(elsewhere),
        total,
        pinned,
        offset,
        limit,
      };
    },
    add: ({ engagementId, host }) => ws.hosts.add(engagementId, host),
    // One transaction: the host never points somewhere new while still holding a secret typed for the old place.
    update: ({ hostId, changes }) =>
      ws.tx(() => {
        const before = ws.hosts.require(hostId);
        const after = ws.hosts.update(hostId, changes);
        for (const p of staleSecrets(before, after)) ws.secrets.forget(hostId, p);
        return after;
      }),
    remove: ({ hostId }) => {
      ws.hosts.remove(hostId);
      return { hostId };
    },
    import: importHosts(ws),
  };
}
