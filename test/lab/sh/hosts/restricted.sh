# restricted (10.77.0.15): hardened's configuration (hardened.sh, the same parts), but the auditor gets no shell
# through sudo: only a list of read-only commands (Cmnd_Alias AUDIT_READ), without a password, as hardened
# customers grant it (sudoers or FreeIPA sudo rules). Defaults use_pty and a sudo log file; no requiretty.

# restrictpw (10.77.0.16): the same host, but the rules say PASSWD: the auditor has a password (in the lab
# secrets, as partial's) and sudo asks for it. No shell is allowed, so the password must go to one authentication
# (`sudo -S -v` on a terminal) whose timestamp the later `sudo -n` reads share (tty tickets, the default).

# restricted_sudoers HOST TAG: the auditor's read-only command list, TAG NOPASSWD or PASSWD.
restricted_sudoers() {
  local h=$1 tag=$2
  # The auditor's sudo rules replace hardened's shell rule.
  rm -f "$HOSTS_DIR/$h/root/etc/sudoers.d/10-hardening" "$HOSTS_DIR/$h/root/etc/sudoers.d/20-auditor"
  put "$h" /etc/sudoers.d/10-hardening 0440 <<'SUDO'
Defaults use_pty
Defaults logfile="/var/log/sudo.log"
Defaults passwd_tries=3, timestamp_timeout=5
SUDO
  {
    cat <<'SUDO'
# Security audits: read-only commands only, no shell, no editor, nothing that writes.
Cmnd_Alias AUDIT_READ = /usr/bin/cat, /usr/bin/ls, /usr/bin/stat, /usr/bin/find, /usr/bin/grep, /usr/bin/head, \
    /usr/bin/getent, /usr/sbin/sshd -T, /usr/sbin/nft list ruleset, /usr/bin/ss, /usr/bin/ps, /usr/sbin/sysctl -a, \
    /usr/sbin/auditctl -l, /usr/sbin/iptables-save, /usr/sbin/faillock, /usr/bin/chage -l *, /usr/bin/lastlog, \
    /usr/bin/journalctl, /usr/bin/findmnt
SUDO
    printf 'auditor ALL=(root) %s: AUDIT_READ\n' "$tag"
  } | put "$h" /etc/sudoers.d/20-auditor 0440
  in_root "$h" visudo -c >/dev/null || die "$h sudoers does not parse"
}

# restricted_host HOST TAG: hardened's parts, then the command list.
restricted_host() {
  local h=$1
  hardened_sshd "$h"
  hardened_accounts "$h"
  hardened_pam "$h"
  hardened_central_auth "$h"
  hardened_logging_audit_time "$h"
  hardened_system "$h"
  restricted_sudoers "$h" "$2"
  write_init "$h" '/usr/sbin/nft -f /etc/nftables.conf
/usr/sbin/rsyslogd
/usr/sbin/chronyd -x'
}

configure_restricted() {
  restricted_host restricted NOPASSWD
}

configure_restrictpw() {
  local h=restrictpw pw
  restricted_host "$h" PASSWD
  # The auditor's password, for sudo only (SSH stays key-only); aged like alice's.
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$pw" >"$SECRETS_DIR/$h.sudo"
  chmod 0600 "$SECRETS_DIR/$h.sudo"
  printf 'auditor:%s\n' "$pw" | in_root "$h" chpasswd -c YESCRYPT
  in_root "$h" chage -M 60 -m 1 -W 14 auditor
}
