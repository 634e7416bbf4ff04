#!/usr/bin/env node
// The `foureyes` command line: the compiled bundle in dist/cli/ (built by `npm ci` and `npm start`, or `npm run
// build:main`), loaded with the V8 code cache the build wrote beside it (bin/cli-bundle.js); nothing is transpiled
// when it runs. FOUREYES_CODE_CACHE=off compiles without the cache; =report says on stderr what became of it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundle } from './cli-bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist', 'cli', 'index.cjs');
if (!existsSync(entry)) {
  process.stderr.write(`foureyes: not built (${entry} is missing): run \`npm run build:main\` in ${root}\n`);
  process.exit(2);
}
const mode = process.env.FOUREYES_CODE_CACHE;
const { exports, cache } = loadBundle(entry, { useCache: mode !== 'off' });
if (mode === 'report') process.stderr.write(`foureyes: code cache ${cache}\n`);
process.exitCode = await exports.main(process.argv.slice(2));
