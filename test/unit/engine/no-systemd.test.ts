/**
 * A host whose service manager is not systemd (systemctl not installed, PID 1 another init: a container's init
 * script, sysvinit): the unit state facts are `missing`. A rule on them cannot be decided from unit files, so it is
 * `manual` with a reason naming PID 1, not an error; a check that only forbids systemd units is not_applicable.
 * With systemd as PID 1 (unit state read, or systemctl missing on a systemd host) nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import type { Check } from '../../../shared/checks/schema.js';
import { snap } from './fixtures/build.js';

const cat = loadCatalogue();
const check = (id: string): Check => {
  const c = cat.byId.get(id);
  if (!c) throw new Error(id);
  return c;
};

const PS_FE_INIT =
  'root           1       0 fe-init         /bin/sh /sbin/fe-init\n' +
  'root          86       1 rsyslogd        /usr/sbin/rsyslogd\n' +
  'root          90       1 sshd            sshd: /usr/sbin/sshd [listener] 0 of 10-100 startups\n';
const PS_SYSTEMD =
  'root           1       0 systemd         /sbin/init\n' + 'root         412       1 rsyslogd        /usr/sbin/rsyslogd -n -iNONE\n';
const PKGS = 'bash\t5.2.15-2\tii \nrsyslog\t8.2302.0-1\tii \nnftables\t1.0.6-2\tii \n';
const MISSING = { problem: 'missing' as const };

function noSystemd(ps: string = PS_FE_INIT, pkgs: string = PKGS) {
  return snap({
    cmds: { 'services.unit_files': MISSING, 'services.active': MISSING, 'proc.list': ps, 'pkg.list': pkgs },
    sets: { 'fw.ufw': {} },
  });
}

describe('no systemd as PID 1', () => {
  it('a unit that must be enabled is manual, naming PID 1', () => {
    for (const id of ['logging-rsyslog-enabled', 'firewall-service-enabled', 'firewall-single-utility']) {
      const r = evaluateCheck(noSystemd(), check(id));
      expect(r.verdict, `${id}: ${r.reason}`).toBe('manual');
      expect(r.reason, id).toContain('PID 1 is fe-init');
      expect(r.needsPrivilege, id).toBeUndefined();
    }
  });

  it('a check that only forbids systemd units is not_applicable', () => {
    const r = evaluateCheck(noSystemd(), check('logging-journal-remote-disabled'));
    expect(r.verdict, r.reason).toBe('not_applicable');
    expect(r.reason).toContain('PID 1 is fe-init');
    expect(r.evidence.some((e) => e.factId === 'proc.list' && e.excerpt.includes('fe-init'))).toBe(true);
  });

  it('a service check decides on the package when it can, else is manual', () => {
    expect(evaluateCheck(noSystemd(), check('services-avahi-disabled')).verdict).toBe('pass');
    const installed = noSystemd(PS_FE_INIT, `${PKGS}avahi-daemon\t0.8-10\tii \n`);
    expect(evaluateCheck(installed, check('services-avahi-disabled')).verdict).toBe('manual');
  });

  it('without a process list the reason names the missing systemctl', () => {
    const s = snap({ cmds: { 'services.unit_files': MISSING, 'services.active': MISSING } });
    const r = evaluateCheck(s, check('logging-rsyslog-enabled'));
    expect(r.verdict).toBe('manual');
    expect(r.reason).toContain('systemctl is not installed');
  });
});

describe('systemd as PID 1', () => {
  it('unit state decides as before', () => {
    const s = snap({
      cmds: {
        'services.unit_files': 'rsyslog.service enabled enabled\nnftables.service enabled enabled\n',
        'services.active': 'rsyslog.service loaded active running System Logging Service\n',
        'proc.list': PS_SYSTEMD,
        'pkg.list': PKGS,
      },
      sets: { 'fw.ufw': {} },
    });
    expect(evaluateCheck(s, check('logging-rsyslog-enabled')).verdict).toBe('pass');
    expect(evaluateCheck(s, check('firewall-service-enabled')).verdict).toBe('pass');
    expect(evaluateCheck(s, check('firewall-single-utility')).verdict).toBe('pass');
    expect(evaluateCheck(s, check('logging-journal-remote-disabled')).verdict).toBe('pass');
  });

  it('systemctl missing while systemd is PID 1 stays an error', () => {
    for (const id of ['logging-rsyslog-enabled', 'logging-journal-remote-disabled']) {
      const r = evaluateCheck(noSystemd(PS_SYSTEMD), check(id));
      expect(r.verdict, id).toBe('error');
    }
  });
});
