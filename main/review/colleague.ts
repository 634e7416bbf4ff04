/**
 * The signer of a file from another workstation (a package's exporter, an answer's reviewer) as this workspace
 * knows them. People are matched by their key's fingerprint; a name this workspace knows with another key, or a
 * known key under another name, is refused: the file's key is not the named person's. Someone not known yet is
 * added as a colleague (public key only), recorded in the trail by the person acting.
 */
import { FoureyesError } from '../../shared/model/errors.js';
import type { Person } from '../../shared/model/person.js';
import type { Acting } from '../people/acting.js';
import { addColleague } from '../people/people.js';
import type { ProfileFile } from '../people/profile.js';
import type { Workspace } from '../store/db.js';
import { nameKey } from '../store/repos/people.js';
import { shown } from './signed-file.js';

/** The known person whose key signed the file, undefined when neither the key nor the name is known. */
export function knownSigner(
  ws: Workspace,
  profile: ProfileFile,
  role: 'exporter' | 'reviewer',
  what: string,
): Person | undefined {
  const name = shown(profile.name);
  const byKey = ws.people.byFingerprint(profile.fingerprint);
  if (byKey) {
    if (nameKey(byKey.name) !== nameKey(profile.name))
      throw new FoureyesError(
        'bad_input',
        `this ${what} is refused: it names its ${role} ${name}, but its key (${profile.fingerprint}) is the key of ${shown(byKey.name)} in this workspace`,
      );
    return byKey;
  }
  const byName = ws.people.byName(profile.name);
  if (byName)
    throw new FoureyesError(
      'bad_input',
      `this ${what} is refused: its ${role} ${name} is known to this workspace with another key (${byName.fingerprint}), and the ${what} is signed with ${profile.fingerprint}, which is not ${name}'s`,
    );
  return undefined;
}

/** The known person, or the signer added now as a colleague (by `acting`). */
export function ensureColleague(
  ws: Workspace,
  profile: ProfileFile,
  acting: Acting,
  role: 'exporter' | 'reviewer',
  what: string,
): { person: Person; added: boolean } {
  const known = knownSigner(ws, profile, role, what);
  if (known) return { person: known, added: false };
  return { person: addColleague(ws, profile, acting), added: true };
}
