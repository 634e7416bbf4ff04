/**
 * People for tests: a real Ed25519 key pair from node:crypto per person, an `Acting` that signs with it, a
 * `PublicKeyOf` over the people made, and a `RecordAudit` that keeps what it is given so a test can assert it.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { AuditRecord, RecordAudit } from '../../main/audit/types.js';
import type { Acting, PublicKeyOf } from '../../main/people/acting.js';

export interface TestPerson {
  acting: Acting;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export function makePerson(name: string, personId = `p-${name.toLowerCase()}`): TestPerson {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    acting: { actor: { personId, name }, sign: (data) => sign(null, data, privateKey) },
    publicKey,
    privateKey,
  };
}

/** Public keys of the given people, by person id. */
export function keysOf(...people: readonly TestPerson[]): PublicKeyOf {
  const map = new Map(people.map((p) => [p.acting.actor.personId, p.publicKey]));
  return (id) => map.get(id);
}

export interface RecordedAudit extends AuditRecord {
  actor: string;
}

/** A RecordAudit that appends to `records` (actor by person id). */
export function collectAudit(): { record: RecordAudit; records: RecordedAudit[] } {
  const records: RecordedAudit[] = [];
  return { records, record: (acting, r) => records.push({ ...r, actor: acting.actor.personId }) };
}
