import { describe, expect, it } from 'vitest';
import { looksLikeSshdT, parseSshdConfig, parseSshdT } from '../../../main/engine/parsers/sshd.js';
import { parseSshdTime } from '../../../main/engine/parsers/sshd-defaults.js';
import { text } from './fixtures/build.js';

const f = (path: string, content: string) => ({ path, content });

describe('parseSshdConfig', () => {
  it('first value wins, keywords are case-insensitive, `=` and quotes accepted', () => {
    const cfg = parseSshdConfig([
      f('/etc/ssh/sshd_config', 'permitrootlogin=no\nPermitRootLogin yes\nBanner "/etc/issue net"\n'),
    ]);
    expect(cfg.global.get('permitrootlogin')?.value).toBe('no');
    expect(cfg.global.get('permitrootlogin')?.line).toBe(1);
    expect(cfg.occurrences.get('permitrootlogin')).toHaveLength(2);
    expect(cfg.global.get('banner')?.value).toBe('/etc/issue net');
  });

  it('expands Include at its place, relative patterns under /etc/ssh, in lexical order', () => {
    const cfg = parseSshdConfig([
      f('/etc/ssh/sshd_config', 'Include sshd_config.d/*.conf\nPasswordAuthentication yes\n'),
      f('/etc/ssh/sshd_config.d/20-b.conf', 'PasswordAuthentication no\nX11Forwarding no\n'),
      f('/etc/ssh/sshd_config.d/10-a.conf', 'X11Forwarding yes\n'),
      f('/etc/ssh/sshd_config.d/notes.txt', 'PermitRootLogin yes\n'),
    ]);
    expect(cfg.filesRead).toEqual([
      '/etc/ssh/sshd_config',
      '/etc/ssh/sshd_config.d/10-a.conf',
      '/etc/ssh/sshd_config.d/20-b.conf',
    ]);
    expect(cfg.global.get('passwordauthentication')?.path).toBe('/etc/ssh/sshd_config.d/20-b.conf');
    expect(cfg.global.get('x11forwarding')?.value).toBe('yes');
    expect(cfg.global.has('permitrootlogin')).toBe(false);
  });

  it('keeps Match settings out of the global values and ends a Match at the end of an included file', () => {
    const cfg = parseSshdConfig([
      f('/etc/ssh/sshd_config', 'Include /etc/ssh/sshd_config.d/*.conf\nMaxAuthTries 3\n'),
      f('/etc/ssh/sshd_config.d/50.conf', 'Match User backup\n  PermitRootLogin yes\n  MaxAuthTries 10\n'),
    ]);
    expect(cfg.global.get('maxauthtries')?.value).toBe('3');
    expect(cfg.global.has('permitrootlogin')).toBe(false);
    expect(cfg.matchBlocks).toHaveLength(1);
    expect(cfg.matchBlocks[0]?.criteria).toBe('User backup');
    expect(cfg.matchBlocks[0]?.settings.map((s) => s.keyword)).toEqual(['permitrootlogin', 'maxauthtries']);
  });

  it('`Match all` returns to global scope', () => {
    const cfg = parseSshdConfig([
      f('/etc/ssh/sshd_config', 'Match Address 10.0.0.0/8\nX11Forwarding yes\nMatch all\nX11Forwarding no\n'),
    ]);
    expect(cfg.global.get('x11forwarding')?.value).toBe('no');
  });

  it('survives include loops and notes a missing main file', () => {
    const loop = parseSshdConfig([f('/etc/ssh/sshd_config', 'Include /etc/ssh/sshd_config\nPort 22\n')]);
    expect(loop.global.get('port')?.value).toBe('22');
    expect(loop.notes.join(' ')).toMatch(/loop/);
    const none = parseSshdConfig([f('/etc/ssh/other', 'Port 22\n')]);
    expect(none.found).toBe(false);
    expect(none.global.size).toBe(0);
  });

  it('bounds a pathological include fan-out', () => {
    const files = [f('/etc/ssh/sshd_config', 'Include /etc/ssh/d/*\n')];
    for (let i = 0; i < 40; i++)
      files.push(f(`/etc/ssh/d/${String(i).padStart(2, '0')}`, 'Include /etc/ssh/d/*\nPort 22\n'));
    const started = performance.now();
    const cfg = parseSshdConfig(files);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(cfg.filesRead.length).toBeLessThanOrEqual(256);
  });
});

describe('parseSshdT', () => {
  it('reads the real Debian 12 dump and keeps repeated keywords', () => {
    const m = parseSshdT(text('sshd-T-debian12.txt'));
    expect(looksLikeSshdT(m)).toBe(true);
    expect(m.get('permitrootlogin')?.[0]?.value).toBe('without-password');
    expect(m.get('hostkey')?.length).toBe(3);
    expect(m.get('macs')?.[0]?.value).toContain('umac-64@openssh.com');
  });

  it('does not mistake an error message for a dump', () => {
    expect(looksLikeSshdT(parseSshdT('sshd: no hostkeys available -- exiting.\n'))).toBe(false);
  });
});

describe('parseSshdTime', () => {
  it.each([
    ['120', 120],
    ['1m', 60],
    ['1m30s', 90],
    ['2h', 7200],
    ['1W', 604800],
    ['abc', null],
    ['', null],
    ['-5', null],
  ])('%s -> %s', (input, want) => expect(parseSshdTime(input)).toBe(want));
});
