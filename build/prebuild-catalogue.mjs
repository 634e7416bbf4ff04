// After `tsc -p tsconfig.node.json`: writes the built-in check catalogue, parsed and validated once, beside the
// build (dist/catalogue.json), so a run need not parse the YAML again.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(path.join(root, 'dist', 'main', 'catalogue', p)).href;
const { readBuiltinParts } = await import(dist('load.js'));
const { writePrebuilt, prebuiltFile } = await import(dist('prebuilt.js'));
const dir = path.join(root, 'main', 'catalogue', 'checks');
const parts = readBuiltinParts(dir);
writePrebuilt(dir, parts);
console.log(`catalogue: ${parts.reduce((n, p) => n + p.checks.length, 0)} checks -> ${path.relative(root, prebuiltFile())}`);
