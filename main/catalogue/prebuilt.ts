/**
 * The built-in catalogue in a prebuilt, already validated form: the build parses and validates the YAML once and
 * writes the checks as JSON beside the compiled loader, keyed by the SHA-256 of the YAML files it came from. At run
 * time the JSON is used only while that digest still matches the YAML on disk; an edited or added file (or no JSON,
 * as when running from source) means the YAML is parsed and validated as before. Nothing is trusted that the YAML
 * would not give. Each part also carries its checks' digests, computed by the build from the same checks, so a
 * run need not hash every check again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { Check } from '../../shared/checks/schema.js';
import { projectRootFrom } from '../api/app-env.js';
import { checkDigest } from './digest.js';

const FORMAT = 2;
/**
 * Where the build writes the prebuilt form: dist/catalogue.json under the project (or app.asar) root, found from
 * this module wherever it runs (dist/main/catalogue/, the command line's bundle in dist/cli/, or the sources).
 */
export function prebuiltFile(): string {
  return join(projectRootFrom(import.meta.url), 'dist', 'catalogue.json');
}

export interface CataloguePart {
  file: string;
  checks: Check[];
  /** Each check's digest by id (checkDigest), when already known: the prebuilt form carries them. */
  digests?: Readonly<Record<string, string>>;
}

interface Prebuilt {
  format: number;
  sourceDigest: string;
  parts: { file: string; checks: Check[]; digests: Record<string, string> }[];
}

/**
 * The catalogue files of `dir`, in load order, as paths relative to `dir` ('/'-separated): its YAML files and
 * those of its folders (a family that outgrew one file), at any depth.
 */
export function catalogueFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((n) => n.split(sep).join('/'))
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort();
}

/**
 * SHA-256 over the names and bytes of the catalogue files of `dir` and of the profile files beside it
 * (`../profiles/`, which give the checks their benchmark references).
 */
export function sourceDigest(dir: string): string {
  const h = createHash('sha256');
  for (const n of catalogueFiles(dir)) {
    const bytes = readFileSync(join(dir, n));
    h.update(`${n}\0${bytes.length}\0`).update(bytes);
  }
  const profiles = join(dirname(dir), 'profiles');
  const names = existsSync(profiles) ? readdirSync(profiles).filter((n) => /\.ya?ml$/i.test(n)).sort() : [];
  for (const n of names) {
    const bytes = readFileSync(join(profiles, n));
    h.update(`profiles/${n}\0${bytes.length}\0`).update(bytes);
  }
  return h.digest('hex');
}

/** Writes the prebuilt form of already validated `parts` read from `dir`. */
export function writePrebuilt(dir: string, parts: readonly CataloguePart[], file = prebuiltFile()): void {
  const body: Prebuilt = {
    format: FORMAT,
    sourceDigest: sourceDigest(dir),
    parts: parts.map((p) => ({
      file: relative(dir, p.file).split(sep).join('/'),
      checks: p.checks,
      digests: Object.fromEntries(p.checks.map((c) => [c.id, checkDigest(c)])),
    })),
  };
  writeFileSync(file, `${JSON.stringify(body)}\n`);
}

/** The prebuilt parts for `dir` when a prebuilt form exists and matches the YAML there; otherwise null. */
export function readPrebuilt(dir: string, file = prebuiltFile()): CataloguePart[] | null {
  let body: Prebuilt;
  try {
    body = JSON.parse(readFileSync(file, 'utf8')) as Prebuilt;
  } catch {
    return null;
  }
  if (body.format !== FORMAT || !Array.isArray(body.parts)) return null;
  const complete = (p: Prebuilt['parts'][number]): boolean =>
    Array.isArray(p.checks) &&
    typeof p.digests === 'object' &&
    p.digests !== null &&
    p.checks.every((c) => typeof c?.id === 'string' && typeof p.digests[c.id] === 'string');
  if (!body.parts.every(complete)) return null;
  try {
    if (body.sourceDigest !== sourceDigest(dir)) return null;
  } catch {
    return null;
  }
  return body.parts.map((p) => ({ file: join(dir, p.file), checks: p.checks, digests: p.digests }));
}
