/**
 * Results show what the target holds: every string a result carries (evidence, actual, reason) is in the text form
 * of shared/text/target-text.ts, target pieces escaped once, names (already a text form) never escaped twice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { evaluateAll, evaluateCheck } from '../../../main/engine/evaluate.js';
import { nameBytes, nameText } from '../../../shared/facts/names.js';
import { decodeTarget } from '../../../shared/text/target-text.js';
import { snap } from './fixtures/build.js';

const cat = loadCatalogue();
const check = (id: string) => {
  const c = cat.byId.get(id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
};
const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
// A raw control character (tab aside), a bidi override or a lone surrogate.
// eslint-disable-next-line no-control-regex
const RAW = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\p{Cs}]/u;

describe('result strings are text forms', () => {
  it('a value from a file: backslash doubled, escape and invalid bytes as \\xNN, in evidence, actual and reason', () => {
    const content = decodeTarget(latin1('PASS_MAX_DAYS 9\\x1b\x1b\xff\n'));
    const r = evaluateCheck(
      snap({ files: { 'accounts.login_defs': content } }),
      check('password-policy-max-days'),
    );
    expect(r.verdict).toBe('fail');
    expect(r.evidence[0]?.excerpt).toBe('PASS_MAX_DAYS 9\\\\x1b\\x1b\\xff');
    expect(r.actual).toContain('PASS_MAX_DAYS 9\\\\x1b\\x1b\\xff (');
    expect(r.reason).toContain('PASS_MAX_DAYS is 9\\\\x1b\\x1b\\xff;');
    expect(JSON.stringify(r)).not.toMatch(/\\u(fffd|dc[89a-f])/i);
  });

  it('a SUID name keeps its text form exactly, in the evidence path and in actual', () => {
    const name = nameText(latin1('/usr/local/bin/id-\x1b[31mred\x1b]0;pwned\x07\xff'));
    expect(name).toBe('/usr/local/bin/id-\\x1b[31mred\\x1b]0;pwned\\x07\\xff');
    const r = evaluateCheck(snap({ paths: { 'fs.suid': [name] } }), check('fs-suid-unexpected'));
    expect(r.verdict).toBe('fail');
    expect(r.evidence.map((e) => e.path)).toEqual([name]);
    expect(
      Buffer.from(nameBytes(r.evidence[0]?.path ?? '') ?? []).equals(
        latin1('/usr/local/bin/id-\x1b[31mred\x1b]0;pwned\x07\xff'),
      ),
    ).toBe(true);
    expect(r.actual).toContain(name);
  });

  it('account names and shells from passwd are escaped in actual', () => {
    const passwd = decodeTarget(latin1('root:x:0:0::/root:/bin/bash\nev\\il\x1b:x:0:0::/:/bin/sh\xff\n'));
    const r = evaluateCheck(snap({ files: { 'accounts.passwd': passwd } }), check('accounts-root-only-uid0'));
    expect(r.verdict).toBe('fail');
    expect(r.actual).toBe('uid 0: root, ev\\\\il\\x1b');
    expect(r.evidence[1]?.excerpt).toBe('ev\\\\il\\x1b:x:0:0::/:/bin/sh\\xff');
  });

  it('no result of any check holds a raw control character or a lone surrogate, whatever the facts', () => {
    const hostile = fc.string({
      unit: fc.constantFrom(
        'a',
        ' ',
        ':',
        '=',
        '\\',
        'x',
        '1',
        'b',
        '\n',
        '\x1b',
        '\x00',
        '\u202e',
        '\udcff',
        'PermitRootLogin ',
        'root:x:0:0:',
      ),
      maxLength: 80,
    });
    fc.assert(
      fc.property(hostile, (t) => {
        const s = snap({
          files: { 'accounts.passwd': t, 'accounts.login_defs': t },
          sets: { 'sshd.config': { '/etc/ssh/sshd_config': t } },
          cmds: { 'sysctl.net': t, 'net.listening': t, 'sshd.effective': t },
          paths: { 'fs.suid': [nameText(Buffer.from(t))] },
        });
        for (const r of evaluateAll(s, cat.checks)) {
          const strings = [
            r.expected,
            r.actual,
            r.reason,
            ...r.evidence.flatMap((e) => [e.path ?? '', e.excerpt]),
          ];
          for (const x of strings) expect(x, r.checkId).not.toMatch(RAW);
        }
      }),
      { numRuns: 60 },
    );
  });
});
