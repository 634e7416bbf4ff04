import { describe, expect, it } from 'vitest';
import { parsePort, resolveWorkspacePath } from '../../../main/api/app-env.js';

describe('resolveWorkspacePath', () => {
  it('takes FOUREYES_WORKSPACE first, made absolute', () => {
    expect(resolveWorkspacePath({ FOUREYES_WORKSPACE: '/srv/a.sqlite' }, 'linux', '/home/u')).toBe(
      '/srv/a.sqlite',
    );
    expect(resolveWorkspacePath({ FOUREYES_WORKSPACE: 'rel.sqlite' }, 'linux', '/home/u')).toBe(
      `${process.cwd()}/rel.sqlite`,
    );
  });

  it('defaults to the per-user data directory', () => {
    expect(resolveWorkspacePath({}, 'linux', '/home/u')).toBe(
      '/home/u/.local/share/foureyes/workspace.sqlite',
    );
    expect(resolveWorkspacePath({ XDG_DATA_HOME: '/x/data' }, 'linux', '/home/u')).toBe(
      '/x/data/foureyes/workspace.sqlite',
    );
    expect(resolveWorkspacePath({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe(
      '/home/u/.local/share/foureyes/workspace.sqlite',
    );
    expect(resolveWorkspacePath({}, 'darwin', '/Users/u')).toBe(
      '/Users/u/Library/Application Support/Foureyes/workspace.sqlite',
    );
    expect(resolveWorkspacePath({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Foureyes\\workspace.sqlite',
    );
  });
});

describe('parsePort', () => {
  it('accepts 0..65535 and empty', () => {
    expect(parsePort(undefined)).toBe(0);
    expect(parsePort('')).toBe(0);
    expect(parsePort(' 8123 ')).toBe(8123);
    expect(parsePort('65535')).toBe(65535);
  });
  it.each(['65536', '-1', '80a', '1e3', '0x50', '99999999'])(
    'refuses %j with a message naming FOUREYES_PORT',
    (v) => {
      expect(() => parsePort(v)).toThrow(/FOUREYES_PORT/);
    },
  );
});
