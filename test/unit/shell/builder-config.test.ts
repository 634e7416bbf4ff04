/**
 * electron-builder.yml, validated by electron-builder's own loader and JSON schema (the same code `electron-builder`
 * runs before building), plus the files it refers to. Packages themselves cannot be built on this machine:
 * building downloads Electron and its packaging tools, and there is no network here.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM build script without type declarations
import { renderIcon } from '../../../build/make-icons.mjs';

const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(path.join(root, 'package.json'));

interface BuilderConfig {
  appId: string;
  productName: string;
  /** Normalised by getConfig into file sets. */
  files: (string | { filter: string[] })[];
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  directories: { buildResources: string };
  linux: { target: string[]; icon: string; category: string; maintainer: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  electronFuses: Record<string, boolean>;
}

const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(dir: string, file: string, extra: null): Promise<BuilderConfig>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const load = () => getConfig(root, path.join(root, 'electron-builder.yml'), null);

function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  expect(b.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation, which refuses unknown keys', async () => {
    const config = await load();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...config, notAnOption: true }, new DebugLogger(false)),
    ).rejects.toThrow(/Invalid configuration/);
  });

  it('names the app and packs the built app, the catalogue and native modules correctly', async () => {
    const c = await load();
    expect(c.appId).toBe('io.foureyes.workstation');
    expect(c.productName).toBe('Foureyes');
    const files = c.files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/**/*',
        'renderer/dist/**/*',
        'main/catalogue/checks/**/*.yaml',
        '!test/**',
      ]),
    );
    expect(c.asarUnpack).toEqual(
      expect.arrayContaining([
        '**/node_modules/better-sqlite3/**/*.node',
        '**/node_modules/@resvg/**/*.node',
        'dist/fonts/*.ttf',
      ]),
    );
    expect(c.npmRebuild).toBe(true);
    expect(c.buildDependenciesFromSource).toBe(true);
    expect(c.electronFuses).toMatchObject({
      runAsNode: false,
      onlyLoadAppFromAsar: true,
      enableNodeCliInspectArguments: false,
    });
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.linux.maintainer).toMatch(/<.+@.+>/);
    expect(c.win.target).toEqual(['nsis']);
    expect(c.mac.target).toEqual(['dmg']);
  });

  it('refers only to files that exist', async () => {
    const c = await load();
    expect(existsSync(path.join(root, c.directories.buildResources))).toBe(true);
    expect(pngSize(path.join(root, c.win.icon))).toEqual([512, 512]);
    expect(pngSize(path.join(root, c.mac.icon))).toEqual([512, 512]);
    const linuxIcons = readdirSync(path.join(root, c.linux.icon)).sort();
    expect(linuxIcons).toEqual(['256x256.png', '512x512.png']);
    for (const f of linuxIcons) {
      const n = Number(f.split('x')[0]);
      expect(pngSize(path.join(root, c.linux.icon, f))).toEqual([n, n]);
    }
    expect(
      readdirSync(path.join(root, 'main', 'catalogue', 'checks')).filter((f) => f.endsWith('.yaml')).length,
    ).toBeGreaterThan(0);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/shell/electron-main.js');
    expect(existsSync(path.join(root, 'main', 'shell', 'electron-main.ts'))).toBe(true);
    // The window's preload path and the bundler's default output must agree.
    expect(readFileSync(path.join(root, 'main/shell/electron-main.ts'), 'utf8')).toContain(
      "'dist', 'preload', 'preload.cjs'",
    );
    expect(readFileSync(path.join(root, 'build/bundle-preload.mjs'), 'utf8')).toContain(
      "'dist', 'preload', 'preload.cjs'",
    );
  });

  it('ships the icons the icon script draws', () => {
    expect(readFileSync(path.join(root, 'build/icons/256x256.png')).equals(renderIcon(256))).toBe(true);
  });
});
