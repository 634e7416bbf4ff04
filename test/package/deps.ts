/**
 * The production dependency closure, computed independently of electron-builder: from package.json "dependencies",
 * follow every installed package's dependencies, optionalDependencies and peerDependencies with Node's lookup
 * (node_modules/<name> in the requiring package's folder, then in each parent folder).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
}

function lookup(from: string, name: string, root: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === path.dirname(dir)) return null;
  }
}

/** Names of all packages the app needs at run time. Throws when a required one is not installed. */
export function productionClosure(root: string): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (dir: string, m: Manifest) => {
    const required = Object.keys(m.dependencies ?? {});
    const peers = Object.keys(m.peerDependencies ?? {}).filter((p) => !m.peerDependenciesMeta?.[p]?.optional);
    const optional = [
      ...Object.keys(m.optionalDependencies ?? {}),
      ...Object.keys(m.peerDependenciesMeta ?? {}).filter((p) => m.peerDependenciesMeta?.[p]?.optional),
    ];
    for (const [name, mustExist] of [
      ...required.map((n) => [n, true] as const),
      ...peers.map((n) => [n, true] as const),
      ...optional.map((n) => [n, false] as const),
    ]) {
      const at = lookup(dir, name, root);
      if (at === null) {
        if (mustExist) throw new Error(`${name} (needed by ${dir}) is not installed`);
        continue;
      }
      names.add(name);
      if (seen.has(at)) continue;
      seen.add(at);
      visit(at, readManifest(at));
    }
  };
  visit(root, readManifest(root));
  return names;
}
