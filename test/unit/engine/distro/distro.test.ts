/**
 * Whole-host fixtures: a default install of Debian 12, Ubuntu 24.04 and Rocky Linux 9 (RHEL-family), evaluated against the
 * whole catalogue. Each expected verdict below was written from the fixture's own files (the comment says which line
 * decides it), not from what the engine printed. Sources of the files: README.md next to this file.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogueQuick, type Catalogue } from '../../../../main/catalogue/catalogue.js';
import { evaluateAll } from '../../../../main/engine/evaluate.js';
import { detectPlatform } from '../../../../main/engine/parsers/os-release.js';
import type { Platform } from '../../../../shared/checks/schema.js';
import type { FileFact } from '../../../../shared/facts/snapshot.js';
import type { CheckResult, Verdict } from '../../../../shared/model/results.js';
import { DISTRO_DIR, distroSnapshot } from './load.js';

type Expected = Record<string, Verdict>;

const DEBIAN12: Expected = {
  // /etc/ssh/sshd_config: every option commented but these; sshd -T prints OpenSSH's defaults
  'sshd-permit-root-login': 'fail', // #PermitRootLogin prohibit-password: the default, not `no`
  'sshd-password-authentication': 'fail', // #PasswordAuthentication yes
  'sshd-permit-empty-passwords': 'pass', // #PermitEmptyPasswords no
  'sshd-x11-forwarding': 'fail', // X11Forwarding yes (Debian sets it)
  'sshd-max-auth-tries': 'fail', // #MaxAuthTries 6
  'sshd-login-grace-time': 'fail', // #LoginGraceTime 2m
  'sshd-client-alive': 'fail', // #ClientAliveInterval 0
  'sshd-banner': 'fail', // #Banner none
  'sshd-use-pam': 'pass', // UsePAM yes
  'sshd-ignore-rhosts': 'pass', // #IgnoreRhosts yes
  'sshd-hostbased-authentication': 'pass', // #HostbasedAuthentication no
  'sshd-permit-user-environment': 'pass', // #PermitUserEnvironment no
  'sshd-gssapi-authentication': 'pass', // #GSSAPIAuthentication no
  'sshd-config-perms': 'fail', // sshd_config is 0644 on Debian (stat.tsv: not listed, so 0644)
  'sshd-config-d-perms': 'not_applicable', // sshd_config.d is empty
  'sshd-host-key-perms': 'pass', // ssh_host_*_key 0600 root:root
  // /etc/login.defs
  'password-policy-max-days': 'fail', // PASS_MAX_DAYS 99999
  'password-policy-min-days': 'fail', // PASS_MIN_DAYS 0
  'password-policy-warn-age': 'pass', // PASS_WARN_AGE 7
  'accounts-login-defs-umask': 'fail', // UMASK 022
  // /etc/pam.d/common-*: pam-auth-update's stack, no pwquality, no faillock
  'pam-unix-no-nullok': 'fail', // common-auth: pam_unix.so nullok
  'pam-unix-no-nullok-password': 'pass', // common-password: pam_unix.so obscure yescrypt (no nullok)
  'pam-unix-strong-hash': 'pass', // yescrypt
  'password-policy-pwquality-enabled': 'fail', // libpam-pwquality not installed, no pam_pwquality line
  'pwquality-installed': 'fail', // not in pkg.list
  'password-policy-faillock': 'fail', // no pam_faillock line in common-auth
  'su-pam-wheel-use-uid': 'fail', // /etc/pam.d/su: # auth required pam_wheel.so (commented)
  // accounts (/etc/passwd, shadow, group)
  'accounts-root-only-uid0': 'pass', // only root has uid 0
  'accounts-empty-passwords': 'pass', // shadow: every entry hash or locked
  'accounts-unique-uids': 'pass',
  'accounts-system-shells': 'pass', // system accounts use /usr/sbin/nologin (sync: /bin/sync)
  'accounts-password-max-age': 'fail', // root and admin: max 99999
  'accounts-shadow-group-empty': 'pass', // shadow:x:42: no members
  // sudo (/etc/sudoers)
  'sudo-use-pty': 'pass', // Defaults use_pty
  'sudo-nopasswd-all': 'pass', // %sudo ALL=(ALL:ALL) ALL, with a password
  'accounts-nologin-locked': 'pass', // root locked (no root password given), nologin accounts locked
  'sudo-sudoers-mode': 'pass', // 0440 root:root
  'sudo-logfile': 'fail', // no Defaults logfile
  // kernel parameters (cmd/sysctl.*)
  'sysctl-aslr-full': 'pass', // kernel.randomize_va_space = 2
  'sysctl-dmesg-restrict': 'pass', // Debian kernel: kernel.dmesg_restrict = 1
  'sysctl-ip-forward-disabled': 'pass', // net.ipv4.ip_forward = 0
  'sysctl-tcp-syncookies-enabled': 'pass', // 1
  'sysctl-icmp-redirects-ignored': 'fail', // accept_redirects = 1
  'sysctl-rp-filter-enabled': 'fail', // net.ipv4.conf.all.rp_filter = 0 (no 50-default.conf on Debian)
  'sysctl-protected-links': 'pass', // 99-protect-links.conf: symlinks 1, hardlinks 1
  'sysctl-ptrace-restricted': 'fail', // kernel.yama.ptrace_scope = 0
  // packages and services
  'audit-auditd-installed': 'fail', // auditd is not part of a default install
  'packages-apt-sources-signed': 'pass', // debian.sources: Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
  'logging-syslog-installed': 'fail', // Debian 12 installs no rsyslog (journald only)
  'time-sync-running': 'pass', // systemd-timesyncd in proc.list
  'time-sync-authorised-servers': 'fail', // timesyncd.conf: #NTP= only
  'services-exposed-listeners': 'pass', // only sshd on 0.0.0.0:22 (and the DHCP client)
  'firewall-package-installed': 'pass', // nftables (priority important) in pkg.list
  'firewall-service-enabled': 'fail', // services.unit_files: nftables.service disabled
  'firewall-boot-config-default-deny': 'fail', // /etc/nftables.conf: chains without `policy drop`
  'firewall-default-deny': 'fail', // nft list ruleset prints nothing (service disabled)
  // file systems
  'fs-tmp-separate': 'fail', // fstab: only / and swap
  'fs-passwd-perms': 'pass', // 0644 root:root
  'fs-shadow-perms': 'pass', // 0640 root:shadow
  'banner-issue-no-os-info': 'fail', // /etc/issue: Debian GNU/Linux 12 \n \l
  // platform-specific checks off platform
  'mac-selinux-enforcing': 'not_applicable',
  'packages-dnf-gpgcheck': 'not_applicable',
  'boot-selinux-not-disabled': 'not_applicable',
};

const RHEL9: Expected = {
  // authselect's default sssd profile: `passwd: files sss systemd` and pam_sss lines, but no SSSD domain (no
  // /etc/sssd/sssd.conf): a directory is named, none is configured, so accounts are local only.
  'central-auth-nsswitch': 'fail',
  'central-auth-pam': 'fail',
  'central-auth-no-local-logins': 'not_applicable',
  // /etc/ssh/sshd_config (upstream 8.7 + Include) and sshd_config.d/50-redhat.conf
  'sshd-permit-root-login': 'fail', // #PermitRootLogin prohibit-password (RHEL 9 keeps the upstream default)
  'sshd-password-authentication': 'fail', // #PasswordAuthentication yes
  'sshd-permit-empty-passwords': 'pass', // #PermitEmptyPasswords no
  'sshd-x11-forwarding': 'fail', // 50-redhat.conf: X11Forwarding yes
  'sshd-gssapi-authentication': 'fail', // 50-redhat.conf: GSSAPIAuthentication yes
  'sshd-use-pam': 'pass', // 50-redhat.conf: UsePAM yes
  'sshd-max-auth-tries': 'fail', // #MaxAuthTries 6
  'sshd-client-alive': 'fail', // #ClientAliveInterval 0
  'sshd-banner': 'fail', // #Banner none
  'sshd-weak-ciphers': 'pass', // crypto policy DEFAULT: aes-gcm, chacha20, aes-ctr only
  'sshd-config-perms': 'pass', // sshd_config 0600 on RHEL
  'sshd-config-d-perms': 'pass', // 50-redhat.conf 0600
  'sshd-host-key-perms': 'pass', // 0640 root:ssh_keys is RHEL's own layout
  // /etc/login.defs (shadow-utils.login.defs)
  'password-policy-max-days': 'fail', // PASS_MAX_DAYS 99999
  'password-policy-min-days': 'fail', // PASS_MIN_DAYS 0
  'password-policy-warn-age': 'pass', // PASS_WARN_AGE 7
  'accounts-login-defs-umask': 'fail', // UMASK 022
  'password-policy-hashing': 'pass', // ENCRYPT_METHOD SHA512
  'password-policy-useradd-inactive': 'fail', // /etc/default/useradd: INACTIVE=-1
  // authselect sssd profile (with-fingerprint, with-silent-lastlog)
  'pam-unix-no-nullok': 'fail', // system-auth: auth sufficient pam_unix.so nullok
  'pam-unix-no-nullok-password': 'fail', // password sufficient pam_unix.so sha512 shadow nullok use_authtok
  'pam-unix-strong-hash': 'pass', // sha512
  'pam-unix-use-authtok': 'pass', // use_authtok on pam_unix (password)
  'password-policy-pwquality-enabled': 'pass', // password requisite pam_pwquality.so local_users_only
  'pwquality-installed': 'pass', // libpwquality in pkg.list
  'password-policy-minlen': 'fail', // pwquality.conf: # minlen = 8 (default 8, below 14)
  'password-policy-faillock': 'fail', // with-faillock not enabled: no pam_faillock line
  'pwquality-enforcing': 'pass', // # enforcing = 1 (default)
  'su-pam-wheel-use-uid': 'fail', // /etc/pam.d/su: #auth required pam_wheel.so use_uid
  // accounts
  'accounts-root-only-uid0': 'pass',
  'accounts-empty-passwords': 'pass',
  'accounts-system-shells': 'pass', // sync, shutdown, halt are the allowed exceptions
  'accounts-password-max-age': 'fail', // root and admin: max 99999
  'accounts-shadow-group-empty': 'not_applicable', // a Debian-family check
  // sudo (/etc/sudoers)
  'sudo-use-pty': 'fail', // RHEL 9's sudoers sets no use_pty
  'sudo-nopasswd-all': 'pass', // %wheel ALL=(ALL) ALL, with a password; NOPASSWD line commented
  'sudo-sudoers-mode': 'pass', // 0440
  // audit (audit package: rules.d/audit.rules = 10-base-config.rules; auditd.conf)
  'audit-auditd-installed': 'pass', // audit in pkg.list
  'audit-auditd-running': 'pass', // /sbin/auditd in proc.list
  'audit-rules-identity': 'fail', // no -w /etc/passwd rule
  'audit-rules-immutable': 'fail', // no -e 2
  'audit-max-log-file': 'pass', // max_log_file = 8
  'audit-log-full-action': 'fail', // max_log_file_action = ROTATE (not keep_logs)
  'audit-disk-full-action': 'fail', // disk_full_action = SUSPEND (not halt/single)
  // SELinux (/etc/selinux/config, sestatus)
  'mac-selinux-enforcing': 'pass', // SELINUX=enforcing, Current mode: enforcing
  'mac-selinux-policy-targeted': 'pass', // SELINUXTYPE=targeted
  'boot-selinux-not-disabled': 'pass', // no selinux=0 on /proc/cmdline
  // packages (/etc/dnf/dnf.conf, yum.repos.d)
  'packages-dnf-gpgcheck': 'pass', // gpgcheck=1 in [main] and each repo
  'packages-apt-sources-signed': 'not_applicable',
  'mac-apparmor-installed': 'not_applicable',
  'firewall-ufw-enabled': 'not_applicable',
  // logging and time
  'logging-syslog-installed': 'pass', // rsyslog in pkg.list
  'logging-syslog-running': 'pass', // rsyslogd in proc.list
  'logging-auth-log': 'pass', // rsyslog.conf: authpriv.* /var/log/secure
  'logging-rsyslog-no-remote-reception': 'pass', // imudp/imtcp lines commented
  'time-sync-configured': 'pass', // chrony.conf: pool 2.rocky.pool.ntp.org iburst
  'time-sync-running': 'pass', // chronyd in proc.list
  'time-chrony-user': 'pass', // chronyd runs as chrony
  // kernel parameters
  'sysctl-aslr-full': 'pass',
  'sysctl-dmesg-restrict': 'fail', // kernel.dmesg_restrict = 0 on RHEL
  'sysctl-rp-filter-enabled': 'pass', // net.ipv4.conf.all.rp_filter = 1
  'sysctl-protected-fifos-regular': 'pass', // fs.protected_fifos = 1, fs.protected_regular = 1
  // file systems
  'fs-shadow-perms': 'pass', // /etc/shadow 0000 root:root
  'fs-tmp-separate': 'fail', // fstab: /, /boot and swap
  'cron-crontab-perms': 'fail', // /etc/crontab 0644 (crontabs package), not 0600
  'firewall-package-installed': 'pass', // firewalld and nftables in pkg.list
  'firewall-service-enabled': 'pass', // firewalld.service enabled
};

const UBUNTU2404: Expected = {
  // /etc/ssh/sshd_config (Debian packaging, same as Debian 12's) and sshd_config.d/50-cloud-init.conf
  'sshd-permit-root-login': 'fail', // #PermitRootLogin prohibit-password
  'sshd-password-authentication': 'fail', // 50-cloud-init.conf: PasswordAuthentication yes
  'sshd-x11-forwarding': 'fail', // X11Forwarding yes
  'sshd-permit-empty-passwords': 'pass', // #PermitEmptyPasswords no
  'sshd-use-pam': 'pass', // UsePAM yes
  'sshd-max-auth-tries': 'fail', // #MaxAuthTries 6
  'sshd-config-perms': 'fail', // sshd_config 0644
  'sshd-config-d-perms': 'pass', // 50-cloud-init.conf 0600
  // /etc/login.defs
  'password-policy-max-days': 'fail', // PASS_MAX_DAYS 99999
  'password-policy-min-days': 'fail', // PASS_MIN_DAYS 0
  'password-policy-warn-age': 'pass', // PASS_WARN_AGE 7
  'accounts-login-defs-umask': 'fail', // UMASK 022 (HOME_MODE 0750 sets only home directories)
  // PAM (pam-auth-update's common-*)
  'pam-unix-no-nullok': 'fail', // common-auth: pam_unix.so nullok
  'pam-unix-no-nullok-password': 'pass', // common-password: obscure yescrypt
  'pam-unix-strong-hash': 'pass', // yescrypt
  'password-policy-pwquality-enabled': 'fail', // no pam_pwquality
  'password-policy-faillock': 'fail', // no pam_faillock
  'su-pam-wheel-use-uid': 'fail', // pam_wheel commented in /etc/pam.d/su
  // accounts
  'accounts-root-only-uid0': 'pass',
  'accounts-empty-passwords': 'pass',
  'accounts-nologin-locked': 'pass', // root locked, system accounts locked
  'accounts-shadow-group-empty': 'pass', // shadow:x:42:
  // sudo (/etc/sudoers)
  'sudo-use-pty': 'pass', // Defaults use_pty
  'sudo-nopasswd-all': 'pass', // %admin and %sudo ALL, with a password
  'sudo-logfile': 'fail', // no Defaults logfile
  'sudo-sudoers-mode': 'pass', // 0440
  // kernel parameters: Ubuntu's /etc/sysctl.d/10-*.conf
  'sysctl-kptr-restrict': 'pass', // 10-kernel-hardening.conf: kernel.kptr_restrict = 1
  'sysctl-ptrace-restricted': 'pass', // 10-ptrace.conf: kernel.yama.ptrace_scope = 1
  'sysctl-rp-filter-enabled': 'fail', // 10-network-security.conf: rp_filter=2 (loose), the check wants 1
  'sysctl-dmesg-restrict': 'pass', // CONFIG_SECURITY_DMESG_RESTRICT: 1
  'sysctl-icmp-redirects-ignored': 'fail', // accept_redirects = 1
  // firewall: ufw installed, ENABLED=no in /etc/ufw/ufw.conf
  'firewall-package-installed': 'pass', // ufw, iptables in pkg.list
  'firewall-ufw-enabled': 'fail', // ENABLED=no
  'firewall-ufw-default-deny': 'pass', // /etc/default/ufw: DEFAULT_INPUT_POLICY="DROP"
  'firewall-service-enabled': 'fail', // ufw.service enabled, but ufw itself disabled
  // logging: rsyslog (Ubuntu's rsyslog.conf and 50-default.conf)
  'logging-syslog-installed': 'pass', // rsyslog in pkg.list
  'logging-syslog-running': 'pass', // rsyslogd in proc.list
  'logging-auth-log': 'pass', // 50-default.conf: auth,authpriv.* /var/log/auth.log
  'logging-rsyslog-file-create-mode': 'pass', // $FileCreateMode 0640
  'logging-rsyslog-no-remote-reception': 'pass', // imudp/imtcp commented
  // packages
  'packages-apt-sources-signed': 'pass', // ubuntu.sources: Signed-By: ubuntu-archive-keyring.gpg
  'packages-automatic-updates': 'pass', // 20auto-upgrades: Unattended-Upgrade "1"
  'audit-auditd-installed': 'fail', // no auditd
  // time: systemd-timesyncd, no NTP= line
  'time-sync-running': 'pass',
  'time-sync-authorised-servers': 'fail', // timesyncd.conf: #NTP= and #FallbackNTP=ntp.ubuntu.com only
  // banners
  'banner-issue-no-os-info': 'fail', // /etc/issue: Ubuntu 24.04.1 LTS \n \l
  // off-platform checks
  'mac-selinux-enforcing': 'not_applicable',
  'packages-dnf-gpgcheck': 'not_applicable',
  'boot-selinux-not-disabled': 'not_applicable',
};

/**
 * Verdicts the catalogue gets wrong on a fixture, found by reading the files: `correct` is what the host's files
 * say, `current` what the checks give today. The test holds `current` so that a fix shows up here: then move the
 * check to the expected table with its correct verdict.
 */
