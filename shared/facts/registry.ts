/**
 * The fact registry: every fact the collector knows how to gather, by stable id.
 * Checks name the facts they need; the collector script is generated from exactly those (plus `host.*`, which
 * every scan collects). Everything here is read-only on the target: commands only read, never write.
 *
 * Commands are POSIX sh fragments run by the collector with stdin closed. They must not write files, must not
 * need a terminal, and must tolerate the tool being absent (the collector reports `missing` when the first word of
 * `requires` is not on PATH). A list of names (find results) is a paths fact, never a command's lines: a name may
 * hold a newline.
 */

import type { SecretRule } from './secrets.js';

export interface FileFactDef {
  kind: 'file';
  path: string;
  /** Bytes of content kept; 0 = stat and hash only. */
  maxBytes: number;
  /** Readable only by root on a standard system (e.g. /etc/shadow). */
  privileged?: boolean;
  /** Secrets in the file, dealt with on the target before anything is sent (shared/facts/secrets.ts). */
  secrets?: SecretRule;
  description: string;
}

export interface FileSetFactDef {
  kind: 'fileset';
  /** Glob patterns expanded by the target's sh; non-matching patterns contribute nothing. */
  patterns: string[];
  maxBytes: number;
  /** At most this many files are listed (the fact is then marked truncated). */
  maxFiles: number;
  privileged?: boolean;
  /** Secrets in the files, dealt with on the target before anything is sent (shared/facts/secrets.ts). */
  secrets?: SecretRule;
  /**
   * Also the files a mount table (fstab format) names in some mount options (e.g. `credentials=`), after the
   * patterns' matches and without repeats; a named file that does not exist is listed as absent.
   */
  namedIn?: { table: string; options: readonly string[] };
  description: string;
}

export interface CommandFactDef {
  kind: 'command';
  /** POSIX sh fragment. Runs in a subshell with stdin from /dev/null. */
  script: string;
  /** Commands that must be on PATH; if none is, the fact is `missing`. */
  requires: string[];
  maxBytes: number;
  privileged?: boolean;
  /** How a root-only command is read through restricted sudo rules (see SudoReadDef). */
  sudo?: SudoReadDef;
  description: string;
}

/**
 * Restricted sudo: the command lines that can stand in for a root-only command fact, in order of preference. The
 * collector runs `sudo -n <argv>` with the first one that `sudo -n -l <argv>` (sudo's own check of that exact
 * command line, which runs nothing) allows; none allowed leaves the fact unread. Every argv is read-only.
 */
export interface SudoReadDef {
  /** Candidate command lines; the program by name (sudo resolves it as it does for a rule) or absolute path. */
  argv: readonly (readonly string[])[];
  /** Unprivileged sh filter the output is piped through (the same shaping the unprivileged script does). */
  pipe?: string;
}

/**
 * Names found by the scan's one walk of the local file systems (see WALK in main/collector/protocol.ts): every
 * paths fact a scan needs is served by the same `find`, which prunes what CIS audits prune (pseudo, network,
 * FUSE and removable file systems; container, kubelet and snap trees). Each name travels as its own record, so
 * a name holding a newline is one name.
 */
export interface PathsFactDef {
  kind: 'paths';
  /** Only names at or under this directory (absolute; letters, digits, `_.-/`); none = the whole walk. */
  under?: string;
  /**
   * find(1) primaries that select the names, as sh words (our fixed text): POSIX primaries that busybox find
   * also has, except `-nouser` / `-nogroup`, which the collector rewrites when the target's find lacks them.
   */
  test: string;
  /** At most this many names are kept (the fact is then marked truncated). */
  maxItems: number;
  /** Bytes of names kept on the wire (record overhead included). */
  maxBytes: number;
  /** What a listed name is, for evidence ("world-writable"). */
  label: string;
  description: string;
}

export type FactDef = FileFactDef | FileSetFactDef | CommandFactDef | PathsFactDef;

const KB = 1024;
const MB = 1024 * KB;

