/**
 * Loading the check catalogue: the YAML files under main/catalogue/checks/ (or the build's prebuilt form while it
 * matches them) plus user check packs (extra directories), validated at load time. The parts that need no YAML
 * parser are in catalogue.ts (re-exported here).
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FoureyesError } from '../../shared/model/errors.js';
import { buildCatalogue, builtinCatalogueDir, builtinCatalogueOf, isDir, type Catalogue } from './catalogue.js';
import { catalogueFiles, readPrebuilt, type CataloguePart } from './prebuilt.js';
import { benchmarkReferences, builtinProfilesDir, readProfilesDir, withBenchmarkReferences } from './profiles.js';
import { parseCatalogueFile } from './validate.js';

export * from './catalogue.js';

const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Parses and validates every catalogue file of `dir`. */
export function readCatalogueDir(dir: string): CataloguePart[] {
  if (!isDir(dir))
    throw new FoureyesError('bad_input', `check pack directory ${dir} does not exist or is not a directory`, {
      file: dir,
    });
  return catalogueFiles(dir).map((n) => {
    const file = join(dir, n);
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES)
      throw new FoureyesError('bad_input', `${file}: catalogue file larger than ${MAX_FILE_BYTES} bytes`, {
        file,
      });
    return { file, checks: parseCatalogueFile(readFileSync(file, 'utf8'), file) };
  });
}

/**
 * The built-in checks of `dir` with their versioned benchmark references, which the benchmark profiles beside them
 * (`../profiles/`) give: benchmark numbering is written only there.
 */
export function readBuiltinParts(dir: string): CataloguePart[] {
  const refs = benchmarkReferences(readProfilesDir(builtinProfilesDir(dir), true));
  return readCatalogueDir(dir).map((p) => ({ ...p, checks: withBenchmarkReferences(p.checks, refs) }));
}

/**
 * Loads the built-in catalogue and the given check packs. Throws FoureyesError('bad_input') naming the file,
 * check id and field for an invalid check, a duplicate id, an unknown fact id or an unknown evaluator.
 */
export function loadCatalogue(
  extraDirs: readonly string[] = [],
  opts: { builtinDir?: string } = {},
): Catalogue {
  const builtin = opts.builtinDir ?? builtinCatalogueDir();
  const extra = extraDirs.map((d) => resolve(d));
  // The built-in files from the build's prebuilt form while it matches them; check packs always parsed.
  const parts = [...(readPrebuilt(builtin) ?? readBuiltinParts(builtin)), ...extra.flatMap((d) => readCatalogueDir(d))];
  const dirs = [builtin, ...extra];
  return buildCatalogue(parts, dirs);
}


/**
 * The built-in catalogue alone (no pack, no profile), read once per directory: what a check's digest is compared
 * with to know whether a scan ran it as shipped. Reads the YAML files when the build's prebuilt form is missing.
 */
export function builtinCatalogue(dir: string = builtinCatalogueDir()): Catalogue {
  return builtinCatalogueOf(dir, readBuiltinParts);
}
