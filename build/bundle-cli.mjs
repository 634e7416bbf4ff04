// Bundles the `foureyes` command line (main/cli/index.ts) into dist/cli/index.cjs, one CommonJS file, and writes
// V8's code cache for it beside it (build/cli-code-cache.mjs; bin/cli-bundle.js loads both). A bundle starts in
// about half the time of the same code as some three hundred separate modules (module resolution dominates a short
// run), and the code cache saves most of what is left of compiling it; Node 20 takes a code cache only for a
// script, not for an ES module. Each command's modules are still evaluated only when it runs (esbuild turns the
// entry's `import()` of a command into a lazy initialiser). Native and optional-native packages stay external and
// are loaded from node_modules.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { writeCodeCache } from './cli-code-cache.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A `require('./x.node')` inside a package stays a require of that file in the package (found from dist/cli). */
const nativeFromPackage = {
  name: 'native-from-package',
  setup(b) {
    b.onResolve({ filter: /\.node$/ }, (args) => {
      const abs = path.resolve(args.resolveDir, args.path).split(path.sep).join('/');
      const at = abs.lastIndexOf('/node_modules/');
      if (at < 0) return { errors: [{ text: `native module outside node_modules: ${abs}` }] };
      return { path: abs.slice(at + '/node_modules/'.length), external: true };
    });
  },
};

/** esbuild's options for the bundle written to `outfile` (also read by test/unit/cli/bundle.test.ts). */
export function cliBuildOptions(outfile) {
  return {
    entryPoints: [path.join(root, 'main', 'cli', 'index.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // Native modules stay in node_modules (@resvg/resvg-js picks its platform's prebuilt addon package); ssh2 is bundled (some forty modules fewer to resolve at start-up) but its
    // native crypto binding is loaded from its package, where its build put it.
    external: ['better-sqlite3', 'cpu-features', '@resvg/resvg-js'],
    plugins: [nativeFromPackage],
    // The sources are ES modules: import.meta.url is the bundle's own URL (it finds the project root from there).
    define: { 'import.meta.url': '__foureyesUrl' },
    banner: { js: "const __foureyesUrl = require('node:url').pathToFileURL(__filename).href;" },
    // Without comments the file is ASCII (esbuild escapes every other character), which the loader reads without
    // decoding, and a third smaller; the source map keeps the way back to the sources.
    minifyWhitespace: true,
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/** Build the bundle and its code cache into `outdir` (default dist/cli). Returns the bundle's path. */
export async function bundleCli(outdir = path.join(root, 'dist', 'cli')) {
  // Without this, files of an earlier build (or layout) would stay behind.
  rmSync(outdir, { recursive: true, force: true });
  const outfile = path.join(outdir, 'index.cjs');
  await build(cliBuildOptions(outfile));
  await writeCodeCache(outfile);
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await bundleCli(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  process.stdout.write(`cli bundled: ${path.relative(root, out)}\n`);
}
