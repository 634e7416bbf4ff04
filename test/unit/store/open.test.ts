import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFoureyesError } from '../../../shared/model/errors.js';
import { openWorkspace } from '../../../main/store/db.js';
import { LATEST_VERSION, MIGRATIONS } from '../../../main/store/migrations/index.js';
import { tempDir } from './helpers.js';

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('openWorkspace', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('creates a workspace from nothing and migrates it to the latest schema', () => {
    const path = join(dir, 'new.sqlite');
    const ws = openWorkspace(path);
    expect(ws.migration).toEqual({
      from: 0,
      to: LATEST_VERSION,
      // every step of the registry, in order (the registry test checks its numbering)
      applied: MIGRATIONS.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}`),
    });
    expect(ws.migration.applied).toEqual([
      '0001-initial',
      '0002-result-keys-index',
      '0003-stored-secret',
      '0004-host-run-outcome',
      '0005-scan-owner',
      '0006-people-audit',
      '0007-findings',
      '0008-review-package',
      '0009-waivers',
      '0010-person-seal',
      '0011-publish-token',
      '0012-attestation',
      '0013-scan-definitions',
    ]);
    expect(ws.schemaVersion).toBe(LATEST_VERSION);
    ws.close();
    expect(existsSync(path)).toBe(true);
  });

  it('creates missing directories 0700 and the file 0600, and keeps its WAL and shared memory 0600', () => {
    const path = join(dir, 'a', 'b', 'w.sqlite');
    const ws = openWorkspace(path);
    ws.engagements.create({ name: 'Customer data' });
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
    for (const f of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(f).mode & 0o777).toBe(0o600);
    ws.close();
  });

  it('narrows an existing workspace readable by others to 0600; a missing one with create off is not made', () => {
    const path = join(dir, 'old.sqlite');
    openWorkspace(path).close();
    chmodSync(path, 0o644);
    openWorkspace(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const missing = join(dir, 'none', 'w.sqlite');
    expect(catchError(() => openWorkspace(missing, { create: false })).message).toBe(`workspace ${missing} does not exist`);
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });

  it('names the directory it cannot create', () => {
    writeFileSync(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'sub', 'w.sqlite');
    expect(catchError(() => openWorkspace(path)).message).toBe(
      `cannot create the workspace directory ${join(dir, 'file', 'sub')}: a part of the path is a file, not a directory`,
    );
  });

  it('turns on WAL, foreign keys, NORMAL sync and a busy timeout', () => {
    const ws = openWorkspace(join(dir, 'w.sqlite'), { busyTimeoutMs: 1234 });
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(ws.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(ws.db.pragma('busy_timeout', { simple: true })).toBe(1234);
    ws.close();
    // WAL is persistent: another connection sees it in the file.
    const raw = new Database(join(dir, 'w.sqlite'), { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('re-opening an up-to-date workspace applies nothing and keeps the data', () => {
    const path = join(dir, 'w.sqlite');
    const ws = openWorkspace(path);
    const e = ws.engagements.create({ name: 'Keep me' });
    ws.close();
    const again = openWorkspace(path);
    expect(again.migration).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION, applied: [] });
    expect(again.engagements.get(e.id)?.name).toBe('Keep me');
    again.close();
  });

  it('refuses a workspace from a newer build and leaves the file unchanged', () => {
    const path = join(dir, 'future.sqlite');
    openWorkspace(path).close();
    const raw = new Database(path);
    raw.pragma('user_version = 999');
    raw.close();
    const before = readFileSync(path);

    const err = catchError(() => openWorkspace(path));
    expect(isFoureyesError(err) && err.code).toBe('store');
    expect(err.message).toBe(
      `workspace ${path} was written by a newer Foureyes (schema 999, this build knows ${LATEST_VERSION})`,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    check.close();
  });

  it('refuses a newer workspace that is not in WAL mode without switching it to WAL', () => {
    const path = join(dir, 'future-delete.sqlite');
    openWorkspace(path).close();
    const raw = new Database(path);
    raw.pragma('journal_mode = DELETE');
    raw.pragma('user_version = 2000');
    raw.close();
    const before = readFileSync(path);
    expect(() => openWorkspace(path)).toThrow(/schema 2000/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite, naming its path, and does not touch it', () => {
    const path = join(dir, 'notes.txt');
    const content = 'These are meeting notes, not a database.\n'.repeat(200);
    writeFileSync(path, content);
    const err = catchError(() => openWorkspace(path));
    expect(isFoureyesError(err) && err.code).toBe('store');
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/not a Foureyes workspace/);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('refuses the SQLite database of another application', () => {
    const path = join(dir, 'other.sqlite');
    const raw = new Database(path);
    raw.exec('CREATE TABLE contacts (name TEXT)');
    raw.close();
    const before = readFileSync(path);
    expect(() => openWorkspace(path)).toThrow(
      `${path} is not a Foureyes workspace (a SQLite database of another application)`,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('with create: false, a missing file is not_found and is not created', () => {
    const path = join(dir, 'missing.sqlite');
    const err = catchError(() => openWorkspace(path, { create: false }));
    expect(isFoureyesError(err) && err.code).toBe('not_found');
    expect(err.message).toContain(path);
    expect(existsSync(path)).toBe(false);
  });

  it('a directory is a store error naming the path', () => {
    const sub = join(dir, 'adir');
    mkdirSync(sub);
    const err = catchError(() => openWorkspace(sub));
    expect(isFoureyesError(err) && err.code).toBe('store');
    expect(err.message).toBe(`workspace ${sub} is a directory, not a workspace file`);
  });

  it("two connections on one file see each other's committed writes", () => {
    const path = join(dir, 'w.sqlite');
    const a = openWorkspace(path);
    const b = openWorkspace(path);
    const e = a.engagements.create({ name: 'Shared' });
    expect(b.engagements.get(e.id)?.name).toBe('Shared');
    a.close();
    b.close();
  });
});