const KNOWN_WRONG: Record<string, Record<string, { correct: Verdict; current: Verdict; why: string }>> = {};

const FIXTURES: { name: string; platform: Platform; id: string; version: string; expected: Expected }[] = [
  { name: 'debian12', platform: 'debian', id: 'debian', version: '12', expected: DEBIAN12 },
  { name: 'ubuntu2404', platform: 'ubuntu', id: 'ubuntu', version: '24.04', expected: UBUNTU2404 },
  { name: 'rhel9', platform: 'rhel-family', id: 'rocky', version: '9.4', expected: RHEL9 },
];

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await loadCatalogueQuick();
});

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return n;
}

describe.each(FIXTURES)('$name default install against the whole catalogue', (fx) => {
  const results = (): CheckResult[] => evaluateAll(distroSnapshot(fx.name), catalogue.checks);

  it('is a small fixture (under 200 KB)', () => {
    expect(dirBytes(join(DISTRO_DIR, fx.name))).toBeLessThan(200 * 1024);
  });

  it('is detected as its platform from /etc/os-release', () => {
    const os = distroSnapshot(fx.name).facts['host.os_release'] as FileFact;
    const p = detectPlatform(os.content ?? '');
    expect(p.platform).toBe(fx.platform);
    expect(p.id).toBe(fx.id);
    expect(p.versionId).toBe(fx.version);
  });

  it('gives a verdict for every check, none of them error', () => {
    const rs = results();
    expect(rs).toHaveLength(catalogue.checks.length);
    expect(rs.filter((r) => r.verdict === 'error').map((r) => `${r.checkId}: ${r.reason}`)).toEqual([]);
  });

  it('scanned without root: root-only checks are manual (needs privilege), still none error', () => {
    const rs = evaluateAll(distroSnapshot(fx.name, { unprivileged: true }), catalogue.checks);
    expect(rs.filter((r) => r.verdict === 'error').map((r) => `${r.checkId}: ${r.reason}`)).toEqual([]);
    const needRoot = rs.filter((r) => r.needsPrivilege);
    expect(needRoot.length).toBeGreaterThan(10);
    for (const r of needRoot) expect(r.verdict, r.checkId).toBe('manual');
    // sudoers is root-only: the sudo checks that read it need privilege; sshd -T is root-only, sshd_config is not
    const byId = new Map(rs.map((r) => [r.checkId, r]));
    expect(byId.get('sudo-use-pty')?.needsPrivilege).toBe(true);
    expect(byId.get('accounts-login-defs-umask')?.verdict).toBe('fail');
    // Without sshd -T the sshd checks read sshd_config: the same verdicts as root where the files decide
    expect(byId.get('sshd-permit-root-login')?.verdict).toBe('fail');
    expect(byId.get('sshd-x11-forwarding')?.verdict).toBe('fail');
  });

  it('scanned without root: a verdict that is not manual agrees with the root scan', () => {
    const u = evaluateAll(distroSnapshot(fx.name, { unprivileged: true }), catalogue.checks);
    const p = new Map(results().map((r) => [r.checkId, r.verdict]));
    const differ = u.filter((r) => r.verdict !== 'manual' && r.verdict !== p.get(r.checkId));
    expect(
      differ.map((r) => `${r.checkId}: ${r.verdict} without root, ${p.get(r.checkId)} as root (${r.actual})`),
    ).toEqual([]);
  });

  it('puts every check of another platform to not_applicable, naming the platform', () => {
    const rs = new Map(results().map((r) => [r.checkId, r]));
    const off = catalogue.checks.filter((c) => !c.platforms.includes(fx.platform));
    expect(off.length).toBeGreaterThan(5);
    for (const c of off) {
      const r = rs.get(c.id);
      expect(r?.verdict, c.id).toBe('not_applicable');
      expect(r?.reason, c.id).toContain(`host is ${fx.platform}`);
    }
  });

  it('evaluates checks of its own platform on their facts (none put aside as off-platform)', () => {
    const rs = new Map(results().map((r) => [r.checkId, r]));
    for (const c of catalogue.checks.filter(
      (k) => k.platforms.length < 3 && k.platforms.includes(fx.platform),
    ))
      expect(rs.get(c.id)?.reason, c.id).not.toMatch(/check applies to/);
  });

  it(`gives the expected verdict on ${Object.keys(fx.expected).length} well-known defaults`, () => {
    expect(Object.keys(fx.expected).length).toBeGreaterThanOrEqual(40);
    const rs = new Map(results().map((r) => [r.checkId, r]));
    const wrong: string[] = [];
    for (const [id, want] of Object.entries(fx.expected)) {
      const r = rs.get(id);
      if (!r) wrong.push(`${id}: no such check`);
      else if (r.verdict !== want) wrong.push(`${id}: ${r.verdict}, expected ${want} (${r.actual})`);
    }
    expect(wrong).toEqual([]);
  });

  it('still shows the known wrong verdicts (README: catalogue defects)', () => {
    const rs = new Map(results().map((r) => [r.checkId, r]));
    for (const [id, k] of Object.entries(KNOWN_WRONG[fx.name] ?? {})) {
      expect(fx.expected[id], id).toBeUndefined();
      expect(k.correct, id).not.toBe(k.current);
      expect(rs.get(id)?.verdict, `${id}: ${k.why}`).toBe(k.current);
    }
  });
});
