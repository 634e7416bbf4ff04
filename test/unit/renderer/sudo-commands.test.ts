import { describe, expect, it } from 'vitest';
import { sudoSummary } from '../../../renderer/src/screens/results/sudoModel.js';

describe('host detail: the sudo commands of a restricted-sudo run', () => {
  it('names the privilege, says the sudo log shows the commands, and lists each', () => {
    const s = sudoSummary({ user: 'auditor', allowed: 19, commands: ['/usr/sbin/sshd -T', '/usr/bin/cat /etc/shadow'] });
    expect(s).toEqual({
      title: 'Privilege: restricted sudo (19 commands), 2 used',
      user: 'auditor',
      note: "The host's sudo log shows each of these commands:",
      commands: ['sudo /usr/sbin/sshd -T', 'sudo /usr/bin/cat /etc/shadow'],
    });
    expect(sudoSummary({ user: 'a', allowed: 1, commands: [] })?.title).toBe('Privilege: restricted sudo (1 command), 0 used');
  });

  it('says nothing for a run without restricted sudo', () => {
    expect(sudoSummary(undefined)).toBeNull();
  });
});
