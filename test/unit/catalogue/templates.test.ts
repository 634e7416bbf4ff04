/** Template expansion: errors name file, check and parameter; fields beside `template:` win; generated text. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { scenarioSnapshot } from '../../../main/catalogue/scenario.js';
import { parseCatalogueFile } from '../../../main/catalogue/validate.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';

const head = (id: string) =>
  `- id: ${id}\n  title: T\n  family: hardening\n  area: sshd\n  severity: low\n  rationale: R\n`;

describe('check templates', () => {
  it('names file, check id and parameter for a bad parameter', () => {
    expect(() =>
      parseCatalogueFile(
        `${head('x-one')}  template: sshd_option\n  params: { option: 'Bad Key', value: 'no' }\n`,
        'p.yaml',
      ),
    ).toThrow(/p\.yaml: check 'x-one': field params\.option: sshd keyword expected/);
    expect(() =>
      parseCatalogueFile(
        `${head('x-two')}  template: sysctl\n  params: { key: net.ipv4.ip_forward, value: 0, valu: 1 }\n`,
        'p.yaml',
      ),
    ).toThrow(/check 'x-two': field params\.valu: unknown parameter 'valu'/);
    expect(() => parseCatalogueFile(`${head('x-three')}  template: nope\n`, 'p.yaml')).toThrow(
      /check 'x-three': field template: unknown template 'nope'/,
    );
  });

  it('validates the expanded check with the same schema (an unknown key stays an error)', () => {
    expect(() =>
      parseCatalogueFile(
        `${head('x-four')}  template: sysctl\n  params: { key: net.ipv4.not_collected, value: 0 }\n`,
        'p.yaml',
      ),
    ).toThrow(/field rule\.key: sysctl key 'net\.ipv4\.not_collected' is not collected/);
  });

  it('a hand-written remediation field overrides the generated one, the others stay', () => {
    const [c] = parseCatalogueFile(
      `${head('x-five')}  template: sshd_option\n  params: { option: PermitRootLogin, value: 'no' }\n  remediation: { text: Custom. }\n`,
      'p.yaml',
    );
    expect(c?.remediation.text).toBe('Custom.');
    expect(c?.remediation.shell).toContain("sed -i '1i PermitRootLogin no' /etc/ssh/sshd_config");
    expect(c?.remediation.shell).toContain('sshd -t &&');
    expect(c?.remediation.ansible).toContain('validate: /usr/sbin/sshd -t -f %s');
    expect(c?.remediation.impact).toMatch(/reloads sshd/i);
    expect(c?.rule).toEqual({ type: 'sshd_option', option: 'PermitRootLogin', op: 'eq', value: 'no' });
  });

  it('a pack with its own scenarios ships them with the check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fe-pack-'));
    writeFileSync(
      join(dir, 'site.yaml'),
      `${head('site-forwarding')}  template: sysctl\n  params: { key: net.ipv4.ip_forward, value: 1 }\n` +
        `  scenarios:\n    pass: [{ cmds: { sysctl.net: "net.ipv4.ip_forward = 1\\n" } }]\n` +
        `    fail: [{ name: off, cmds: { sysctl.net: "net.ipv4.ip_forward = 0\\n" } }]\n`,
    );
    const c = loadCatalogue([dir]).byId.get('site-forwarding');
    expect(c?.scenarios?.fail?.[0]?.name).toBe('off');
    expect(c?.remediation.shell).toContain('sysctl -w net.ipv4.ip_forward=1');
    expect(c?.remediation.ansible).toContain('ansible.posix.sysctl');
  });

  it('generated scenario data is not part of the digest; generated text is', () => {
    const cat = loadCatalogue();
    const c = cat.byId.get('sshd-permit-root-login');
    expect(c?.scenarios?.pass?.length).toBeGreaterThan(0);
    expect(cat.digest('sshd-permit-root-login')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('templates over services and kernel modules', () => {
  const pack = (body: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'fe-pack-'));
    writeFileSync(join(dir, 'site.yaml'), body);
    return loadCatalogue([dir]);
  };

  it('service_disabled reads the unit facts and generates passing and failing scenarios', () => {
    const cat = pack(
      `${head('site-telnet-off')}  template: service_disabled\n  params: { units: [telnet.socket, inetd.service], mask: true }\n`,
    );
    const c = cat.byId.get('site-telnet-off');
    expect(c?.facts).toEqual(expect.arrayContaining(['services.active', 'services.unit_files']));
    expect(c?.remediation.shell).toContain("systemctl disable --now 'telnet.socket' 'inetd.service'");
    expect(c?.remediation.shell).toContain('systemctl mask');
    expect(c?.remediation.ansible).toContain('ansible.builtin.systemd');
    expect(c?.scenarios?.fail).toHaveLength(4);
  });

  it('kernel_module_disabled reads modprobe.d and /proc/modules', () => {
    const cat = pack(
      `${head('site-usb-storage')}  template: kernel_module_disabled\n  params: { module: usb-storage }\n`,
    );
    const c = cat.byId.get('site-usb-storage');
    expect(c?.facts).toEqual(expect.arrayContaining(['kmod.loaded', 'kmod.modprobe']));
    expect(c?.remediation.shell).toContain('/etc/modprobe.d/usb-storage.conf');
    expect(c?.remediation.ansible).toContain('community.general.modprobe');
    expect(JSON.stringify(c?.rule)).toContain('usb_storage');
  });

  it('package_absent and login_defs expand', () => {
    const cat = pack(
      `${head('site-no-telnetd')}  template: package_absent\n  params: { names: [telnetd, telnet-server] }\n` +
        `${head('site-umask')}  template: login_defs\n  params: { key: UMASK, value: '027', bad: '022' }\n`,
    );
    expect(cat.byId.get('site-no-telnetd')?.rule).toEqual({
      type: 'package',
      names: ['telnetd', 'telnet-server'],
      expect: 'absent',
    });
    expect(cat.byId.get('site-umask')?.remediation.ansible).toContain('path: /etc/login.defs');
  });
});

describe('templates over mounts and audit rules', () => {
  const pack = (body: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'fe-pack-'));
    writeFileSync(join(dir, 'site.yaml'), body);
    return loadCatalogue([dir]);
  };

  it('mount_option edits the fstab line, remounts, and is not applicable without the mount', () => {
    const cat = pack(
      `${head('site-var-tmp')}  template: mount_option\n  params: { path: /var/tmp, options: [nodev, noexec] }\n`,
    );
    const c = cat.byId.get('site-var-tmp');
    expect(c?.rule).toEqual({
      type: 'mount_option',
      mount_point: '/var/tmp',
      options: ['nodev', 'noexec'],
      missing_mount: 'not_applicable',
    });
    expect(c?.remediation.shell).toContain("mount -o remount '/var/tmp'");
    expect(c?.remediation.ansible).toContain('ansible.builtin.replace');
    expect(c?.remediation.ansible).toContain('state: remounted');
    expect(c?.remediation.impact).toMatch(/noexec/);
    expect(c?.scenarios?.not_applicable).toHaveLength(1);
  });

  it('audit_rule accepts the spellings a host uses and requires arch, fields and permissions', () => {
    const cat = pack(
      `${head('site-audit')}  template: audit_rule\n  params:\n    key: k\n    rules:\n` +
        '      - -w /var/run/faillock -p wa\n' +
        '      - -a always,exit -F arch=b64 -C euid!=uid -F auid!=unset -S execve\n' +
        '      - -a always,exit -F arch=b32 -S chmod,fchmod -F auid>=1000 -F auid!=unset\n',
    );
    const c = cat.byId.get('site-audit');
    if (!c) throw new Error('not loaded');
    const verdict = (rules: string) =>
      evaluateCheck(scenarioSnapshot({ sets: { 'audit.rules': { '/etc/audit/audit.rules': rules } } }), c)
        .verdict;
    const host = [
      '-w /run/faillock/ -k k -p rwa',
      '-a exit,always -F arch=b64 -S execve -C uid!=euid -F auid!=-1 -F key=user_emulation',
      '-a always,exit -F arch=b32 -S fchmod -F auid>=1000 -F auid!=4294967295 -k perm_mod',
      '-a always,exit -F arch=b32 -S chmod -F auid>=1000 -F auid!=unset -k perm_mod',
    ];
    expect(verdict(host.join('\n'))).toBe('pass');
    expect(verdict(host.map((l) => l.replace('-p rwa', '-p rw')).join('\n'))).toBe('fail');
    expect(verdict(host.map((l) => l.replace('arch=b32 -S chmod ', 'arch=b64 -S chmod ')).join('\n'))).toBe(
      'fail',
    );
    expect(
      verdict(
        host.map((l) => l.replace(' -F auid>=1000 -F auid!=unset -k perm_mod', ' -k perm_mod')).join('\n'),
      ),
    ).toBe('fail');
    expect(c.remediation.ansible).toContain('ansible.builtin.copy');
    expect(c.remediation.ansible).toContain("changed_when: \"'No change' not in");
    expect(c.remediation.shell).toContain('augenrules --load');
    expect(c.remediation.shell).toContain("'-w /var/run/faillock -p wa -k k'");
  });
});
