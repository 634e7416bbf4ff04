// Bundles the Electron preload (main/shell/preload.ts) into one CommonJS file. A sandboxed preload can require
// nothing but 'electron' (and a few timers/events shims) and cannot be an ES module, so everything it imports from
// shared/ is inlined here. Output: dist/preload/preload.cjs (webPreferences.preload points at it).
import { build } from 'esbuild';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Build the bundle; `outfile` defaults to dist/preload/preload.cjs. Returns the output path. */
export async function bundlePreload(outfile = path.join(root, 'dist', 'preload', 'preload.cjs')) {
  await build({
    entryPoints: [path.join(root, 'main', 'shell', 'preload.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2022',
    external: ['electron'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await bundlePreload(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  process.stdout.write(`preload bundled: ${path.relative(root, out)}\n`);
}
