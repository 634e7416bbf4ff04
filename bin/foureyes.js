#!/usr/bin/env node
// The `foureyes` command line (main/cli/index.ts), run through tsx.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { register } = await import('tsx/esm/api');
register();
await import(pathToFileURL(path.join(root, 'main', 'cli', 'index.ts')).href);
