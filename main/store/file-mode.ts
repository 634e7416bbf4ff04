/**
 * Who may read a workspace file: it holds customer data (hosts, findings, evidence), so only its owner. SQLite gives
 * the -wal and -shm files it creates the database file's mode, so a file created 0600 keeps them 0600 too.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { FoureyesError } from '../../shared/model/errors.js';

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

function why(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'ENOTDIR') return 'a part of the path is a file, not a directory';
  if (err.code === 'EROFS') return 'read-only file system';
  return err.code ?? (e instanceof Error ? e.message : String(e));
}

/** Narrows an existing file this user owns to 0600 (other users' files are left as they are). */
function narrow(file: string): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    return;
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (!st.isFile() || (st.mode & 0o077) === 0 || st.uid !== uid) return;
  try {
    chmodSync(file, PRIVATE_FILE);
  } catch (e) {
    throw new FoureyesError('store', `cannot make workspace file ${file} private (mode 0600): ${why(e)}`);
  }
}

/**
 * Before SQLite opens `path`: with `create`, makes its missing directories (0700) and an empty file (0600, exclusive:
 * a file another process created meanwhile is kept); in any case narrows the workspace file and its -wal and -shm
 * files to 0600 where this user owns them. Never on Windows (POSIX modes do not apply there).
 */
export function prepareWorkspaceFile(path: string, opts: { create: boolean }): void {
  if (process.platform === 'win32') return;
  if (opts.create && !existsSync(path)) {
    const dir = dirname(path);
    try {
      mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    } catch (e) {
      throw new FoureyesError('store', `cannot create the workspace directory ${dir}: ${why(e)}`);
    }
    try {
      closeSync(openSync(path, 'wx', PRIVATE_FILE));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new FoureyesError('store', `cannot create workspace file ${path}: ${why(e)}`);
    }
  }
  for (const f of [path, `${path}-wal`, `${path}-shm`]) narrow(f);
}
