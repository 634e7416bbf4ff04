/** Hosts of an engagement over the store, and inventory import (CSV, Ansible INI/YAML, ssh_config). */
import type { HostService } from '../api/services.js';
import type { Workspace } from '../store/db.js';
import { importHosts } from './host-import.js';

export function hostService(ws: Workspace): HostService {
  return {
    list: ({ engagementId }) => {
      ws.engagements.require(engagementId);
      return { hosts: ws.hosts.list(engagementId) };
    },
    add: ({ engagementId, host }) => ws.hosts.add(engagementId, host),
    update: ({ hostId, changes }) => ws.hosts.update(hostId, changes),
    remove: ({ hostId }) => {
      ws.hosts.remove(hostId);
      return { hostId };
    },
    import: importHosts(ws),
  };
}
