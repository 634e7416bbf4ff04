/**
 * The fonts the report embeds and the charts are rasterised with, from the build (build/report-fonts.mjs writes them
 * into dist/fonts/ beside the compiled code and the CLI bundle; the desktop app carries them in app.asar, the TrueType
 * file unpacked next to it for the native rasteriser). A missing file is an error naming it: a report is never made
 * with a font quietly left out.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FoureyesError } from '../../../shared/model/errors.js';
import { projectRootFrom } from '../../api/app-env.js';

export const REPORT_FONTS = {
  sans: { family: 'Inter', file: 'inter-latin-wght-normal.woff2', weight: '100 900' },
  mono: { family: 'JetBrains Mono', file: 'jetbrains-mono-latin-400-normal.woff2', weight: '400' },
} as const;
/** Inter as TrueType, for @resvg/resvg-js. */
export const CHART_FONT_FILE = 'inter-latin-wght-normal.ttf';

/** Where a font file of the build is (outside app.asar for a file a native module reads). */
export function fontPath(file: string, unpacked = false): string {
  const p = join(projectRootFrom(import.meta.url), 'dist', 'fonts', file);
  return unpacked ? p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2') : p;
}

const cache = new Map<string, Buffer>();

/** A font file's bytes. */
export function fontBytes(file: string): Buffer {
  const hit = cache.get(file);
  if (hit) return hit;
  const p = fontPath(file);
  let b: Buffer;
  try {
    b = readFileSync(p);
  } catch {
    throw new FoureyesError('internal', `the report font ${p} is missing: build with \`npm run build:main\``);
  }
  cache.set(file, b);
  return b;
}
