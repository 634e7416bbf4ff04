/**
 * Platform detection: /etc/os-release first; when it is missing or names no known distribution, the package
 * manager present decides the family, and a check for another platform says where the platform came from.
 */
import { describe, expect, it } from 'vitest';
import { scenarioSnapshot } from '../../../main/catalogue/scenario.js';
import { validateCheck } from '../../../main/catalogue/validate.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import { platformFromPackageManager } from '../../../main/engine/parsers/os-release.js';

const check = (platforms: string[]) =>
  validateCheck(
    {
      id: 'test-platform-check',
      title: 'Packages are listed',
      family: 'hardening',
      area: 'services',
      severity: 'low',
      rationale: 'A test.',
      references: { nist_800_53: ['CM-8'] },
      platforms,
      rule: { type: 'package', names: ['telnetd'], expect: 'absent' },
      remediation: { text: 'Remove it.', shell: 'apt-get purge telnetd', ansible: '- ansible.builtin.package: { name: telnetd, state: absent }' },
    },
    'test',
    0,
  );

const snap = (os: 'none' | 'alpine', managers: string) =>
  scenarioSnapshot({ os, cmds: { 'host.package_manager': managers, 'pkg.list': 'bash\t5.2\tii \n' } });

describe('platform from the package manager', () => {
  it('reads dpkg as the Debian family and rpm as the RHEL family; both or neither decide nothing', () => {
    expect(platformFromPackageManager('dpkg\n')).toBe('debian');
    expect(platformFromPackageManager('rpm\n')).toBe('rhel-family');
    expect(platformFromPackageManager('dpkg\nrpm\n')).toBeNull();
    expect(platformFromPackageManager('apk\n')).toBeNull();
  });

  it('without os-release, a dpkg host runs Debian checks and skips RHEL ones, saying why', () => {
    expect(evaluateCheck(snap('none', 'dpkg\n'), check(['debian', 'ubuntu'])).verdict).toBe('pass');
    const rhel = evaluateCheck(snap('none', 'dpkg\n'), check(['rhel-family']));
    expect(rhel.verdict).toBe('not_applicable');
    expect(rhel.reason).toMatch(/host is debian \(from its package manager/);
  });

  it('an unknown distribution with rpm is the RHEL family; with no package manager known the platform stays unknown', () => {
    expect(evaluateCheck(snap('alpine', 'rpm\n'), check(['rhel-family'])).verdict).toBe('pass');
    const unknown = evaluateCheck(snap('alpine', 'apk\n'), check(['debian']));
    expect(unknown.verdict).toBe('not_applicable');
    expect(unknown.reason).toMatch(/platform could not be determined \(unrecognised distribution/);
  });
});
