/**
 * Hosts of an engagement over the store, and inventory import (CSV, Ansible INI/YAML, ssh_config). An update that
 * moves a host (address, port, user) or changes its login method forgets the stored secrets typed for the old one.
 */
import type { HostService } from '../api/services.js';
import type { Workspace } from '../store/db.js';
import { importHosts } from './host-import.js';
import { staleSecrets } from './secrets.js';

export function hostService(ws: Workspace): HostService {
  return {
    list: ({ engagementId }) => {
      ws.engagements.require(engagementId);
      const hosts = ws.hosts.list(engagementId);
      return { hosts, lastPrivileges: ws.hostRuns.lastPrivileges(hosts.map((h) => h.id)) };
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
