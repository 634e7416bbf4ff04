/** Hosts of an engagement over the store, and inventory import (CSV, Ansible INI/YAML). */
import { userInfo } from 'node:os';
import { HostInputSchema, type HostInput } from '../../shared/api/schemas/workspace.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { HostService } from '../api/services.js';
import { parseAnsibleIni, parseAnsibleYaml } from '../inventory/ansible.js';
import { parseCsvInventory } from '../inventory/csv.js';
import type { InventoryParse } from '../inventory/types.js';
import type { Workspace } from '../store/db.js';

/** Login used when an inventory entry names none: the local user, as ssh does. */
function defaultUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

function parse(source: string, content: string): InventoryParse {
  switch (source) {
    case 'csv':
      return parseCsvInventory(content);
    case 'ansible-ini':
      return parseAnsibleIni(content);
    case 'ansible-yaml':
      return parseAnsibleYaml(content);
    default:
      throw new FoureyesError('bad_input', `import from ${source} is not supported yet`);
  }
}

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
    import: ({ engagementId, source, content, dryRun }) => {
      ws.engagements.requireWritable(engagementId);
      const parsed = parse(source, content);
      const errors = parsed.problems.map((p) => ({ line: p.line > 0 ? p.line : null, message: p.message }));
      const user = defaultUser();
      const drafts = [];
      for (const h of parsed.hosts) {
        // Jump hosts are not resolved on import (they may name hosts not yet stored): reported, host kept without.
        if (h.jump !== undefined) {
          errors.push({ line: null, message: `${h.name}: jump host "${h.jump}" not imported; set it after import` });
        }
        const input: HostInput = {
          name: h.name,
          address: h.address,
          port: h.port ?? 22,
          user: h.user ?? user,
          auth: h.identityFile !== undefined ? { type: 'key', keyPath: h.identityFile } : { type: 'agent' },
          tags: h.groups,
        };
        const v = HostInputSchema.safeParse(input);
        if (!v.success) {
          const issue = v.error.issues[0];
          errors.push({ line: null, message: `${h.name}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}` });
          continue;
        }
        drafts.push(v.data);
      }
      const added = dryRun || drafts.length === 0 ? [] : ws.hosts.addMany(engagementId, drafts);
      return { hosts: drafts, added, errors };
    },
  };
}
