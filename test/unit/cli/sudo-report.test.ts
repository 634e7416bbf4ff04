import { describe, expect, it } from 'vitest';
import { sudoLines } from '../../../main/cli/sudo-report.js';
import { term } from '../../../main/cli/term.js';

describe('restricted sudo in the CLI report', () => {
  it('lists every command sudo ran and says the sudo log shows them', () => {
    expect(sudoLines({ user: 'auditor', allowed: 19, commands: ['/usr/sbin/sshd -T', '/usr/bin/cat /etc/shadow'] })).toEqual([
      "  restricted sudo: 2 command(s) run through the sudo rules of auditor (19 allowed); the host's sudo log shows each:",
      '    sudo /usr/sbin/sshd -T',
      '    sudo /usr/bin/cat /etc/shadow',
    ]);
    expect(sudoLines(null)).toEqual([]);
  });

  it('target text reaches the terminal with its control characters visible', () => {
    expect(term('/usr/bin/cat /etc/a\x1b[31m\nb\u202e\x7f')).toBe('/usr/bin/cat /etc/a\\x1b[31m\\x0ab\\u202e\\x7f');
    const lines = sudoLines({ user: 'x\x07', allowed: 1, commands: ['c\r'] });
    expect(lines.some((l) => [...l].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))).toBe(false);
    expect(lines[1]).toBe('    sudo c\\x0d');
  });
});
