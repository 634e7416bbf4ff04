#!/usr/bin/env node
// The `foureyes` command line: the compiled bundle in dist/cli/ (built by `npm ci` and `npm start`, or `npm run
// build:main`); nothing is transpiled when it runs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist', 'cli', 'index.js');
if (!existsSync(entry)) {
  process.stderr.write(`foureyes: not built (${entry} is missing): run \`npm run build:main\` in ${root}\n`);
  process.exit(2);
}
await import(pathToFileURL(entry).href);
