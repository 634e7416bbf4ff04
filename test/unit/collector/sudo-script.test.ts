import { describe, expect, it } from 'vitest';
import { parseCollectorOutput } from '../../../main/collector/parse.js';
import { createHash } from 'node:crypto';
import { buildCollectorScript, shQuote, sudoCandidates } from '../../../main/collector/script.js';
import type { CommandFact, FileSetFact } from '../../../shared/facts/snapshot.js';

const B = 'ab'.repeat(16);
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('collector script: restricted sudo reads', () => {
  it('with sudo reads: SR=1, the rules listed first, each root-only command with its candidates in order', () => {
    const s = buildCollectorScript(['sshd.effective', 'accounts.shadow', 'fw.nft'], { boundary: B, sudoReads: true });
    expect(s.factIds).toEqual(['host.id', 'host.os_release', 'host.package_manager', 'sudo.rules', 'sshd.effective', 'accounts.shadow', 'fw.nft']);
    expect(s.script).toContain('\nSR=1\n');
    expect(s.script).toContain(`_SC='${["'sshd' '-T' '-C' 'user=root,host=localhost,addr=127.0.0.1'", "'sshd' '-T'"].join('\n').replace(/'/g, `'\\''`)}' _SP=''; _fact command sshd.effective `);
    // shadow: only the read is privileged, the hashes are reduced by the same awk, unprivileged.
    expect(s.script).toContain(`_SC=${shQuote("'cat' '/etc/shadow'\n'getent' 'shadow'")} _SP='awk -F: `);
    expect(s.script).toContain('# Run as another user, it reads what that user may not through `sudo -n`');
  });

  it('without sudo reads (the default; privilege none): SR=0 and no sudo.rules', () => {
    const s = buildCollectorScript(['fw.nft'], { boundary: B });
    expect(s.script).toContain('\nSR=0\n');
    expect(s.factIds).not.toContain('sudo.rules');
  });

  it('a candidate with an empty word or a line break is refused', () => {
    expect(() => sudoCandidates({ argv: [['cat', '']] })).toThrow(/empty word/);
    expect(() => sudoCandidates({ argv: [['cat', 'a\nb']] })).toThrow(/line break/);
  });

  it('parses sudo, lsudo and nosudo frames onto the facts, with the unread ones named for the user', () => {
    const lines = [
      `${B} foureyes-collector 1 b64 host.id,sudo.rules,sshd.effective,fw.nft,sudo.sudoers`,
      `${B} sudoreads`,
      `${B} begin host.id command`, `${B} stdout host.id`, b64('1000\nauditor\nh\nLinux\n'), `${B} stderr host.id`, `${B} rc host.id 0`, '', `${B} end host.id 0`,
      `${B} begin sudo.rules command`, `${B} stdout sudo.rules`, b64('User auditor may run the following commands on h:\n    (root) NOPASSWD: /usr/sbin/sshd -T, /usr/bin/cat\n'), `${B} stderr sudo.rules`, `${B} rc sudo.rules 0`, '', `${B} end sudo.rules 0`,
      `${B} begin sshd.effective command`, `${B} sudo sshd.effective`, b64('/usr/sbin/sshd -T\n'), `${B} stdout sshd.effective`, b64('port 22\n'), `${B} stderr sshd.effective`, `${B} rc sshd.effective 0`, '', `${B} end sshd.effective 0`,
      `${B} begin fw.nft command`, `${B} nosudo fw.nft`, '', `${B} end fw.nft 0`,
      `${B} begin sudo.sudoers fileset`, `${B} lsudo sudo.sudoers`, b64('/usr/bin/find /etc/sudoers.d -mindepth 1 -maxdepth 1 -name *\n'),
      `${B} entry sudo.sudoers`, b64('/etc/sudoers.d/a'), `${B} stat sudo.sudoers`, b64('81a0 440 0 0 5\nroot\nroot\n'),
      `${B} sudo sudo.sudoers`, b64('/usr/bin/cat /etc/sudoers.d/a\n'), `${B} content sudo.sudoers`, b64('x y\n'), '', `${B} end sudo.sudoers 0`,
      `${B} done`, '',
    ];
    const s = parseCollectorOutput(Buffer.from(lines.join('\n')), { boundary: B, source: 'ssh' });
    expect(s.complete, JSON.stringify(s.issues)).toBe(true);
    expect((s.facts['sshd.effective'] as CommandFact).sudo).toEqual(['/usr/sbin/sshd -T']);
    expect(s.facts['fw.nft']).toMatchObject({ problem: 'denied', detail: 'not in the sudo rules granted to auditor' });
    const set = s.facts['sudo.sudoers'] as FileSetFact;
    expect(set.sudo).toEqual(['/usr/bin/find /etc/sudoers.d -mindepth 1 -maxdepth 1 -name *']);
    expect(set.files[0]).toMatchObject({ path: '/etc/sudoers.d/a', content: 'x y\n', sudo: ['/usr/bin/cat /etc/sudoers.d/a'] });
    // Read once through sudo: the workstation hashes the whole content.
    expect(set.files[0]?.sha256).toBe(createHash('sha256').update('x y\n').digest('hex'));
    expect(s.sudo).toMatchObject({
      user: 'auditor',
      unread: ['fw.nft'],
      commands: ['/usr/sbin/sshd -T', '/usr/bin/find /etc/sudoers.d -mindepth 1 -maxdepth 1 -name *', '/usr/bin/cat /etc/sudoers.d/a'],
    });
    expect(s.sudo?.listing.rules.map((r) => r.command)).toEqual(['/usr/sbin/sshd -T', '/usr/bin/cat']);
  });
});
