/**
 * The check catalogue without its YAML reader: where the built-in files are, building a catalogue from validated
 * checks, their digests, and the quick load from the build's prebuilt form. Where the built-in files are found:
 * 1. $FOUREYES_CATALOGUE_DIR, when set;
 * 2. `checks/` beside this module (running from source with tsx, or a build that copied the YAML next to the JS);
 * 3. the source tree seen from a compiled module (dist/main/catalogue/ -> main/catalogue/checks/).
 * Parsing and validating YAML (load.ts, with the YAML parser and the schema) is loaded only when it is needed.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Check } from '../../shared/checks/schema.js';
import type { FactId } from '../../shared/facts/registry.js';
import { ALWAYS_COLLECTED } from '../../shared/facts/registry.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { projectRootFrom } from '../api/app-env.js';
import { checkDigest } from './digest.js';
import { readPrebuilt, type CataloguePart } from './prebuilt.js';

/** Version of the built-in catalogue's content and schema; bump on any change to the shipped checks. */
export const CATALOGUE_BASE_VERSION = '1.0.0';
export const CATALOGUE_DIR_ENV = 'FOUREYES_CATALOGUE_DIR';

export interface Catalogue {
  /** `<base version>+<first 12 hex of the sha256 over all check digests>`: changes whenever any check changes. */
  version: string;
  checks: Check[];
  byId: ReadonlyMap<string, Check>;
  /** sha256 (hex) of the canonical JSON of a check; throws not_found for an unknown id. */
  digest(checkId: string): string;
  /** Directories the checks were read from, built-in first. */
  sources: string[];
}

export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The directory of the built-in catalogue files. */
export function builtinCatalogueDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CATALOGUE_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isDir(fromEnv))
      throw new FoureyesError('bad_input', `${CATALOGUE_DIR_ENV}=${fromEnv} is not a directory`);
    return resolve(fromEnv);
  }
  const here = fileURLToPath(new URL('.', import.meta.url));
  // Beside this module (sources), or the sources seen from a build (dist/main/catalogue/ or the bundle in dist/cli/).
  const candidates = [join(here, 'checks'), join(projectRootFrom(import.meta.url), 'main', 'catalogue', 'checks')];
  for (const c of candidates) if (isDir(c)) return resolve(c);
  throw new FoureyesError(
    'not_found',
    `check catalogue not found (looked in ${candidates.join(', ')}); set ${CATALOGUE_DIR_ENV}`,
  );
}

export { canonicalJson, checkDigest } from './digest.js';

/**
 * Builds a catalogue from already validated checks (files given for duplicate-id messages). A part's digests, when
 * given (the prebuilt form, computed by the build from the same checks), are taken instead of computed again.
 */
export function buildCatalogue(parts: readonly CataloguePart[], sources: string[]): Catalogue {
  const byId = new Map<string, Check>();
  const fileOf = new Map<string, string>();
  const checks: Check[] = [];
  const digests = new Map<string, string>();
  for (const { file, checks: cs, digests: given } of parts) {
    for (const c of cs) {
      const prev = fileOf.get(c.id);
      if (prev !== undefined)
        throw new FoureyesError(
          'bad_input',
          `${file}: check '${c.id}': field id: duplicate id, already defined in ${prev}`,
          { file, checkId: c.id, field: 'id' },
        );
      fileOf.set(c.id, file);
      byId.set(c.id, c);
      checks.push(c);
      digests.set(c.id, given?.[c.id] ?? checkDigest(c));
    }
  }
  const all = createHash('sha256');
  for (const c of checks) all.update(`${c.id}:${digests.get(c.id) ?? ''}\n`);
  return {
    version: `${CATALOGUE_BASE_VERSION}+${all.digest('hex').slice(0, 12)}`,
    checks,
    byId,
    digest(checkId: string): string {
      const d = digests.get(checkId);
      if (d === undefined)
        throw new FoureyesError('not_found', `no check with id '${checkId}' in the catalogue`);
      return d;
    },
    sources,
  };
}

/** Every fact the given checks read, plus those always collected; sorted, without duplicates. */
export function factsNeeded(checks: readonly Check[]): FactId[] {
  const set = new Set<FactId>(ALWAYS_COLLECTED);
  for (const c of checks) for (const f of c.facts) set.add(f);
  return [...set].sort();
}

const builtinCache = new Map<string, Catalogue>();

/**
 * The built-in catalogue alone (no pack, no profile), read once per directory from the build's prebuilt form, else
 * from `fallback` (the YAML files: main/catalogue/load.ts); without either it throws. Here so that the scan's
 * store path compares digests without loading the YAML parser at start-up.
 */
export function builtinCatalogueOf(dir: string, fallback?: (dir: string) => CataloguePart[]): Catalogue {
  let cat = builtinCache.get(dir);
  if (!cat) {
    const parts = readPrebuilt(dir) ?? fallback?.(dir);
    if (!parts) throw new FoureyesError('internal', `no prebuilt catalogue in ${dir}`);
    cat = buildCatalogue(parts, [dir]);
    builtinCache.set(dir, cat);
  }
  return cat;
}

/**
 * The catalogue as `loadCatalogue` gives it, without loading the YAML parser when the build's prebuilt form
 * matches the built-in files and no check pack is given (the command line's start-up path).
 */
export async function loadCatalogueQuick(extraDirs: readonly string[] = []): Promise<Catalogue> {
  if (extraDirs.length === 0) {
    const builtin = builtinCatalogueDir();
    const parts = readPrebuilt(builtin);
    if (parts) return buildCatalogue(parts, [builtin]);
  }
  const { loadCatalogue } = await import('./load.js');
  return loadCatalogue(extraDirs);
}
