/** Facts about the running application that the launcher knows and app.info reports. Pure: no Electron. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { FoureyesError } from '../../shared/model/errors.js';

export interface AppEnv {
  name: string;
  version: string;
  mode: 'electron' | 'browser';
  workspacePath: string;
  platform: NodeJS.Platform;
  secretStorage: { persistent: boolean; detail: string };
}

/**
 * Workspace file: FOUREYES_WORKSPACE when set, otherwise the platform's per-user data directory
 * (Linux: $XDG_DATA_HOME or ~/.local/share, then foureyes/workspace.sqlite).
 */
export function resolveWorkspacePath(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const given = env.FOUREYES_WORKSPACE?.trim();
  if (given) return path.resolve(given);
  if (platform === 'win32')
    return path.win32.join(
      env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'),
      'Foureyes',
      'workspace.sqlite',
    );
  if (platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', 'Foureyes', 'workspace.sqlite');
  const dataHome =
    env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME)
      ? env.XDG_DATA_HOME
      : path.join(home, '.local', 'share');
  return path.join(dataHome, 'foureyes', 'workspace.sqlite');
}

/** FOUREYES_PORT: an integer 0..65535 (0, the default, lets the system pick a free port). */
export function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 0;
  const text = value.trim();
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new FoureyesError(
      'bad_input',
      `FOUREYES_PORT must be a port number 0..65535, got "${text.slice(0, 20)}"`,
    );
  }
  return port;
}

/** Version from the package.json at the project (or app.asar) root. */
export function readAppVersion(rootDir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The project root, from a file inside main/ or dist/main/ (both sit two or three levels below it). */
export function projectRootFrom(fileUrl: string): string {
  let dir = path.dirname(new URL(fileUrl).pathname);
  for (let i = 0; i < 5; i++) {
    try {
      readFileSync(path.join(dir, 'package.json'));
      return dir;
    } catch {
      dir = path.dirname(dir);
    }
  }
  throw new FoureyesError('internal', `package.json not found above ${fileUrl}`);
}
