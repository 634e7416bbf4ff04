/**
 * People of a workspace: adding a person of this workstation (a new Ed25519 key pair, the private key encrypted
 * with their passphrase), listing, unlocking a person's key into an Acting, and the public profile file that
 * carries a person's key to a colleague's workstation, where it is imported. Adding and importing are recorded in
 * the audit trail: a person added signs their own `person.add` (unless someone else acting adds them); an import
 * is signed by the local person who imports.
 */
import { randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { inputIssueSentence } from '../../shared/api/schemas/sentences.js';
import type { Actor } from '../../shared/model/actor.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Person } from '../../shared/model/person.js';
import { appendEvent } from '../audit/trail.js';
import type { Workspace } from '../store/db.js';
import { parseInput } from '../store/input.js';
import type { Acting } from './acting.js';
import { fingerprintOf, generateKeys, parsePublicKey, unlockPrivateKey } from './keys.js';
import {
  PersonInputSchema,
  PROFILE_FORMAT,
  ProfileFileSchema,
  type PersonInput,
  type ProfileFile,
} from './profile.js';

/** A profile file larger than this is not a profile. */
const MAX_PROFILE_BYTES = 64 * 1024;

function actingWith(actor: Actor, key: KeyObject): Acting {
  return { actor, sign: (data) => sign(null, data, key) };
}

/** What the trail records of a person: the public profile and where it came from (never the private key). */
const recorded = (p: Person) => ({
  name: p.name,
  role: p.role,
  email: p.email,
  origin: p.origin,
  fingerprint: p.fingerprint,
  publicKey: p.publicKey,
});

/** Adds a person of this workstation with a new key pair; `passphrase` (8 characters at least) encrypts it. */
export function addPerson(
  ws: Workspace,
  input: PersonInput,
  passphrase: string,
  opts: { acting?: Acting } = {},
): Person {
  const v = parseInput(PersonInputSchema, input, 'person');
  const keys = generateKeys(passphrase, v.name);
  return ws.tx(() => {
    const person = ws.people.insert({
      id: randomUUID(),
      ...v,
      publicKey: keys.publicKey,
      privateKey: keys.privateKey,
      origin: 'local',
      fingerprint: keys.fingerprint,
    });
    const acting = opts.acting ?? actingWith({ personId: person.id, name: person.name }, keys.signingKey);
    appendEvent(ws, acting, {
      action: 'person.add',
      object: { type: 'person', id: person.id },
      after: recorded(person),
    });
    return person;
  });
}

export const listPeople = (ws: Workspace): Person[] => ws.people.list();

export const getPerson = (ws: Workspace, name: string): Person | undefined => ws.people.byName(name);

/** Like getPerson; an unknown name is a `not_found` error naming it. */
export function requirePerson(ws: Workspace, name: string): Person {
  const p = ws.people.byName(name);
  if (!p) throw new FoureyesError('not_found', `no person named ${JSON.stringify(name)} in this workspace`);
  return p;
}

/** Unlocks a person's signing key with their passphrase. */
export function unlock(ws: Workspace, name: string, passphrase: string): Acting {
  const { person, key } = unlockKey(ws, name, passphrase);
  return actingWith({ personId: person.id, name: person.name }, key);
}

/** A person's Acting from their key (opened by the passphrase or by the keychain). */
export function actingOf(person: Person, key: KeyObject): Acting {
  return actingWith({ personId: person.id, name: person.name }, key);
}

/** The person and their private key, unlocked with their passphrase. */
export function unlockKey(ws: Workspace, name: string, passphrase: string): { person: Person; key: KeyObject } {
  const p = requirePerson(ws, name);
  const encrypted = ws.people.privateKey(p.id);
  if (p.origin !== 'local' || encrypted === null)
    throw new FoureyesError(
      'bad_input',
      `${p.name} is an imported colleague: their signing key is not on this workstation`,
    );
  const publicKey = parsePublicKey(p.publicKey, `the public key stored for ${p.name}`);
  return { person: p, key: unlockPrivateKey(encrypted, passphrase, p.name, publicKey) };
}

/** A person's public profile, as exported. */
export function profileOf(p: Person): ProfileFile {
  return {
    format: PROFILE_FORMAT,
    name: p.name,
    role: p.role,
    email: p.email,
    publicKey: p.publicKey,
    fingerprint: p.fingerprint,
  };
}

/** Writes a person's public profile to `file` (JSON) and returns it. */
export function exportProfile(ws: Workspace, name: string, file: string): ProfileFile {
  const profile = profileOf(requirePerson(ws, name));
  try {
    writeFileSync(file, `${JSON.stringify(profile, null, 2)}\n`);
  } catch (e) {
    throw new FoureyesError(
      'bad_input',
      `cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return profile;
}

/** Reads and checks a profile file; every refusal names the file, and the field where there is one. */
export function readProfile(file: string): ProfileFile {
  let text: string;
  try {
    if (statSync(file).size > MAX_PROFILE_BYTES)
      throw new FoureyesError(
        'bad_input',
        `${file} is not a person profile (larger than ${MAX_PROFILE_BYTES / 1024} KiB)`,
      );
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof FoureyesError) throw e;
    throw new FoureyesError(
      'bad_input',
      `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseProfile(text, file);
}

/** Checks a profile's text; every refusal names `where` (the file, or what the text came in), and the field. */
export function parseProfile(text: string, where: string): ProfileFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FoureyesError('bad_input', `${where} is not a person profile (not JSON)`);
  }
  const r = ProfileFileSchema.safeParse(value, { error: inputIssueSentence });
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.length > 0 ? `field "${issue.path.join('.')}": ` : '';
    throw new FoureyesError('bad_input', `${where} is not a valid person profile: ${field}${issue.message}`);
  }
  const key = parsePublicKey(r.data.publicKey, `${where}: field "publicKey"`);
  if (fingerprintOf(key) !== r.data.fingerprint)
    throw new FoureyesError(
      'bad_input',
      `${where}: field "fingerprint" does not match the public key in the file`,
    );
  return { ...r.data, publicKey: key.export({ type: 'spki', format: 'pem' }) as string };
}

/** Imports a colleague's profile file (public key only), recorded in the trail as done by `acting`. */
export function importProfile(ws: Workspace, file: string, acting: Acting): Person {
  return addColleague(ws, readProfile(file), acting);
}

/**
 * Adds a colleague from a checked public profile (a profile file, or the signer of a review package or answer),
 * recorded in the trail as `person.import` by `acting`.
 */
export function addColleague(ws: Workspace, profile: ProfileFile, acting: Acting): Person {
  return ws.tx(() => {
    const person = ws.people.insert({
      id: randomUUID(),
      name: profile.name,
      role: profile.role,
      email: profile.email,
      publicKey: profile.publicKey,
      privateKey: null,
      origin: 'imported',
      fingerprint: profile.fingerprint,
    });
    appendEvent(ws, acting, {
      action: 'person.import',
      object: { type: 'person', id: person.id },
      after: recorded(person),
    });
    return person;
  });
}
