import { readFile, stat } from 'node:fs/promises';
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import { FoureyesError, isFoureyesError } from '../../shared/model/errors.js';
import { parseCollectorOutput } from './parse.js';

/** Larger than any output the collector can print for the whole registry (see outputBudget). */
const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

/**
 * Reads the output of a collector script that someone ran by hand (`sh collector.sh > out.txt`) and parses it.
 * Everything needed is in the file: the boundary and the requested facts come from its preamble. `collectedAt`
 * is the target's clock as the script reported it, else the file's modification time.
 */
export async function readCollectorOutputFile(path: string): Promise<FactSnapshot> {
  let buf: Buffer;
  let mtime: Date;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new FoureyesError('bad_input', `collector output ${path} is not a regular file`);
    if (st.size > MAX_IMPORT_BYTES) {
      throw new FoureyesError('bad_input', `collector output ${path} is too large (${st.size} bytes; at most ${MAX_IMPORT_BYTES})`);
    }
    mtime = st.mtime;
    buf = await readFile(path);
  } catch (e) {
    if (isFoureyesError(e)) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code ?? String(e)})`;
    throw new FoureyesError('bad_input', `collector output ${path} ${why}`);
  }
  try {
    return parseCollectorOutput(buf, { source: 'import', collectedAt: mtime.toISOString(), preferTargetClock: true });
  } catch (e) {
    if (isFoureyesError(e) && e.code === 'collector') {
      throw new FoureyesError('bad_input', `${path} is not a Foureyes collector output: ${e.message}`);
    }
    throw e;
  }
}
