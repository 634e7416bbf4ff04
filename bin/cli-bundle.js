// Loads the command line's bundle (dist/cli/index.cjs, one CommonJS file) with the V8 code cache that the build
// wrote beside it (index.cjs.cache): a run then reads the compiled code instead of parsing and compiling 2.4 MB of
// JavaScript (about a third of the start-up of `foureyes assess`).
//
// The cache is handed to V8 only when it was made from exactly these bytes of the bundle and is itself intact: its
// header holds the SHA-256 of both (V8 itself checks only its version, its flags and the source's length, and a
// damaged cache that passes those checks is not safe to run). Otherwise (missing, stale, damaged) or when V8 refuses
// it (another Node, other V8 flags), the bundle is compiled from source as any script is: slower, same behaviour.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const MAGIC = Buffer.from('foureyes-v8-code-cache 1\n');
const HEADER = MAGIC.length + 64;

const sha256 = (b) => createHash('sha256').update(b).digest();

/** The code cache's file beside a bundle. */
export const cacheFileOf = (bundle) => `${bundle}.cache`;

/** The bytes of a cache file holding V8's `data`, made from the bundle whose bytes are `source`. */
export function cacheFileBytes(source, data) {
  return Buffer.concat([MAGIC, sha256(source), sha256(data), data]);
}

/**
 * The V8 data of a cache file when it belongs to `source` and is intact: `{ state: 'ok', data }`, else
 * `{ state }` with 'missing', 'stale' (made from other bytes) or 'corrupt'.
 */
export function readCodeCache(file, source) {
  let buf;
  try {
    buf = readFileSync(file);
  } catch {
    return { state: 'missing' };
  }
  if (buf.length <= HEADER || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return { state: 'corrupt' };
  if (!buf.subarray(MAGIC.length, MAGIC.length + 32).equals(sha256(source))) return { state: 'stale' };
  const data = buf.subarray(HEADER);
  if (!buf.subarray(MAGIC.length + 32, HEADER).equals(sha256(data))) return { state: 'corrupt' };
  return { state: 'ok', data };
}

/**
 * Compiles and runs the bundle as Node runs a CommonJS module (its own require, __filename, __dirname), with its
 * code cache unless `useCache` is false. Returns the bundle's exports, the compiled script (the build asks it for
 * the cache) and what became of the cache: 'used', 'rejected' (by V8), 'missing', 'stale', 'corrupt' or 'off'.
 */
export function loadBundle(bundle, { useCache = true } = {}) {
  const bytes = readFileSync(bundle);
  const cache = useCache ? readCodeCache(cacheFileOf(bundle), bytes) : { state: 'off' };
  // esbuild writes ASCII (its default charset); read so, it is several times faster than decoding UTF-8.
  const source = isAscii(bytes) ? bytes.latin1Slice() : bytes.toString('utf8');
  // Strict, as the ES modules it was bundled from are. On one line with the source's first, like Node's own wrapper.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { 'use strict'; ${source}\n})`;
  const script = new vm.Script(wrapped, { filename: bundle, ...(cache.data ? { cachedData: cache.data } : {}) });
  const state = cache.data ? (script.cachedDataRejected ? 'rejected' : 'used') : cache.state;
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return { exports: module.exports, script, cache: state };
}
