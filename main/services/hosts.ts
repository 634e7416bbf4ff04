/**
 * Hosts of an engagement over the store, a page at a time, and inventory import (CSV, Ansible INI/YAML, ssh_config),
 * bounded in hosts and done off the main thread (host-import.ts). An update that
 * moves a host (address, port, user) or changes its login method forgets the stored secrets typed for the old one.
 */
import type { HostService } from '../api/services.js';
import type { Workspace } from '../store/db.js';
import { auditIf } from './audited.js';
import { importHosts } from './host-import.js';
import { staleSecrets } from './secrets.js';

export function hostService(ws: Workspace): HostService {
  const importHost = importHosts(ws);
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
    add: ({ engagementId, host }, acting) =>
      ws.tx(() => {
        const h = ws.hosts.add(engagementId, host);
        auditIf(ws, acting, { action: 'host.add', object: { type: 'host', id: h.id }, after: h });
        return h;
      }),
    // One transaction: the host never points somewhere new while still holding a secret typed for the old place.
    update: ({ hostId, changes }, acting) =>
      ws.tx(() => {
        const before = ws.hosts.require(hostId);
        const after = ws.hosts.update(hostId, changes);
        const forgotten = staleSecrets(before, after);
        for (const p of forgotten) ws.secrets.forget(hostId, p);
        auditIf(ws, acting, {
          action: 'host.edit',
          object: { type: 'host', id: hostId },
          before,
          after,
          ...(forgotten.length > 0 ? { details: { storedCredentialsForgotten: forgotten } } : {}),
        });
        return after;
      }),
    remove: ({ hostId }, acting) =>
      ws.tx(() => {
        const before = acting ? ws.hosts.require(hostId) : undefined;
        ws.hosts.remove(hostId);
        auditIf(ws, acting, { action: 'host.delete', object: { type: 'host', id: hostId }, before });
        return { hostId };
      }),
    import: async (input, acting) => {
      const result = await importHost(input);
      if (result.addedCount > 0)
        auditIf(ws, acting, {
          action: 'host.import',
          object: { type: 'engagement', id: input.engagementId },
          after: { hosts: result.added.map((h) => ({ id: h.id, name: h.name })) },
          details: {
            source: input.source,
            ...(input.fileName !== undefined ? { file: input.fileName } : {}),
            addedCount: result.addedCount,
            problemCount: result.errors.length,
          },
        });
      return result;
    },
  };
}
