# restricted (10.77.0.15): hardened's configuration (hardened.sh, the same parts), but the auditor gets no shell
# through sudo: only a list of read-only commands (Cmnd_Alias AUDIT_READ), without a password, as hardened
# customers grant it (sudoers or FreeIPA sudo rules). Defaults use_pty and a sudo log file; no requiretty.

configure_restricted() {
  local h=restricted
  hardened_sshd "$h"
  hardened_accounts "$h"
  hardened_pam "$h"
  hardened_central_auth "$h"
  hardened_logging_audit_time "$h"
  hardened_system "$h"
  # The auditor's sudo rules replace hardened's shell rule.
  rm -f "$HOSTS_DIR/$h/root/etc/sudoers.d/10-hardening" "$HOSTS_DIR/$h/root/etc/sudoers.d/20-auditor"
  put "$h" /etc/sudoers.d/10-hardening 0440 <<'SUDO'
Defaults use_pty
Defaults logfile="/var/log/sudo.log"
Defaults passwd_tries=3, timestamp_timeout=5
SUDO
  put "$h" /etc/sudoers.d/20-auditor 0440 <<'SUDO'
# Security audits: read-only commands only, no shell, no editor, nothing that writes.
Cmnd_Alias AUDIT_READ = /usr/bin/cat, /usr/bin/ls, /usr/bin/stat, /usr/bin/find, /usr/bin/grep, /usr/bin/head, \
    /usr/bin/getent, /usr/sbin/sshd -T, /usr/sbin/nft list ruleset, /usr/bin/ss, /usr/bin/ps, /usr/sbin/sysctl -a, \
    /usr/sbin/auditctl -l, /usr/sbin/iptables-save, /usr/sbin/faillock, /usr/bin/chage -l *, /usr/bin/lastlog, \
    /usr/bin/journalctl, /usr/bin/findmnt
auditor ALL=(root) NOPASSWD: AUDIT_READ
SUDO
  in_root "$h" visudo -c >/dev/null || die "restricted sudoers does not parse"
  write_init "$h" '/usr/sbin/nft -f /etc/nftables.conf
/usr/sbin/rsyslogd
/usr/sbin/chronyd -x'
}
