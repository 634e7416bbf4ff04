/**
 * The command line's bundle (dist/cli/index.cjs): ssh2 is bundled, its native crypto binding still comes from its
 * package; `assess` loads SQLite, the store and the engine only after its SSH set-up has started, and never the
 * YAML parser (used only for check packs, a stale prebuilt catalogue and YAML inventories); the build leaves the
 * bundle, its code cache and its source map, nothing else.
 */
import { isAscii } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM build script without type declarations
import { cliBuildOptions as cliBuildOptionsUntyped } from '../../../build/bundle-cli.mjs';
import { ensureBuilt } from '../../support/build.js';

const cliBuildOptions = cliBuildOptionsUntyped as (outfile: string) => BuildOptions;
const dir = join(process.cwd(), 'dist', 'cli');
const bundle = join(dir, 'index.cjs');

/** The inputs `from` imports statically (import statements, require calls), transitively: what its evaluation runs. */
function staticGraph(meta: Metafile, from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const i of meta.inputs[f]?.imports ?? []) if (i.kind !== 'dynamic-import' && !i.external) todo.push(i.path);
  }
  return seen;
}

describe('the CLI bundle', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('bundles ssh2 and loads its native crypto binding from the package', () => {
    const text = readFileSync(bundle, 'utf8');
    expect(text).toContain('ssh2/lib/client.js');
    const binding = [...text.matchAll(/\brequire\("([^"]+\.node)"\)/g)].map((m) => m[1]!);
    expect(binding).toEqual(['ssh2/lib/protocol/crypto/build/Release/sshcrypto.node']);
    const native = createRequire(bundle)(binding[0]!) as Record<string, unknown>;
    expect(typeof native.ChaChaPolyCipher).toBe('function');
  });

  it('the assess command loads no YAML parser and no schema validator of the catalogue before it runs', async () => {
    // The bundle's own build, with its module graph: a command's module and what it imports statically are
    // evaluated when the command starts; what it reaches only through import() is evaluated when that runs.
    const { metafile } = await build({ ...cliBuildOptions(join(dir, 'graph.cjs')), write: false, metafile: true, sourcemap: false });
    const first = [...staticGraph(metafile, 'main/cli/commands/assess.ts')];
    const graph = [...first, ...staticGraph(metafile, 'main/cli/commands/assess-scan.ts')];
    expect(first).toContain('main/transport/ssh.ts');
    expect(first.some((f) => f.includes('node_modules/ssh2/lib/client.js'))).toBe(true);
    // SQLite, the store, the runner and the evaluation load only once the first connections are under way.
    expect(first.filter((f) => /^main\/(store\/|scan\/|services\/|engine\/(evaluate|evaluators))/.test(f))).toEqual([]);
    // No schema is built before then either (zod's own start-up and the schemas' construction).
    expect(first.filter((f) => f.includes('node_modules/zod/'))).toEqual([]);
    // The person acting (--as) and their key are loaded only when --as is given.
    expect(first.filter((f) => /^main\/(people|audit|review)\/|^main\/cli\/(acting|scan-acting)\.ts$/.test(f))).toEqual([]);
    expect(metafile.inputs['main/cli/commands/assess.ts']?.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path)).toContain(
      'main/cli/scan-acting.ts',
    );
    expect(metafile.inputs['main/store/db.ts']?.imports.map((i) => i.path)).toContain('better-sqlite3');
    expect(graph).toContain('main/store/db.ts');
    expect(graph).toContain('main/engine/evaluate.ts');
    expect(graph.filter((f) => f.includes('node_modules/yaml/'))).toEqual([]);
    expect(graph).not.toContain('main/catalogue/validate.ts');
    // The YAML parser is in the bundle all the same, for the commands that need it.
    expect(Object.keys(metafile.inputs).some((f) => f.includes('node_modules/yaml/'))).toBe(true);
  });

  it('is ASCII (read without decoding) and calls no import() (the loader gives the script no module loader)', () => {
    const bytes = readFileSync(bundle);
    expect(isAscii(bytes)).toBe(true);
    // A call of import(), not a method of that name (xmlbuilder2's `import(node){`).
    expect(bytes.toString('latin1')).not.toMatch(/(^|[^\w$.])import\((?![\w$]+\)\{)/);
  });

  it('holds the bundle, its code cache and its source map, nothing of an earlier build', () => {
    expect(readdirSync(dir).sort()).toEqual(['index.cjs', 'index.cjs.cache', 'index.cjs.map']);
  });
});
