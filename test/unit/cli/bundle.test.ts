/**
 * The command line's bundle (dist/cli): ssh2 is bundled, its native crypto binding still comes from its package;
 * the start-up path of `assess` does not load the YAML parser (used only for check packs, a stale prebuilt
 * catalogue and YAML inventories); no stale chunk of an earlier build is left beside the new ones.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../support/build.js';

const dir = join(process.cwd(), 'dist', 'cli');

/** The chunks a chunk imports statically (`from "./chunk-X.js"`), transitively. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/\bfrom\s*"\.\/([^"]+\.js)"/g)) todo.push(m[1]!);
  }
  return seen;
}

describe('the CLI bundle', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('bundles ssh2 and loads its native crypto binding from the package', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
    const binding = files
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/__require\("([^"]+\.node)"\)/g)].map((m) => m[1]!));
    expect(binding).toEqual(['ssh2/lib/protocol/crypto/build/Release/sshcrypto.node']);
    const req = createRequire(join(dir, 'index.js'));
    const native = req(binding[0]!) as Record<string, unknown>;
    expect(typeof native.ChaChaPolyCipher).toBe('function');
  });

  it('the assess command loads no YAML parser and no schema validator of the catalogue before it runs', () => {
    const assess = readdirSync(dir).filter((f) => /^assess-[A-Z0-9]+\.js$/.test(f));
    expect(assess).toHaveLength(1);
    const graph = [...staticGraph(assess[0]!)];
    const text = graph.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    expect(text).toContain('ssh2/lib/client.js');
    expect(text).not.toContain('node_modules/yaml/');
    expect(text).not.toContain('main/catalogue/validate.ts');
  });

  it('holds each command once (no chunk of an earlier build left behind)', () => {
    const names = readdirSync(dir).filter((f) => f.endsWith('.js')).map((f) => f.replace(/-[A-Z0-9]+\.js$/, ''));
    for (const c of ['assess', 'import', 'results', 'collector']) expect(names.filter((n) => n === c), c).toHaveLength(1);
  });
});
