/**
 * Checks on app.asar extracted to a folder outside the checkout, so module lookup can only find what was packed:
 * the main process's module graph resolved by esbuild, and packed modules run under Node.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { run } from './pack.js';

/** Throws if any folder above `dir` has a node_modules folder Node's lookup could fall back to. */
export function assertIsolated(dir: string): void {
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    if (existsSync(path.join(d, 'node_modules')))
      throw new Error(`${d}/node_modules would leak into module lookup`);
  }
  if (existsSync('/node_modules')) throw new Error('/node_modules would leak into module lookup');
}

/**
 * Resolves every static import reachable from `entries` (relative to `root`) as Node would, without running them.
 * 'electron' is provided by the runtime and native addons are loaded by path. Returns the input files, relative
 * to `root`. Throws (esbuild's resolve errors) if anything is missing.
 */
export async function moduleGraph(root: string, entries: string[]): Promise<string[]> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries,
    bundle: true,
    write: false,
    outdir: 'out',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['electron', '*.node'],
    // A native addon reached through a package name (resvg's platform package) is listed, not bundled.
    loader: { '.node': 'empty' },
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

/** What the smoke script reports. */
export interface Smoke {
  catalogueDir: string;
  catalogueVersion: string;
  checks: number;
  schemaVersion: number;
  sqliteVersion: string;
  ssh2Client: string;
}

/**
 * Runs packed modules under this machine's Node from the extracted tree: the catalogue loader (which must find the
 * packed YAML beside the packed JS), a workspace through the packed better-sqlite3 and its unpacked addon, and ssh2.
 */
export async function smoke(root: string, workspace: string): Promise<Smoke> {
  const script = `
    import { createRequire } from 'node:module';
    const { loadCatalogue, builtinCatalogueDir } = await import('./dist/main/catalogue/load.js');
    const { openWorkspace } = await import('./dist/main/store/db.js');
    const cat = loadCatalogue();
    const ws = openWorkspace(${JSON.stringify(workspace)});
    const sqliteVersion = ws.db.prepare('select sqlite_version() as v').get().v;
    const out = {
      catalogueDir: builtinCatalogueDir(), catalogueVersion: cat.version, checks: cat.checks.length,
      schemaVersion: ws.schemaVersion, sqliteVersion,
      ssh2Client: typeof createRequire(import.meta.url)('ssh2').Client,
    };
    ws.close();
    process.stdout.write('\\nSMOKE ' + JSON.stringify(out) + '\\n');
  `;
  const out = await run(process.execPath, ['--input-type=module', '-e', script], root, 30_000);
  const line = out.split('\n').find((l) => l.startsWith('SMOKE '));
  if (line === undefined) throw new Error(`smoke script printed no result:\n${out}`);
  return JSON.parse(line.slice('SMOKE '.length)) as Smoke;
}
