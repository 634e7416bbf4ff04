/**
 * The person signed in on this running workstation (one per main process, whatever the transport: Electron IPC and
 * the browser bridge share it). Signing in unlocks the person's signing key with their passphrase; the key stays
 * in this closure, in main's memory only, until sign-out or the end of the process. The passphrase is not kept.
 * A sign-in first signs out whoever was signed in, so a failed attempt leaves nobody signed in (never the previous
 * person acting for the one who tried).
 */
import { FoureyesError } from '../../shared/model/errors.js';
import type { Acting } from '../people/acting.js';
import { unlock } from '../people/people.js';
import type { SessionService } from '../api/services.js';
import type { Workspace } from '../store/db.js';

export function sessionService(ws: Workspace): SessionService {
  let signedIn: Acting | undefined;

  /** The signed-in person, while they are still a person of the workspace. */
  const acting = (): Acting | undefined => {
    if (signedIn && !ws.people.byId(signedIn.actor.personId)) signedIn = undefined;
    return signedIn;
  };
  const current = () => {
    const a = acting();
    return { person: a ? (ws.people.byId(a.actor.personId) ?? null) : null };
  };

  return {
    acting,
    current,
    signIn: ({ personId, passphrase }) => {
      signedIn = undefined;
      const p = ws.people.byId(personId);
      if (!p) throw new FoureyesError('not_found', `person ${personId} does not exist in this workspace`);
      signedIn = unlock(ws, p.name, passphrase);
      return current();
    },
    signOut: () => {
      signedIn = undefined;
      return current();
    },
  };
}
