/**
 * Parsing an inventory off the main thread. A 4 MiB file takes seconds to parse (YAML about 8 s), and the main
 * thread answers every other API call: the parse runs in a worker thread of its own, bounded in time and memory,
 * and the caller awaits its outcome. One worker per parse, ended when it answers.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FoureyesError, type ErrorCode } from '../../shared/model/errors.js';
import type { InventoryParse } from './types.js';

export interface ParseRequest {
  source: string;
  content: string;
  file: string;
}

export type ParseReply =
  | { ok: true; parse: InventoryParse }
  | { ok: false; refusal: { code: ErrorCode; message: string; details?: Record<string, string | number | boolean> } }
  | { ok: false; crash: string };

/** How long one parse may take before it is stopped. */
export const PARSE_TIMEOUT_MS = 60_000;
/** Heap one parse may use. */
export const PARSE_HEAP_MB = 1024;

/**
 * The worker: the compiled parse-worker.js beside this file, or, running from the TypeScript sources (tests, tsx),
 * the .ts file through tsx's loader, which a worker does not inherit from its parent.
 */
function startWorker(): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: PARSE_HEAP_MB };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./parse-worker.js', import.meta.url), { resourceLimits });
  // tsx's ES module API, where its package's exports map sends an `import` (its `require` form cannot register).
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('tsx/package.json');
  const exported = (require(pkg) as { exports: Record<string, { import: { default: string } }> }).exports;
  const tsx = pathToFileURL(join(dirname(pkg), exported['./esm/api']!.import.default)).href;
  const entry = new URL('./parse-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, resourceLimits });
}

/** Parses `content` as `source` in a worker thread; refusals come back as the FoureyesError the parser threw. */
export function parseInventoryOffThread(
  req: ParseRequest,
  opts: { timeoutMs?: number } = {},
): Promise<InventoryParse> {
  const timeoutMs = opts.timeoutMs ?? PARSE_TIMEOUT_MS;
  return new Promise<InventoryParse>((resolve, reject) => {
    const worker = startWorker();
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new FoureyesError(
              'bad_input',
              `${req.file}: reading it took longer than ${timeoutMs / 1000} s and was stopped; nothing was imported. Split the file.`,
            ),
          ),
        ),
      timeoutMs,
    );
    worker.once('message', (reply: ParseReply) =>
      finish(() => {
        if (reply.ok) resolve(reply.parse);
        else if ('refusal' in reply)
          reject(new FoureyesError(reply.refusal.code, reply.refusal.message, reply.refusal.details));
        else reject(new Error(`inventory parser failed on ${req.file}: ${reply.crash}`));
      }),
    );
    worker.once('error', (e: Error & { code?: string }) =>
      finish(() =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new FoureyesError(
                'bad_input',
                `${req.file}: reading it needs more than ${PARSE_HEAP_MB} MB of memory and was stopped; nothing was imported. Split the file.`,
              )
            : e,
        ),
      ),
    );
    worker.once('exit', (code) =>
      finish(() => reject(new Error(`inventory parser for ${req.file} exited (${code}) without an answer`))),
    );
    worker.postMessage(req);
  });
}
