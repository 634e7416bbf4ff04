/** Property tests: any input (untrusted target text) gives a result; parsers never throw. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGroup, parsePasswd, parseShadowClasses } from '../../../main/engine/parsers/accounts.js';
import { parseIptablesSave, parseNftRuleset } from '../../../main/engine/parsers/firewall.js';
import { globToRegExp } from '../../../main/engine/parsers/glob.js';
import { parseKeyValue } from '../../../main/engine/parsers/keyvalue.js';
import { parseLastlog } from '../../../main/engine/parsers/lastlog.js';
import { parseMounts } from '../../../main/engine/parsers/mounts.js';
import { detectPlatform } from '../../../main/engine/parsers/os-release.js';
import { parsePackages } from '../../../main/engine/parsers/packages.js';
import { parsePs } from '../../../main/engine/parsers/ps.js';
import { parseSs } from '../../../main/engine/parsers/ss.js';
import { parseSshdConfig, parseSshdT } from '../../../main/engine/parsers/sshd.js';
import { parseSshdTime } from '../../../main/engine/parsers/sshd-defaults.js';
import { parseSudoers } from '../../../main/engine/parsers/sudoers.js';
import { parseSysctl } from '../../../main/engine/parsers/sysctl.js';
import { excerpt, splitLines } from '../../../main/engine/parsers/text.js';

// Strings biased towards the characters these formats care about.
const alphabet = fc.constantFrom(
  ...'ab Z09:=#@!%*?[]{}()"\'\\/\t\n\r,.;-+^$|~'.split(''),
  '\u0000',
  '\ufffd',
  'é',
  'Include ',
  'Match ',
  '#includedir ',
  '@include ',
  'Defaults ',
  'NOPASSWD:',
  'table inet f {',
  'chain input {',
  '}',
  '*filter\n',
  ':INPUT DROP [0:0]\n',
  '-A INPUT -j DROP\n',
  'users:(("x",pid=1,fd=2))',
  '**Never logged in**',
);
const text = fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: alphabet, maxLength: 200 }));
const path = fc.constantFrom(
  '/etc/ssh/sshd_config',
  '/etc/ssh/sshd_config.d/a.conf',
  '/etc/ssh/sshd_config.d/b.conf',
  '/etc/sudoers',
  '/etc/sudoers.d/x',
  '/etc/sudoers.d/y.bak',
  'relative',
  '',
);
const files = fc.array(fc.record({ path, content: text }), { maxLength: 6 });

const single: [string, (s: string) => unknown][] = [
  ['splitLines', (s) => splitLines(s)],
  ['excerpt', (s) => excerpt(s)],
  ['parsePasswd', parsePasswd],
  ['parseGroup', parseGroup],
  ['parseShadowClasses', parseShadowClasses],
  ['parseKeyValue space', (s) => parseKeyValue(s, 'space')],
  ['parseKeyValue equals', (s) => parseKeyValue(s, 'equals')],
  ['parseSysctl', parseSysctl],
  ['parseMounts', parseMounts],
  ['parseSs', parseSs],
  ['parsePs', parsePs],
  ['detectPlatform', detectPlatform],
  ['parsePackages', parsePackages],
  ['parseSshdT', parseSshdT],
  ['parseSshdTime', parseSshdTime],
  ['parseNftRuleset', parseNftRuleset],
  ['parseIptablesSave', parseIptablesSave],
  ['parseLastlog', parseLastlog],
  ['globToRegExp', (s) => globToRegExp(s).test('/etc/x')],
];

describe('parsers are total', () => {
  for (const [name, fn] of single) {
    it(`${name} never throws`, () => {
      fc.assert(
        fc.property(text, (s) => void fn(s)),
        { numRuns: 300 },
      );
    });
  }

  it('parseSshdConfig never throws on any file set', () => {
    fc.assert(
      fc.property(files, (fs) => {
        const cfg = parseSshdConfig(fs);
        expect(cfg.filesRead.length).toBeLessThanOrEqual(256);
      }),
      { numRuns: 300 },
    );
  });

  it('parseSudoers never throws on any file set', () => {
    fc.assert(
      fc.property(files, (fs) => void parseSudoers(fs)),
      { numRuns: 300 },
    );
  });

  it('parsers accept non-string garbage without throwing', () => {
    for (const bad of [undefined, null, 42, {}, []] as unknown[]) {
      for (const [, fn] of single.filter(
        ([n]) => n !== 'globToRegExp' && n !== 'excerpt' && n !== 'parseSshdTime',
      ))
        expect(() => fn(bad as string)).not.toThrow();
    }
  });

  it('bounds lines and excerpts', () => {
    const huge = `${'x'.repeat(100_000)}\n`.repeat(3) + 'y\n'.repeat(300_000);
    const lines = splitLines(huge);
    expect(lines.length).toBe(200_000);
    expect(lines[0]?.text.length).toBe(8192);
    expect(excerpt('z'.repeat(10_000)).length).toBe(500);
    expect(excerpt('a\u0000b\u001bc')).toBe('a\\x00b\\x1bc');
  });
});
