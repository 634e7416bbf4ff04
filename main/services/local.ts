/**
 * The engagement created on first start so a first scan needs no set-up: "This machine", with one host that is the
 * local machine. A local host is explicit: address 127.0.0.1 and the tag `local`, which tells the scanner to use the
 * local transport instead of SSH.
 */
import { LOCAL_TAG } from '../../shared/model/local-host.js';
import { localUserName } from '../ssh/paths.js';
import type { Workspace } from '../store/db.js';

export { LOCAL_TAG, isLocalHost } from '../../shared/model/local-host.js';
export const LOCAL_ENGAGEMENT_NAME = 'This machine';

/** Creates the local engagement when the workspace has no engagement at all (archived ones count). */
export function ensureLocalEngagement(ws: Workspace): void {
  if (ws.engagements.list({ includeArchived: true }).length > 0) return;
  const e = ws.engagements.create({ name: LOCAL_ENGAGEMENT_NAME, description: 'The computer Foureyes runs on.' });
  // Without a passwd entry root is the nominal login; the local transport does not log in.
  const user = localUserName('root');
  ws.hosts.add(e.id, {
    name: 'localhost',
    address: '127.0.0.1',
    user,
    privilege: 'none',
    tags: [LOCAL_TAG],
    notes: 'Scanned through the local transport, without SSH.',
  });
}
