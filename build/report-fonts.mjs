// Writes the fonts of the HTML report and of the PNG charts into dist/fonts/: the latin subsets of Inter (variable
// weight) and JetBrains Mono 400 as the woff2 files the report embeds as data: URLs (main/export/report/fonts.ts),
// and Inter decompressed to TrueType for the SVG rasteriser (@resvg/resvg-js reads TrueType/OpenType files only).
// Both font packages and wawoff2 are devDependencies: what ships is dist/fonts/.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = path.join(root, 'dist', 'fonts');
const FONTS = {
  'inter-latin-wght-normal.woff2': '@fontsource-variable/inter/files/inter-latin-wght-normal.woff2',
  'jetbrains-mono-latin-400-normal.woff2':
    '@fontsource/jetbrains-mono/files/jetbrains-mono-latin-400-normal.woff2',
};

mkdirSync(out, { recursive: true });
for (const [name, from] of Object.entries(FONTS)) copyFileSync(require.resolve(from), path.join(out, name));
const { decompress } = require('wawoff2');
const ttf = await decompress(readFileSync(path.join(out, 'inter-latin-wght-normal.woff2')));
writeFileSync(path.join(out, 'inter-latin-wght-normal.ttf'), ttf);
console.log(`fonts: ${Object.keys(FONTS).length} woff2 and 1 ttf -> ${path.relative(root, out)}`);
