/**
 * The compiled module (as `npm run build:main` emits it, run by plain node without tsx) finds the catalogue in
 * the source tree: dist/main/catalogue/load.js -> main/catalogue/checks. Built into a scratch tree that mirrors
 * the repository layout, so the real dist/ is never touched.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const root = mkdtempSync(join(tmpdir(), 'foureyes-dist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('compiled catalogue loader', () => {
  it('finds and validates the catalogue from dist/ with plain node', { timeout: 120_000 }, () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const out = join(root, 'dist');
    const build = spawnSync(
      process.execPath,
      [
        tsc,
        '--outDir',
        out,
        '--rootDir',
        repo,
        '--module',
        'NodeNext',
        '--moduleResolution',
        'NodeNext',
        '--target',
        'ES2022',
        '--skipLibCheck',
        '--strict',
        '--types',
        'node',
        join(repo, 'main/catalogue/load.ts'),
      ],
      { cwd: repo, encoding: 'utf8' },
    );
    expect(build.stdout + build.stderr).toBe('');
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
    mkdirSync(join(root, 'main', 'catalogue'), { recursive: true });
    symlinkSync(join(repo, 'main', 'catalogue', 'checks'), join(root, 'main', 'catalogue', 'checks'));
    const env = { ...process.env };
    delete env.FOUREYES_CATALOGUE_DIR;
    const script = `const m = await import(${JSON.stringify(join(out, 'main/catalogue/load.js'))}); const c = m.loadCatalogue(); console.log(JSON.stringify({ dir: m.builtinCatalogueDir(), n: c.checks.length, v: c.version }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const got = JSON.parse(run.stdout) as { dir: string; n: number; v: string };
    expect(realpathSync(got.dir)).toBe(realpathSync(join(repo, 'main', 'catalogue', 'checks')));
    expect(got.n).toBeGreaterThanOrEqual(45);
  });
});
