/**
 * People (schema 0006): profiles with their public key, and for a person of this workstation the encrypted private
 * key. Keys are made and checked in main/people/; this repository only stores rows. Names are unique without regard
 * to case (`nameKey`).
 */
import { FoureyesError } from '../../../shared/model/errors.js';
import { PERSON_ORIGINS, type Person, type PersonOrigin } from '../../../shared/model/person.js';
import { constraintKind, type StoreContext } from '../context.js';
import { readEnum } from '../json.js';

export interface PersonRow {
  id: string;
  name: string;
  name_key: string;
  role: string;
  email: string;
  public_key: string;
  private_key: string | null;
  created_at: string;
  origin: string;
  fingerprint: string;
}

/** What a new person is stored with (id and time are the caller's, so the audit event can name them). */
export interface NewPerson {
  id: string;
  name: string;
  role: string;
  email: string;
  publicKey: string;
  /** Encrypted PKCS#8 PEM; null for an imported colleague. */
  privateKey: string | null;
  origin: PersonOrigin;
  fingerprint: string;
}

/** The form of a name that must be unique: the same name in another case is the same person. */
export const nameKey = (name: string): string => name.normalize('NFC').toLowerCase();

const COLUMNS = 'id, name, name_key, role, email, public_key, private_key, created_at, origin, fingerprint';

export class PeopleRepo {
  constructor(private readonly ctx: StoreContext) {}

  private toPerson(r: PersonRow): Person {
    return {
      id: r.id,
      name: r.name,
      role: r.role,
      email: r.email,
      publicKey: r.public_key,
      fingerprint: r.fingerprint,
      origin: readEnum(this.ctx, PERSON_ORIGINS, r.origin, { table: 'person', id: r.id, column: 'origin' }),
      createdAt: r.created_at,
    };
  }

  insert(p: NewPerson): Person {
    const row: PersonRow = {
      id: p.id,
      name: p.name,
      name_key: nameKey(p.name),
      role: p.role,
      email: p.email,
      public_key: p.publicKey,
      private_key: p.privateKey,
      created_at: this.ctx.now(),
      origin: p.origin,
      fingerprint: p.fingerprint,
    };
    try {
      this.ctx
        .sql(
          `INSERT INTO person (${COLUMNS}) VALUES (@id, @name, @name_key, @role, @email, @public_key, @private_key,
           @created_at, @origin, @fingerprint)`,
        )
        .run(row);
    } catch (e) {
      if (constraintKind(e) !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
      const same = this.byFingerprint(p.fingerprint);
      if (same) throw new FoureyesError('bad_input', `that key is already known, as ${same.name}`);
      throw new FoureyesError(
        'bad_input',
        `a person named ${this.byName(p.name)?.name ?? p.name} already exists`,
      );
    }
    return this.toPerson(row);
  }

  /** Everyone, in the order they were added. */
  list(): Person[] {
    return this.ctx
      .sql<[], PersonRow>(`SELECT ${COLUMNS} FROM person ORDER BY created_at, rowid`)
      .all()
      .map((r) => this.toPerson(r));
  }

  byName(name: string): Person | undefined {
    const r = this.ctx
      .sql<[string], PersonRow>(`SELECT ${COLUMNS} FROM person WHERE name_key = ?`)
      .get(nameKey(name));
    return r && this.toPerson(r);
  }

  byId(id: string): Person | undefined {
    const r = this.ctx.sql<[string], PersonRow>(`SELECT ${COLUMNS} FROM person WHERE id = ?`).get(id);
    return r && this.toPerson(r);
  }

  byFingerprint(fingerprint: string): Person | undefined {
    const r = this.ctx
      .sql<[string], PersonRow>(`SELECT ${COLUMNS} FROM person WHERE fingerprint = ?`)
      .get(fingerprint);
    return r && this.toPerson(r);
  }

  /** The encrypted private key of a person of this workstation; null for an imported colleague. */
  privateKey(id: string): string | null {
    const r = this.ctx
      .sql<[string], { k: string | null }>('SELECT private_key AS k FROM person WHERE id = ?')
      .get(id);
    return r?.k ?? null;
  }

  /** A person's key as sealed by this computer's keychain (main/people/seal.ts), or null. */
  sealedKey(id: string): Buffer | null {
    const r = this.ctx
      .sql<[string], { b: Buffer }>('SELECT sealed AS b FROM person_seal WHERE person_id = ?')
      .get(id);
    return r?.b ?? null;
  }

  /** Keeps (or replaces) a person's sealed key. */
  seal(id: string, sealed: Buffer, at: string): void {
    this.ctx
      .sql<[string, Buffer, string]>(
        `INSERT INTO person_seal (person_id, sealed, sealed_at) VALUES (?, ?, ?)
         ON CONFLICT (person_id) DO UPDATE SET sealed = excluded.sealed, sealed_at = excluded.sealed_at`,
      )
      .run(id, sealed, at);
  }

  /** Drops a person's sealed key; true when there was one. */
  unseal(id: string): boolean {
    return this.ctx.sql<[string]>('DELETE FROM person_seal WHERE person_id = ?').run(id).changes > 0;
  }

  /** The ids of the people whose key this computer's keychain holds. */
  sealedIds(): string[] {
    return this.ctx.sql<[], { id: string }>('SELECT person_id AS id FROM person_seal ORDER BY person_id').all().map((r) => r.id);
  }

  /** The stored public key (PEM) of a person, or undefined. */
  publicKeyText(id: string): string | undefined {
    return this.ctx.sql<[string], { k: string }>('SELECT public_key AS k FROM person WHERE id = ?').get(id)
      ?.k;
  }

  count(): number {
    return this.ctx.sql<[], { n: number }>('SELECT count(*) AS n FROM person').get()!.n;
  }
}
