// Bundles the `foureyes` command line (main/cli/index.ts) into dist/cli/: one ES module for the entry and one chunk
// per command, loaded when that command runs. A bundle starts in about half the time of the same code as some
// three hundred separate modules (module resolution dominates a short run). Native and optional-native packages stay
// external and are loaded from node_modules.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

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

/** Build the bundle into `outdir` (default dist/cli). Returns the entry's path. */
export async function bundleCli(outdir = path.join(root, 'dist', 'cli')) {
  // Chunk names carry a content hash: without this, every build would leave the previous chunks behind.
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { index: path.join(root, 'main', 'cli', 'index.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Native modules stay in node_modules; ssh2 is bundled (some forty modules fewer to resolve at start-up) but its
    // native crypto binding is loaded from its package, where its build put it.
    external: ['better-sqlite3', 'cpu-features'],
    plugins: [nativeFromPackage],
    // CommonJS dependencies bundled into an ES module still call require() and read __dirname (ssh2: the path of a
    // Windows helper it never starts here).
    banner: {
      js: "import { createRequire as __foureyesRequire } from 'node:module'; const require = __foureyesRequire(import.meta.url); const __foureyesDirname = import.meta.dirname;",
    },
    define: { __dirname: '__foureyesDirname' },
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return path.join(outdir, 'index.js');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await bundleCli(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  process.stdout.write(`cli bundled: ${path.relative(root, out)}\n`);
}
