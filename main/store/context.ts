/**
 * What every repository shares: the connection, the workspace path (for error messages), a statement cache and a
 * clock. Statements are prepared once per connection and reused; SQL text is the cache key, so only fixed SQL
 * (never a value) may reach `sql()`: values always go through bound parameters.
 */
import type Database from 'better-sqlite3';
import { FoureyesError } from '../../shared/model/errors.js';
import { processOwner, type OwnerIdentity } from './lease.js';

export type Db = Database.Database;
export type Stmt<P extends unknown[] = unknown[], R = unknown> = Database.Statement<P, R>;

export class StoreContext {
  private readonly statements = new Map<string, Stmt>();

  constructor(
    readonly db: Db,
    readonly path: string,
    readonly clock: () => Date = () => new Date(),
    /** This process as the owner of the scans it starts (tests may pose as another process). */
    readonly owner: OwnerIdentity = processOwner(),
  ) {}

  /** A prepared statement for `source`, prepared on first use. */
  sql<P extends unknown[] = unknown[], R = unknown>(source: string): Stmt<P, R> {
    let s = this.statements.get(source);
    if (!s) {
      s = this.db.prepare(source);
      this.statements.set(source, s);
    }
    return s as unknown as Stmt<P, R>;
  }

  /** Current time as stored: ISO-8601 UTC with milliseconds. */
  now(): string {
    return this.clock().toISOString();
  }

  /** Runs `fn` in one transaction (BEGIN IMMEDIATE): committed on return, rolled back on throw. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** A `store` error that names the workspace. */
  error(message: string): FoureyesError {
    return new FoureyesError('store', `workspace ${this.path}: ${message}`);
  }
}

/** SQLite's extended result code of a constraint failure (`SQLITE_CONSTRAINT_UNIQUE`, ...), or undefined. */
export function constraintKind(e: unknown): string | undefined {
  if (
    e instanceof Error &&
    'code' in e &&
    typeof e.code === 'string' &&
    e.code.startsWith('SQLITE_CONSTRAINT')
  ) {
    return e.code;
  }
  return undefined;
}

export const sqlBool = (b: boolean | undefined): number => (b ? 1 : 0);
