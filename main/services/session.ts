/**
 * The person signed in on this running workstation (one per main process, whatever the transport: Electron IPC and
 * the browser bridge share it). Signing in unlocks the person's signing key with their passphrase, or opens the copy
 * this computer's keychain sealed for them (main/people/seal.ts); the key stays in this closure, in main's memory
 * only, until sign-out or the end of the process. The passphrase is not kept.
 * A sign-in first signs out whoever was signed in, so a failed attempt leaves nobody signed in (never the previous
 * person acting for the one who tried).
 */
import { FoureyesError } from '../../shared/model/errors.js';
import { appendEvent } from '../audit/trail.js';
import type { Acting } from '../people/acting.js';
import { actingOf, unlockKey } from '../people/people.js';
import { openSealedKey, sealKey } from '../people/seal.js';
import type { SessionService } from '../api/services.js';
import type { SecretCipher } from '../secrets/policy.js';
import type { Workspace } from '../store/db.js';

const NO_KEYCHAIN =
  'this computer offers no keychain that really encrypts (or Foureyes runs in browser mode): sign in with the passphrase';

/** `cipher`: the keychain's cipher where safeStorage really encrypts (the Electron shell), else null. */
export function sessionService(ws: Workspace, cipher: SecretCipher | null = null): SessionService {
  let signedIn: Acting | undefined;

  /** The signed-in person, while they are still a person of the workspace. */
  const acting = (): Acting | undefined => {
    if (signedIn && !ws.people.byId(signedIn.actor.personId)) signedIn = undefined;
    return signedIn;
  };
  const current = () => {
    const a = acting();
    return {
      person: a ? (ws.people.byId(a.actor.personId) ?? null) : null,
      keychain: cipher !== null,
      sealed: cipher !== null ? ws.people.sealedIds() : [],
    };
  };

  return {
    acting,
    current,
    signIn: ({ personId, passphrase, remember }) => {
      signedIn = undefined;
      const p = ws.people.byId(personId);
      if (!p) throw new FoureyesError('not_found', `person ${personId} does not exist in this workspace`);
      if (passphrase === undefined) {
        if (remember) throw new FoureyesError('bad_input', `the passphrase is needed to seal ${p.name}'s key`);
        if (cipher === null) throw new FoureyesError('bad_input', NO_KEYCHAIN);
        const sealed = ws.people.sealedKey(p.id);
        if (sealed === null)
          throw new FoureyesError(
            'bad_input',
            `this computer's keychain holds no key for ${p.name}: sign in with the passphrase`,
          );
        signedIn = actingOf(p, openSealedKey(cipher, sealed, p));
        return current();
      }
      const { key } = unlockKey(ws, p.name, passphrase);
      const a = actingOf(p, key);
      if (remember) {
        if (cipher === null) throw new FoureyesError('bad_input', NO_KEYCHAIN);
        const blob = sealKey(cipher, key);
        ws.tx(() => {
          ws.people.seal(p.id, blob, new Date().toISOString());
          appendEvent(ws, a, {
            action: 'person.seal',
            object: { type: 'person', id: p.id },
            details: { by: 'keychain' },
          });
        });
      }
      signedIn = a;
      return current();
    },
    forgetKey: ({ personId }, by) => {
      const p = ws.people.byId(personId);
      if (!p) throw new FoureyesError('not_found', `person ${personId} does not exist in this workspace`);
      ws.tx(() => {
        if (ws.people.unseal(p.id))
          appendEvent(ws, by, { action: 'person.unseal', object: { type: 'person', id: p.id }, details: { by: 'keychain' } });
      });
      return current();
    },
    signOut: () => {
      signedIn = undefined;
      return current();
    },
  };
}
