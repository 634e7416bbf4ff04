/**
 * Reads app.asar with @electron/asar, the copy electron-builder itself packs with (resolved through
 * app-builder-lib, so the test reads archives with the same code that wrote them).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './pack.js';

interface AsarNode {
  files?: Record<string, AsarNode>;
  size?: number;
  unpacked?: boolean;
  link?: string;
}

interface AsarModule {
  getRawHeader(archive: string): { header: AsarNode; headerString: string; headerSize: number };
  extractFile(archive: string, file: string): Buffer;
  extractAll(archive: string, dest: string): void;
}

interface FusesModule {
  getCurrentFuseWire(binary: string): Promise<Record<string, number | string>>;
}

const builderRequire = createRequire(
  createRequire(path.join(repoRoot, 'package.json')).resolve('app-builder-lib/package.json'),
);
export const asarLib = builderRequire('@electron/asar') as AsarModule;
export const fusesLib = builderRequire('@electron/fuses') as FusesModule;

/** One file in the archive; `path` is absolute inside the archive ('/dist/...'). */
export interface AsarFile {
  path: string;
  size: number;
  /** Stored in app.asar.unpacked instead of the archive. */
  unpacked: boolean;
}

/** Every file (not folder, not link) in the archive. */
export function asarFiles(archive: string): AsarFile[] {
  const out: AsarFile[] = [];
  const walk = (node: AsarNode, at: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const p = `${at}/${name}`;
      if (child.files) walk(child, p);
      else if (child.link === undefined)
        out.push({ path: p, size: child.size ?? 0, unpacked: child.unpacked === true });
    }
  };
  walk(asarLib.getRawHeader(archive).header, '');
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** SHA-256 of the archive's header string: what Electron checks against ElectronAsarIntegrity. */
export function asarHeaderHash(archive: string): string {
  return createHash('sha256').update(asarLib.getRawHeader(archive).headerString).digest('hex');
}

/** Package names under node_modules/ (nested ones included), e.g. 'ssh2', '@scope/pkg'. */
export function packedPackages(files: readonly AsarFile[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    for (const m of f.path.matchAll(/\/node_modules\/((?:@[^/]+\/)?[^/]+)/g)) if (m[1]) names.add(m[1]);
  }
  return names;
}
