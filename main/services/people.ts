/**
 * People over the API: list, add (a new key pair under the given passphrase), import a colleague's profile text,
 * export a person's profile text. The passphrase goes to the key's encryption and nowhere else.
 */
import { FoureyesError } from '../../shared/model/errors.js';
import type { Person } from '../../shared/model/person.js';
import type { PersonService } from '../api/services.js';
import { notSignedIn } from '../api/registry.js';
import { addPerson, addColleague, listPeople, parseProfile, profileOf } from '../people/people.js';
import type { Workspace } from '../store/db.js';

/** A file name made of the person's name: letters and digits kept, anything else one `-`. */
export function profileFileName(p: Person): string {
  const base = p.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return `${base || 'person'}.foureyes-person.json`;
}

export function personService(ws: Workspace): PersonService {
  const require = (personId: string): Person => {
    const p = ws.people.byId(personId);
    if (!p) throw new FoureyesError('not_found', `person ${personId} does not exist in this workspace`);
    return p;
  };
  return {
    list: () => ({ people: listPeople(ws) }),
    add: ({ passphrase, ...profile }, acting) => {
      // The first person of this workstation signs their own entry; after that, someone signed in adds people.
      if (!acting && listPeople(ws).some((p) => p.origin === 'local'))
        throw new FoureyesError('not_signed_in', notSignedIn('person.add').message);
      return addPerson(ws, profile, passphrase, acting ? { acting } : {});
    },
    import: ({ profile }, acting) => addColleague(ws, parseProfile(profile, 'the profile'), acting),
    export: ({ personId }) => {
      const person = require(personId);
      return {
        person,
        fileName: profileFileName(person),
        content: `${JSON.stringify(profileOf(person), null, 2)}\n`,
      };
    },
  };
}
