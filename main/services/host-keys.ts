/**
 * Host keys. Accepting pins the fingerprint on the host (scans then refuse any other key) and records who accepted
 * it and when. The key type is not known without a probe, so the record carries `pinned` as its type. Probing needs
 * a key-exchange-only SSH connection, which this build does not have yet.
 */
import { userInfo } from 'node:os';
import type { HostKeyService } from '../api/services.js';
import type { Workspace } from '../store/db.js';
import { notAvailable } from './errors.js';

function who(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown user';
  }
}

export function hostKeyService(ws: Workspace): HostKeyService {
  return {
    probe: () => notAvailable('host key probing'),
    accept: ({ hostId, fingerprint }) => {
      ws.engagements.requireWritable(ws.hosts.require(hostId).engagementId);
      const rec = ws.hostKeys.record(hostId, { keyType: 'pinned', fingerprint, acceptedBy: who(), how: 'pinned' });
      ws.hosts.pin(hostId, fingerprint);
      return { hostId, fingerprint, acceptedAt: rec.acceptedAt };
    },
  };
}
