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

/**
 * Creates the local engagement unless the workspace has it already, whoever created the workspace (the CLI makes
 * only its own "Command line" engagement). One that exists by name, archived or not, counts, so a user who removed
 * its host or archived it does not get a second one.
 */
export function ensureLocalEngagement(ws: Workspace): void {
  const all = ws.engagements.list({ includeArchived: true });
  if (all.some((e) => e.name === LOCAL_ENGAGEMENT_NAME)) return;
  if (ws.hosts.hasLocalHost()) return;
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
