/**
 * What electron-builder.yml packs: a real `npm run build` and `electron-builder --linux dir` in the checkout
 * (output in a temporary folder), against a stand-in Electron distribution (the real one cannot be downloaded
 * here). Proves the contents of app.asar and app.asar.unpacked, the fuses flipped in the executable, and that the
 * packed main process finds everything it imports inside the package.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../main/catalogue/load.js';
import { asarFiles, asarHeaderHash, asarLib, fusesLib, packedPackages, type AsarFile } from './asar.js';
import { productionClosure, readManifest } from './deps.js';
import { assertIsolated, moduleGraph, smoke } from './extracted.js';
import { buildAndPack, repoRoot, type Packed } from './pack.js';
import { ELECTRON_45_DEFAULT_WIRE, FUSE, readFuseWire, type FuseName } from './stand-in-electron.js';

let packed: Packed;
let files: AsarFile[];
const paths = () => files.map((f) => f.path);

beforeAll(async () => {
  packed = await buildAndPack();
  files = asarFiles(packed.asar);
});

afterAll(() => {
  if (packed) rmSync(packed.tmp, { recursive: true, force: true });
});

describe('app.asar', () => {
  it('holds the main process, the preload bundle and package.json, with "main" pointing at a packed file', () => {
    const pkg = JSON.parse(asarLib.extractFile(packed.asar, 'package.json').toString()) as {
      name: string;
      main: string;
    };
    expect(pkg.name).toBe('foureyes');
    expect(pkg.main).toBe('dist/main/shell/electron-main.js');
    expect(paths()).toContain(`/${pkg.main}`);
    expect(paths()).toContain('/dist/preload/preload.cjs');
    // Everything the build wrote to dist/ except source maps, tsc's incremental state and the command line's bundle,
    // and nothing else under dist/.
    const built: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (p !== path.join(packed.project, 'dist', 'cli')) walk(p);
        } else if (!e.name.endsWith('.map') && e.name !== '.tsbuildinfo')
          built.push(`/${path.relative(packed.project, p)}`);
      }
    };
    walk(path.join(packed.project, 'dist'));
    expect(built.length).toBeGreaterThan(100);
    expect(paths().filter((p) => p.startsWith('/dist/'))).toEqual(built.sort());
  });

  it('holds the built renderer: index.html and every script, style sheet and font it references', () => {
    const html = asarLib.extractFile(packed.asar, 'renderer/dist/index.html').toString();
    const refs = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `/renderer/dist/${m[1]}`);
    expect(refs.some((r) => r.endsWith('.js'))).toBe(true);
    const sheets = refs.filter((r) => r.endsWith('.css'));
    expect(sheets.length).toBeGreaterThan(0);
    const fonts: string[] = [];
    for (const sheet of sheets) {
      const css = asarLib.extractFile(packed.asar, sheet.slice(1)).toString();
      for (const m of css.matchAll(/url\(["']?([^"')]+)["']?\)/g)) {
        if (m[1] && !m[1].startsWith('data:')) fonts.push(path.posix.join(path.posix.dirname(sheet), m[1]));
      }
    }
    expect(fonts.filter((f) => f.endsWith('.woff2')).length).toBeGreaterThan(0);
    for (const r of [...refs, ...fonts]) expect(paths()).toContain(r);
    // React's production build: its development build (what NODE_ENV=test would give) carries this warning.
    for (const js of paths().filter((p) => /^\/renderer\/dist\/.+\.js$/.test(p))) {
      expect(asarLib.extractFile(packed.asar, js.slice(1)).toString(), js).not.toContain(
        'Each child in a list should have a unique',
      );
    }
    const top = new Set(paths().map((p) => p.split('/').slice(1, 3).join('/')));
    expect([...top].filter((t) => t.startsWith('renderer/'))).toEqual(['renderer/dist']);
  });

  it('holds the check catalogue and profile YAML and no other source files', () => {
    const yamlsOf = (dir: string, recursive: boolean) =>
      readdirSync(path.join(repoRoot, dir), { recursive, encoding: 'utf8' })
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => `/${dir}/${f.split(path.sep).join('/')}`);
    const yamls = [...yamlsOf('main/catalogue/checks', true), ...yamlsOf('main/catalogue/profiles', false)].sort();
    expect(yamls.length).toBeGreaterThan(0);
    expect(paths().filter((p) => p.startsWith('/main/'))).toEqual(yamls);
    const topLevel = new Set(paths().map((p) => p.split('/')[1]));
    expect([...topLevel].sort()).toEqual(['dist', 'main', 'node_modules', 'package.json', 'renderer']);
  });

  it('holds exactly the production dependency closure: no development package', () => {
    const closure = productionClosure(repoRoot);
    for (const direct of [
      'better-sqlite3',
      'ssh2',
      'zod',
      'yaml',
      'ws',
      'commander',
      'csv-parse',
      'ssh-config',
    ]) {
      expect(closure).toContain(direct);
    }
    const inAsar = packedPackages(files);
    expect([...inAsar].sort()).toEqual([...closure].sort());
    const dev = Object.keys(readManifest(repoRoot).devDependencies ?? {});
    for (const name of [...dev, 'playwright', 'playwright-core', 'app-builder-lib', 'rollup', 'rolldown']) {
      expect(inAsar.has(name), name).toBe(false);
    }
    for (const name of [
      'react',
      'react-dom',
      'recharts',
      'zustand',
      'vite',
      'typescript',
      'vitest',
      'electron',
    ]) {
      expect(dev).toContain(name);
    }
  });

  it('holds no source map, TypeScript source or declaration, test folder or node_modules/.bin', () => {
    const bad = paths().filter(
      (p) =>
        p.endsWith('.map') ||
        /\.[cm]?ts$/.test(p) ||
        /\/(test|tests|__tests__)\//.test(p) ||
        p.startsWith('/test/') ||
        p.includes('/node_modules/.bin/'),
    );
    expect(bad).toEqual([]);
  });
});

describe('app.asar.unpacked', () => {
  it('holds every native addon outside the archive, and of better-sqlite3 only what it loads', () => {
    const addons = files.filter((f) => f.path.endsWith('.node'));
    expect(addons.map((f) => f.path)).toContain(
      '/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    );
    expect(
      addons.some((f) =>
        /^\/node_modules\/@resvg\/resvg-js-[a-z0-9-]+\/resvgjs\.[a-z0-9-]+\.node$/.test(f.path),
      ),
    ).toBe(true);
    // The chart font the rasteriser reads by path is outside the archive; the report's woff2 fonts are inside.
    const fonts = files.filter((f) => f.path.startsWith('/dist/fonts/'));
    expect(fonts.map((f) => [f.path, f.unpacked]).sort()).toEqual([
      ['/dist/fonts/inter-latin-wght-normal.ttf', true],
      ['/dist/fonts/inter-latin-wght-normal.woff2', false],
      ['/dist/fonts/jetbrains-mono-latin-400-normal.woff2', false],
    ]);
    expect(
      statSync(path.join(`${packed.asar}.unpacked`, 'dist/fonts/inter-latin-wght-normal.ttf')).size,
    ).toBeGreaterThan(50_000);
    const unpackedDir = `${packed.asar}.unpacked`;
    for (const a of addons) {
      expect(a.unpacked, a.path).toBe(true);
      expect(statSync(path.join(unpackedDir, a.path)).size).toBe(a.size);
    }
    const sqlite = files.filter((f) => f.path.startsWith('/node_modules/better-sqlite3/')).map((f) => f.path);
    expect(
      sqlite.filter((p) => !/^\/node_modules\/better-sqlite3\/(package\.json|LICENSE|lib\/.+\.js)$/.test(p)),
    ).toEqual(['/node_modules/better-sqlite3/build/Release/better_sqlite3.node']);
  });
});

describe('the packed executable', () => {
  const config = parseYaml(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as {
    electronFuses: Record<string, boolean>;
  };

  it('is the renamed stand-in with exactly the fuses electron-builder.yml sets flipped', async () => {
    // The hardening policy; electron-builder.yml must say exactly this.
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    const exe = path.join(packed.appOutDir, 'foureyes');
    expect(statSync(exe).mode & 0o111).toBe(0o111);
    const binary = readFileSync(exe);

    const expected = ELECTRON_45_DEFAULT_WIRE.split('');
    for (const [key, on] of Object.entries(config.electronFuses)) {
      expected[FUSE[(key[0]!.toUpperCase() + key.slice(1)) as FuseName]] = on ? '1' : '0';
    }
    const wire = readFuseWire(binary);
    expect(wire.version).toBe(1);
    expect(wire.states).toBe(expected.join(''));
    expect(wire.states).toBe('010011001');

    // @electron/fuses reads the same states back (as byte values).
    const current = await fusesLib.getCurrentFuseWire(exe);
    const states = expected.map((_, i) => String.fromCharCode(Number(current[i])));
    expect(states.join('')).toBe(wire.states);

    // Only the fuse bytes that differ from Electron's defaults changed; LoadBrowserProcessSpecificV8Snapshot and
    // WasmTrapHandlers, which the configuration leaves alone, keep their defaults.
    expect(binary.length).toBe(packed.standIn.binary.length);
    const changed = [...binary.keys()].filter((i) => binary[i] !== packed.standIn.binary[i]);
    const differing = expected.flatMap((s, i) =>
      s !== ELECTRON_45_DEFAULT_WIRE[i] ? [wire.offset + i] : [],
    );
    expect(changed).toEqual(differing);
    expect(changed.length).toBe(7);
  });

  it('has the asar integrity recorded where electron-builder writes it (none on Linux)', (ctx) => {
    const hash = asarHeaderHash(packed.asar);
    const records: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (p === packed.asar || p === `${packed.asar}.unpacked`) continue;
        if (e.isDirectory()) {
          if (p !== path.join(packed.project, 'dist', 'cli')) walk(p);
        } else if (readFileSync(p).includes('ElectronAsarIntegrity')) records.push(p);
      }
    };
    walk(packed.outDir);
    // electron-builder writes ElectronAsarIntegrity only into the macOS Info.plist and the Windows executable's
    // resources; Electron validates the embedded integrity only on those platforms.
    if (records.length === 0) ctx.skip('Linux packages carry no ElectronAsarIntegrity record');
    for (const r of records) expect(readFileSync(r, 'latin1')).toContain(hash);
  });
});

describe('the packed tree on its own', () => {
  let root: string;
  beforeAll(() => {
    root = path.join(packed.tmp, 'extracted');
    mkdirSync(root);
    asarLib.extractAll(packed.asar, root);
    assertIsolated(root);
  });

  it('resolves every module the main process and the services import from inside the package', async () => {
    const inputs = await moduleGraph(root, [
      'dist/main/shell/electron-main.js',
      'dist/main/services/index.js',
    ]);
    const used = new Set(
      inputs.flatMap((i) => [...i.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1])),
    );
    for (const name of ['better-sqlite3', 'ssh2', 'zod', 'yaml']) expect(used).toContain(name);
    for (const i of inputs) expect(i.startsWith('..'), i).toBe(false);
  });

  it('runs: catalogue from the packed YAML, a workspace through the packed better-sqlite3', async () => {
    const result = await smoke(root, path.join(packed.tmp, 'workspace.sqlite'));
    const source = loadCatalogue([], { builtinDir: path.join(repoRoot, 'main/catalogue/checks') });
    expect(result.catalogueDir).toBe(path.join(root, 'main/catalogue/checks'));
    expect(result.catalogueVersion).toBe(source.version);
    expect(result.checks).toBe(source.checks.length);
    expect(result.schemaVersion).toBeGreaterThan(0);
    expect(result.sqliteVersion).toMatch(/^3\.\d+\.\d+$/);
    expect(result.ssh2Client).toBe('function');
  });
});

describe('figures', () => {
  it('reports the size of the package', () => {
    const packedFiles = files.filter((f) => !f.unpacked);
    const unpacked = files.filter((f) => f.unpacked);
    const sum = (fs: AsarFile[]) => fs.reduce((n, f) => n + f.size, 0);
    const figures = {
      appAsarBytes: statSync(packed.asar).size,
      appAsarFiles: packedFiles.length,
      unpackedFiles: unpacked.length,
      unpackedBytes: sum(unpacked),
      packages: packedPackages(files).size,
      ...packed.timings,
    };
    console.log(`package figures: ${JSON.stringify(figures)}`);
    // Budgets well above today's size (about 12 MB with the 300-check catalogue's YAML and prebuilt JSON, and 7 MB
    // unpacked: better-sqlite3's and resvg's addons and the chart font): a build tree or C sources slipping in
    // exceed them.
    expect(figures.appAsarBytes).toBeLessThan(16_000_000);
    expect(figures.unpackedBytes).toBeLessThan(10_000_000);
  });
});
