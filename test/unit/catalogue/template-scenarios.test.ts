/** Every template kind's generated scenarios give their verdicts through the real evaluator (a pack per kind). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { evaluateScenario } from '../../../main/catalogue/scenario.js';

const head = (id: string) =>
  `- id: ${id}\n  title: T\n  family: hardening\n  area: services\n  severity: low\n  rationale: R\n`;
const dir = mkdtempSync(join(tmpdir(), 'fe-kinds-'));
writeFileSync(
  join(dir, 'kinds.yaml'),
  [
    `${head('k-service')}  template: service_disabled\n  params: { units: [telnet.socket, inetd.service] }\n`,
    `${head('k-module')}  template: kernel_module_disabled\n  params: { module: usb-storage }\n`,
    `${head('k-package')}  template: package_absent\n  params: { names: [telnetd, telnet-server] }\n`,
    `${head('k-login-defs')}  template: login_defs\n  params: { key: PASS_MAX_DAYS, op: lte, value: 365, default: 99999 }\n`,
    `${head('k-file')}  template: file_mode\n  params: { path: /etc/shadow, fact: files.critical_perms, max_mode: '0640', group: shadow }\n`,
    `${head('k-mount')}  template: mount_option\n  params: { path: /var/tmp, options: [nodev, nosuid, noexec] }\n`,
    `${head('k-mount-fail')}  template: mount_option\n  params: { path: /srv, options: [nodev], missing: fail }\n`,
    `${head('k-mount-separate')}  template: mount_option\n  params: { path: /dev/shm, fstype: tmpfs }\n`,
    `${head('k-audit')}  template: audit_rule\n  params:\n    key: scope\n    rules:\n      - -w /etc/sudoers -p wa\n      - -a always,exit -F arch=b64 -C euid!=uid -F auid!=unset -S execve,execveat\n      - -a always,exit -F path=/usr/bin/chcon -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng\n`,
    `${head('k-audit-platform')}  template: audit_rule\n  params:\n    platform_rules:\n      debian: [-w /etc/apparmor.d/ -p wa]\n      rhel-family: [-w /etc/selinux -p wa]\n`,
    `${head('k-audit-one')}  template: audit_rule\n  params: { rules: [-e 2] }\n`,
    `${head('k-file-plain')}  template: file_mode\n  params: { path: /etc/login.defs, fact: accounts.login_defs, max_mode: '0644' }\n`,
  ].join(''),
);
const cat = loadCatalogue([dir]);

describe('template kinds: generated scenarios', () => {
  for (const c of cat.checks.filter((x) => x.id.startsWith('k-'))) {
    it(`${c.id} has both`, () => {
      expect(c.scenarios?.pass?.length).toBeGreaterThan(0);
      expect(c.scenarios?.fail?.length).toBeGreaterThan(0);
    });
    for (const verdict of ['pass', 'fail', 'not_applicable'] as const)
      (c.scenarios?.[verdict] ?? []).forEach((sc, i) => {
        it(`${c.id}: ${verdict} #${i + 1} (${sc.name ?? ''})`, () => {
          const r = evaluateScenario(c, sc);
          expect({ verdict: r.verdict, reason: r.reason }).toMatchObject({ verdict });
        });
      });
  }
});
