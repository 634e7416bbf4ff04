/**
 * Schema migration at start-up: every pending step in one transaction, so a workspace is either at its old
 * version or fully at the new one. A workspace written by a newer build is refused, never touched.
 */
import { FoureyesError } from '../../shared/model/errors.js';
import type { Db } from './context.js';
import { assertRegistry, MIGRATIONS, type Migration } from './migrations/index.js';

export function userVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function newerSchemaError(path: string, found: number, known: number): FoureyesError {
  return new FoureyesError(
    'store',
    `workspace ${path} was written by a newer Foureyes (schema ${found}, this build knows ${known})`,
    { schema: found, known },
  );
}

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

/**
 * Brings `db` to the last step of `migrations` (default: the registry). Foreign keys are verified before commit.
 * Tests pass a prefix of the registry to stop at an older version.
 */
export function migrate(
  db: Db,
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationReport {
  assertRegistry(migrations);
  const known = migrations.length;
  const before = userVersion(db);
  if (before > known) throw newerSchemaError(path, before, known);
  if (before === known) return { from: before, to: before, applied: [] };

  const run = db.transaction((): MigrationReport => {
    // Another process may have migrated between the read above and this transaction's write lock.
    const from = userVersion(db);
    if (from > known) throw newerSchemaError(path, from, known);
    const applied: string[] = [];
    for (const m of migrations.slice(from)) {
      try {
        m.up(db);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        throw new FoureyesError(
          'store',
          `workspace ${path}: schema step ${m.version} (${m.name}) failed: ${why}`,
        );
      }
      // Integer from our own registry, not user input: pragmas take no bound parameters.
      db.pragma(`user_version = ${m.version}`);
      applied.push(`${String(m.version).padStart(4, '0')}-${m.name}`);
    }
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) {
      throw new FoureyesError(
        'store',
        `workspace ${path}: ${broken.length} foreign key violation(s) after migration`,
      );
    }
    return { from, to: known, applied };
  });
  return run.immediate();
}