/** Reads shadow lines (a file argument or stdin) and prints them with the hash reduced to its class. */
const SHADOW_AWK =
  "awk -F: '{ h=$2; c=\"hash\"; if (h==\"\") c=\"empty\"; else if (h ~ /^[!*]/) c=\"locked\"; " +
  'print $1":"c":"$3":"$4":"$5":"$6":"$7":"$8 }\'';

export const FACTS = {
  // --- identity of the host (always collected) ---
  'host.id': {
    kind: 'command',
    script: 'id -u; id -un; hostname 2>/dev/null || cat /proc/sys/kernel/hostname; uname -srm',
    requires: ['id'],
    maxBytes: 4 * KB,
    description: 'Effective uid and user, hostname, kernel',
  },
  'host.os_release': { kind: 'file', path: '/etc/os-release', maxBytes: 16 * KB, description: 'Distribution identity' },
  'host.package_manager': {
    kind: 'command',
    script: 'for m in dpkg rpm apk pacman zypper; do command -v "$m" >/dev/null 2>&1 && echo "$m"; done; :',
    requires: ['dpkg', 'rpm', 'apk', 'pacman', 'zypper'],
    maxBytes: 1 * KB,
    description: 'Package managers present (the platform when /etc/os-release does not name it)',
  },

  // --- packages ---
  'pkg.list': {
    kind: 'command',
    script:
      "if command -v dpkg-query >/dev/null 2>&1; then dpkg-query -W -f='${Package}\\t${Version}\\t${db:Status-Abbrev}\\n'; " +
      "elif command -v rpm >/dev/null 2>&1; then rpm -qa --qf '%{NAME}\\t%{VERSION}-%{RELEASE}\\tii \\n'; fi",
    requires: ['dpkg-query', 'rpm'],
    maxBytes: 4 * MB,
    description: 'Installed packages (name, version, status)',
  },
  'pkg.apt_config': {
    kind: 'fileset',
    patterns: ['/etc/apt/sources.list', '/etc/apt/sources.list.d/*.list', '/etc/apt/sources.list.d/*.sources', '/etc/apt/apt.conf', '/etc/apt/apt.conf.d/*'],
    maxBytes: 64 * KB,
    maxFiles: 128,
    description: 'APT sources and configuration (signature checking, unattended upgrades)',
  },
  'pkg.dnf_config': {
    kind: 'fileset',
    patterns: ['/etc/dnf/dnf.conf', '/etc/yum.repos.d/*.repo', '/etc/dnf/automatic.conf'],
    maxBytes: 64 * KB,
    maxFiles: 128,
    description: 'dnf configuration, repository definitions and dnf-automatic settings',
  },

  // --- sshd ---
  'sshd.config': {
    kind: 'fileset',
    patterns: ['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/*.conf'],
    maxBytes: 256 * KB,
    maxFiles: 64,
    description: 'sshd configuration and its drop-in directory',
  },
  'sshd.effective': {
    kind: 'command',
    script: 'sshd -T -C user=root,host=localhost,addr=127.0.0.1 2>&1 || /usr/sbin/sshd -T 2>&1',
    requires: ['sshd', '/usr/sbin/sshd'],
    maxBytes: 256 * KB,
    privileged: true,
    sudo: { argv: [['sshd', '-T', '-C', 'user=root,host=localhost,addr=127.0.0.1'], ['sshd', '-T']] },
    description: 'Effective sshd configuration (sshd -T), root only',
  },
  'sshd.host_keys': {
    kind: 'fileset',
    patterns: ['/etc/ssh/ssh_host_*_key'],
    maxBytes: 0,
    maxFiles: 16,
    description: 'Host private key files (stat and hash only, content never read)',
  },
  'sshd.host_pubkeys': {
    kind: 'fileset',
    patterns: ['/etc/ssh/ssh_host_*_key.pub'],
    maxBytes: 0,
    maxFiles: 16,
    description: 'Host public key files (stat and hash only)',
  },
  'sshd.authorized_keys': {
    kind: 'fileset',
    // The default AuthorizedKeysFile in the homes where accounts live, and the central per-user directory some sites
    // configure. Public keys only: the private halves are never on the server.
    patterns: [
      '/root/.ssh/authorized_keys',
      '/root/.ssh/authorized_keys2',
      '/home/*/.ssh/authorized_keys',
      '/home/*/.ssh/authorized_keys2',
      '/var/lib/*/.ssh/authorized_keys',
      '/srv/*/.ssh/authorized_keys',
      '/opt/*/.ssh/authorized_keys',
      '/etc/ssh/authorized_keys/*',
    ],
    maxBytes: 64 * KB,
    maxFiles: 256,
    privileged: true,
    description: 'The SSH public keys that may log in to each account (authorized_keys files; home directories are often root only)',
  },

  // --- accounts ---
  'accounts.passwd': { kind: 'file', path: '/etc/passwd', maxBytes: 2 * MB, description: 'Local accounts' },
  'accounts.shadow': {
    kind: 'command',
    // Only the fields needed, never the hashes themselves: name, a hash class, and the aging fields.
    script: `${SHADOW_AWK} /etc/shadow`,
    requires: ['awk'],
    maxBytes: 2 * MB,
    privileged: true,
    // Through sudo only the read is privileged; the hashes are reduced by the same awk, unprivileged.
    sudo: { argv: [['cat', '/etc/shadow'], ['getent', 'shadow']], pipe: SHADOW_AWK },
    description: 'Shadow entries with the password hash reduced to its class (hash, empty, locked)',
  },
  'accounts.group': { kind: 'file', path: '/etc/group', maxBytes: 2 * MB, description: 'Local groups' },
  'accounts.login_defs': { kind: 'file', path: '/etc/login.defs', maxBytes: 64 * KB, description: 'Password aging defaults' },
  'accounts.useradd': { kind: 'file', path: '/etc/default/useradd', maxBytes: 16 * KB, description: 'useradd defaults (INACTIVE)' },
  'accounts.shell_init': {
    kind: 'fileset',
    patterns: ['/etc/profile', '/etc/profile.d/*.sh', '/etc/bash.bashrc', '/etc/bashrc'],
    maxBytes: 64 * KB,
    maxFiles: 128,
    description: 'System-wide shell start-up files (default umask, TMOUT)',
  },
  'accounts.shells': { kind: 'file', path: '/etc/shells', maxBytes: 16 * KB, description: 'Valid login shells' },
  'accounts.lastlog': {
    kind: 'command',
    script: 'lastlog 2>/dev/null | head -n 2000',
    requires: ['lastlog'],
    maxBytes: 512 * KB,
    privileged: true,
    sudo: { argv: [['lastlog']], pipe: 'head -n 2000' },
    description: 'Last login per account',
  },

  // --- PAM and password policy ---
  'pam.files': {
    kind: 'fileset',
    patterns: ['/etc/pam.d/*'],
    maxBytes: 64 * KB,
    maxFiles: 128,
    description: 'PAM stacks',
  },
  'pam.pwquality': {
    kind: 'fileset',
    patterns: ['/etc/security/pwquality.conf', '/etc/security/pwquality.conf.d/*.conf'],
    maxBytes: 64 * KB,
    maxFiles: 32,
    description: 'Password quality policy',
  },
  'pam.faillock': { kind: 'file', path: '/etc/security/faillock.conf', maxBytes: 64 * KB, description: 'Account lockout policy' },
  'pam.pwhistory': { kind: 'file', path: '/etc/security/pwhistory.conf', maxBytes: 64 * KB, description: 'Password history policy (pam_pwhistory)' },

  // --- sudo ---
  'sudo.sudoers': {
    kind: 'fileset',
    patterns: ['/etc/sudoers', '/etc/sudoers.d/*'],
    maxBytes: 256 * KB,
    maxFiles: 128,
    privileged: true,
    description: 'sudoers and its include directory (root only)',
  },
  'sudo.rules': {
    kind: 'command',
    // What the login user may run through sudo, as sudo lists it, without a prompt (wide, so lines are not wrapped).
    // Collected when the collector may use sudo; as root it lists nothing (root needs no rules).
    script: 'if [ "$(id -u)" != 0 ]; then COLUMNS=4096 sudo -n -l; fi',
    requires: ['sudo'],
    maxBytes: 64 * KB,
    description: 'The sudo rules granted to the login user (sudo -n -l)',
  },
  'sudo.dirs': {
    kind: 'fileset',
    patterns: ['/etc/sudoers.d', '/etc/sudoers'],
    maxBytes: 0,
    maxFiles: 4,
    description: 'Modes and owners of sudoers and its include directory',
  },

  // --- services and processes ---
  'net.listening': {
    kind: 'command',
    script: 'ss -H -tulpn 2>/dev/null || ss -tulpn',
    requires: ['ss'],
    maxBytes: 1 * MB,
    description: 'Listening TCP/UDP sockets with owning processes (process names need root)',
  },
  'proc.list': {
    kind: 'command',
    script: 'ps -eo user=,pid=,ppid=,comm=,args= 2>/dev/null | head -n 5000',
    requires: ['ps'],
    maxBytes: 2 * MB,
    description: 'Running processes',
  },

  'services.unit_files': {
    kind: 'command',
    script: 'systemctl list-unit-files --type=service,socket --no-legend --no-pager 2>/dev/null | head -n 5000',
    requires: ['systemctl'],
    maxBytes: 512 * KB,
    description: 'systemd service and socket unit files with their enablement state (enabled, disabled, masked)',
  },
  'services.active': {
    kind: 'command',
    script: 'systemctl list-units --type=service,socket --state=active --no-legend --no-pager --plain 2>/dev/null | head -n 5000',
    requires: ['systemctl'],
    maxBytes: 512 * KB,
    description: 'Active systemd services and sockets',
  },

  // --- kernel modules ---
  'kmod.modprobe': {
    kind: 'fileset',
    patterns: ['/etc/modprobe.d/*.conf', '/usr/lib/modprobe.d/*.conf', '/lib/modprobe.d/*.conf'],
    maxBytes: 64 * KB,
    maxFiles: 128,
    description: 'modprobe configuration (install and blacklist lines)',
  },
  'kmod.loaded': { kind: 'file', path: '/proc/modules', maxBytes: 256 * KB, description: 'Loaded kernel modules' },

  // --- boot ---
  'boot.grub': {
    kind: 'fileset',
    // RHEL 8 on UEFI keeps grub.cfg and user.cfg in the EFI system partition.
    patterns: ['/boot/grub/grub.cfg', '/boot/grub2/grub.cfg', '/boot/grub2/user.cfg', '/boot/grub2/grubenv', '/boot/efi/EFI/*/grub.cfg', '/boot/efi/EFI/*/user.cfg'],
    maxBytes: 512 * KB,
    maxFiles: 8,
    privileged: true,
    // Password hashes (password_pbkdf2, GRUB2_PASSWORD) and clear-text passwords are redacted on the target.
    secrets: { kind: 'keys', keys: ['password', 'password_pbkdf2', 'grub2_password'] },
    description: 'GRUB configuration and its password file (root only on RHEL-family; password hashes redacted)',
  },
  'boot.cmdline': { kind: 'file', path: '/proc/cmdline', maxBytes: 16 * KB, description: 'Kernel command line of the running kernel' },

  // --- mandatory access control ---
  'mac.apparmor_status': {
    kind: 'command',
    script: 'aa-status 2>&1 || apparmor_status 2>&1',
    requires: ['aa-status', 'apparmor_status'],
    maxBytes: 256 * KB,
    privileged: true,
    sudo: { argv: [['aa-status'], ['apparmor_status']] },
    description: 'AppArmor profiles loaded and their modes, processes confined or not (aa-status, root only)',
  },
  'mac.selinux_config': { kind: 'file', path: '/etc/selinux/config', maxBytes: 16 * KB, description: 'SELinux mode and policy set for the next boot' },
  'mac.selinux_status': {
    kind: 'command',
    script: 'sestatus 2>/dev/null || getenforce',
    requires: ['sestatus', 'getenforce'],
    maxBytes: 16 * KB,
    description: 'SELinux state of the running kernel (sestatus, else getenforce)',
  },
  'mac.selinux_unconfined': {
    kind: 'command',
    script: "ps -eo label=,pid=,comm= 2>/dev/null | grep -E '^[^ ]*:unconfined_service_t:' ; :",
    requires: ['ps'],
    maxBytes: 64 * KB,
    description: 'Processes running in the SELinux domain unconfined_service_t (services without a policy)',
  },

  // --- file system ---
  'fs.etc_world_writable': {
    kind: 'paths',
    under: '/etc',
    test: '\\( -type f -o -type d \\) -perm -0002',
    maxItems: 1000,
    maxBytes: 256 * KB,
    label: 'world-writable',
    description: 'World-writable files and directories under /etc',
  },
  'fs.etc_unowned': {
    kind: 'paths',
    under: '/etc',
    test: '\\( -nouser -o -nogroup \\)',
    maxItems: 1000,
    maxBytes: 256 * KB,
    label: 'no known owner or group',
    description: 'Files under /etc without a known owner or group',
  },
  'fs.suid': {
    kind: 'paths',
    test: '-type f \\( -perm -4000 -o -perm -2000 \\)',
    maxItems: 2000,
    maxBytes: 512 * KB,
    label: 'SUID or SGID',
    description: 'SUID and SGID executables on the local file systems',
  },
  'fs.world_writable_dirs_no_sticky': {
    kind: 'paths',
    test: '-type d -perm -0002 ! -perm -1000',
    maxItems: 1000,
    maxBytes: 256 * KB,
    label: 'world-writable without the sticky bit',
    description: 'World-writable directories without the sticky bit on the local file systems',
  },
  'fs.world_writable_files': {
    kind: 'paths',
    test: '-type f -perm -0002',
    maxItems: 1000,
    maxBytes: 256 * KB,
    label: 'world-writable',
    description: 'World-writable regular files on the local file systems',
  },
  'fs.unowned': {
    kind: 'paths',
    test: '\\( -nouser -o -nogroup \\)',
    maxItems: 1000,
    maxBytes: 256 * KB,
    label: 'no known owner or group',
    description: 'Files and directories without a known owner or group on the local file systems',
  },
  'fs.mounts': { kind: 'file', path: '/proc/self/mounts', maxBytes: 256 * KB, description: 'Mounted file systems and options' },
  'fs.fstab': {
    kind: 'file',
    path: '/etc/fstab',
    maxBytes: 64 * KB,
    // CIFS passwords in mount options (password=, pass=, password2=) are redacted on the target.
    secrets: { kind: 'options', keys: ['password*', 'pass'] },
    description: 'Static mount table (mount option passwords redacted)',
  },

  // --- firewall ---
  'fw.nft': {
    kind: 'command',
    script: 'nft list ruleset',
    requires: ['nft'],
    maxBytes: 2 * MB,
    privileged: true,
    sudo: { argv: [['nft', 'list', 'ruleset']] },
    description: 'nftables ruleset (root only)',
  },
  'fw.iptables': {
    kind: 'command',
    script: 'iptables-save',
    requires: ['iptables-save'],
    maxBytes: 2 * MB,
    privileged: true,
    sudo: { argv: [['iptables-save']] },
    description: 'iptables ruleset (root only)',
  },
  'fw.nft_config': {
    kind: 'fileset',
    patterns: ['/etc/nftables.conf', '/etc/sysconfig/nftables.conf', '/etc/nftables/*.nft', '/etc/firewalld/firewalld.conf'],
    maxBytes: 256 * KB,
    maxFiles: 8,
    description: 'Firewall configuration files loaded at boot',
  },
  'fw.ufw': {
    kind: 'fileset',
    patterns: ['/etc/ufw/ufw.conf', '/etc/default/ufw'],
    maxBytes: 64 * KB,
    maxFiles: 4,
    description: 'ufw state (ENABLED in ufw.conf) and its default policies (/etc/default/ufw)',
  },
  'fw.iptables_config': {
    kind: 'fileset',
    patterns: ['/etc/iptables/rules.v4', '/etc/iptables/rules.v6', '/etc/sysconfig/iptables', '/etc/sysconfig/ip6tables'],
    maxBytes: 512 * KB,
    maxFiles: 4,
    privileged: true,
    description: 'iptables rules restored at boot (iptables-persistent, iptables-services; root only on RHEL-family)',
  },

  // --- kernel parameters ---
  'sysctl.net': {
    kind: 'command',
    script:
      'for k in net.ipv4.ip_forward net.ipv4.conf.all.accept_redirects net.ipv4.conf.default.accept_redirects ' +
      'net.ipv4.conf.all.send_redirects net.ipv4.conf.all.accept_source_route net.ipv4.conf.all.rp_filter ' +
      'net.ipv4.conf.all.log_martians net.ipv4.tcp_syncookies net.ipv4.icmp_echo_ignore_broadcasts ' +
      'net.ipv6.conf.all.accept_redirects net.ipv6.conf.all.accept_ra net.ipv6.conf.all.forwarding ' +
      'net.ipv4.icmp_ignore_bogus_error_responses net.ipv4.conf.all.secure_redirects ' +
      'net.ipv4.conf.default.secure_redirects net.ipv6.conf.all.accept_source_route; do ' +
      'f=/proc/sys/$(printf %s "$k" | tr . /); if [ -r "$f" ]; then printf "%s = %s\\n" "$k" "$(cat "$f")"; fi; done',
    requires: ['tr'],
    maxBytes: 16 * KB,
    description: 'Network kernel parameters (read from /proc/sys/net)',
  },
  'sysctl.kernel': {
    kind: 'command',
    script:
      'for k in kernel.randomize_va_space kernel.dmesg_restrict kernel.kptr_restrict fs.suid_dumpable fs.protected_symlinks fs.protected_hardlinks ' +
      'kernel.yama.ptrace_scope fs.protected_fifos fs.protected_regular; do ' +
      'f=/proc/sys/$(printf %s "$k" | tr . /); if [ -r "$f" ]; then printf "%s = %s\\n" "$k" "$(cat "$f")"; fi; done',
    requires: ['tr'],
    maxBytes: 16 * KB,
    description: 'Kernel and file-system hardening parameters',
  },
  'sysctl.config': {
    kind: 'fileset',
    patterns: ['/etc/sysctl.conf', '/etc/sysctl.d/*.conf'],
    maxBytes: 64 * KB,
    maxFiles: 64,
    description: 'Persistent sysctl settings',
  },

  // --- audit and logging ---
  'audit.auditd_conf': { kind: 'file', path: '/etc/audit/auditd.conf', maxBytes: 64 * KB, privileged: true, description: 'auditd configuration' },
  'audit.rules': {
    kind: 'fileset',
    patterns: ['/etc/audit/audit.rules', '/etc/audit/rules.d/*.rules'],
    maxBytes: 512 * KB,
    maxFiles: 64,
    privileged: true,
    description: 'Audit rules files',
  },
  'audit.loaded_rules': {
    kind: 'command',
    script: 'auditctl -l',
    requires: ['auditctl'],
    maxBytes: 512 * KB,
    privileged: true,
    sudo: { argv: [['auditctl', '-l']] },
    description: 'Audit rules loaded in the kernel',
  },
  'log.rsyslog': {
    kind: 'fileset',
    patterns: ['/etc/rsyslog.conf', '/etc/rsyslog.d/*.conf'],
    maxBytes: 256 * KB,
    maxFiles: 64,
    description: 'rsyslog configuration',
  },
  'log.syslog_ng': {
    kind: 'fileset',
    patterns: ['/etc/syslog-ng/syslog-ng.conf', '/etc/syslog-ng/conf.d/*.conf'],
    maxBytes: 256 * KB,
    maxFiles: 64,
    description: 'syslog-ng configuration',
  },
  'log.journald': {
    kind: 'fileset',
    patterns: ['/etc/systemd/journald.conf', '/etc/systemd/journald.conf.d/*.conf', '/etc/systemd/journal-upload.conf', '/etc/systemd/journal-upload.conf.d/*.conf'],
    maxBytes: 64 * KB,
    maxFiles: 32,
    description: 'journald and systemd-journal-upload configuration',
  },
  'log.files': {
    kind: 'command',
    script:
      'for f in /var/log/auth.log /var/log/secure /var/log/syslog /var/log/messages /var/log/audit/audit.log /var/log/wtmp /var/log/btmp; do ' +
      '[ -e "$f" ] && stat -c "%n|%s|%a|%U|%G|%Y" "$f"; done',
    requires: ['stat'],
    maxBytes: 16 * KB,
    description: 'Size, mode and owner of the main log files (for drift: shrunken logs)',
  },
  'log.file_perms': {
    kind: 'fileset',
    patterns: ['/var/log/*.log', '/var/log/*/*.log', '/var/log/syslog', '/var/log/messages', '/var/log/secure', '/var/log/maillog', '/var/log/cron'],
    maxBytes: 0,
    maxFiles: 256,
    description: 'Modes and owners of the log files under /var/log (stat only)',
  },
  'log.logrotate': {
    kind: 'fileset',
    patterns: ['/etc/logrotate.conf', '/etc/logrotate.d/*'],
    maxBytes: 64 * KB,
    maxFiles: 128,
    description: 'logrotate configuration',
  },

  // --- central authentication ---
  'auth.nsswitch': { kind: 'file', path: '/etc/nsswitch.conf', maxBytes: 64 * KB, description: 'Name service sources' },
  'auth.sssd': {
    kind: 'fileset',
    patterns: ['/etc/sssd/sssd.conf', '/etc/sssd/conf.d/*.conf'],
    maxBytes: 128 * KB,
    maxFiles: 16,
    privileged: true,
    // ldap_default_authtok and every other password or auth token; ldap_default_authtok_type says only how it is stored.
    secrets: { kind: 'keys', keys: ['*authtok*', '*_password'], keep: ['*authtok_type'] },
    description: 'SSSD configuration (root only; mode 0600; bind passwords redacted)',
  },
  'auth.krb5': {
    kind: 'fileset',
    patterns: ['/etc/krb5.conf', '/etc/krb5.conf.d/*'],
    maxBytes: 128 * KB,
    maxFiles: 16,
    description: 'Kerberos client configuration',
  },
  'auth.ipa': { kind: 'file', path: '/etc/ipa/default.conf', maxBytes: 64 * KB, description: 'FreeIPA client enrolment' },
  'auth.ldap': {
    kind: 'fileset',
    // OpenLDAP's client file, nslcd, and the older nss_ldap / pam_ldap files (Debian names them per package).
    patterns: ['/etc/ldap/ldap.conf', '/etc/openldap/ldap.conf', '/etc/nslcd.conf', '/etc/ldap.conf', '/etc/libnss-ldap.conf', '/etc/pam_ldap.conf'],
    maxBytes: 64 * KB,
    maxFiles: 8,
    privileged: true,
    secrets: { kind: 'keys', keys: ['bindpw', 'rootbindpw', 'rootpwmodpw'] },
    description: 'LDAP client configuration (bind passwords redacted)',
  },
  'auth.secret_files': {
    kind: 'fileset',
    patterns: ['/etc/ldap.secret', '/etc/libnss-ldap.secret', '/etc/pam_ldap.secret'],
    maxBytes: 0,
    maxFiles: 8,
    secrets: { kind: 'file' },
    description: 'Files that hold only an LDAP bind password (mode and owner; never read or hashed, size only as empty or not)',
  },
  'auth.keytabs': {
    kind: 'fileset',
    patterns: ['/etc/*.keytab', '/etc/krb5/*.keytab', '/etc/security/keytabs/*.keytab'],
    maxBytes: 0,
    maxFiles: 32,
    description: 'Kerberos keytabs (stat and hash only, content never read)',
  },
  'auth.smb_credentials': {
    kind: 'fileset',
    patterns: ['/etc/samba/*cred*', '/etc/samba/credentials/*', '/etc/*smbcred*', '/etc/*cifscred*'],
    namedIn: { table: '/etc/fstab', options: ['credentials', 'cred'] },
    maxBytes: 4 * KB,
    maxFiles: 16,
    privileged: true,
    secrets: { kind: 'keys', keys: ['password', 'pass'] },
    description: 'SMB/CIFS credential files, also those /etc/fstab names in credentials= (passwords redacted)',
  },

  // --- time ---
  'time.sync': {
    kind: 'fileset',
    patterns: [
      '/etc/chrony/chrony.conf',
      '/etc/chrony.conf',
      '/etc/chrony/sources.d/*.sources',
      '/etc/chrony/conf.d/*.conf',
      '/etc/ntp.conf',
      '/etc/ntpsec/ntp.conf',
      '/etc/systemd/timesyncd.conf',
      '/etc/systemd/timesyncd.conf.d/*.conf',
    ],
    maxBytes: 64 * KB,
    maxFiles: 32,
    description: 'Time synchronisation configuration',
  },

  // --- cron and misc permissions ---
  'cron.perms': {
    kind: 'fileset',
    patterns: ['/etc/crontab', '/etc/cron.d', '/etc/cron.daily', '/etc/cron.hourly', '/etc/cron.weekly', '/etc/cron.monthly'],
    maxBytes: 0,
    maxFiles: 8,
    description: 'Modes and owners of cron configuration',
  },
  'cron.access': {
    kind: 'fileset',
    patterns: ['/etc/cron.allow', '/etc/cron.deny', '/etc/at.allow', '/etc/at.deny'],
    maxBytes: 0,
    maxFiles: 4,
    description: 'Modes and owners of the cron and at allow and deny lists',
  },
  'cron.jobs': {
    kind: 'fileset',
    patterns: [
      '/etc/crontab',
      '/etc/cron.d/*',
      '/etc/cron.hourly/*',
      '/etc/cron.daily/*',
      '/etc/cron.weekly/*',
      '/etc/cron.monthly/*',
      '/etc/systemd/system/timers.target.wants/*.timer',
      '/etc/systemd/system/*.timer',
    ],
    maxBytes: 64 * KB,
    maxFiles: 128,
    privileged: true,
    description: 'System cron jobs and the systemd timers enabled by the administrator (root only where cron is hardened)',
  },
  'files.critical_perms': {
    kind: 'fileset',
    patterns: ['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow', '/etc/ssh/sshd_config'],
    maxBytes: 0,
    maxFiles: 8,
    description: 'Modes and owners of the account databases and sshd_config',
  },
  'files.account_perms': {
    kind: 'fileset',
    patterns: ['/etc/passwd-', '/etc/group-', '/etc/shadow-', '/etc/gshadow-', '/etc/shells', '/etc/security/opasswd', '/etc/security/opasswd.old'],
    maxBytes: 0,
    maxFiles: 8,
    description: 'Modes and owners of the account database backups, /etc/shells and the old-password store',
  },
  'banner.files': {
    kind: 'fileset',
    patterns: ['/etc/motd', '/etc/issue', '/etc/issue.net'],
    maxBytes: 16 * KB,
    maxFiles: 4,
    description: 'Login banners: message of the day and the local and remote pre-login notices',
  },
} as const satisfies Record<string, FactDef>;

export type FactId = keyof typeof FACTS;

/** Facts collected in every scan, whatever the checks need. */
export const ALWAYS_COLLECTED: readonly FactId[] = ['host.id', 'host.os_release', 'host.package_manager'];

export function isFactId(id: string): id is FactId {
  return Object.prototype.hasOwnProperty.call(FACTS, id);
}

export function factDef(id: FactId): FactDef {
  return FACTS[id];
}
