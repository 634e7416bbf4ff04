# partial (10.77.0.12): half-way hardened. Key-only SSH with a split configuration, sudo with a password,
# remote logging, password aging; no firewall rules loaded, no faillock, no central authentication.

configure_partial() {
  local h=partial root="$HOSTS_DIR/partial/root" pw
  purge "$h" libpam-sss libnss-sss

  # sshd: the main file keeps Debian's defaults plus a Match block; the drop-in (read first through the
  # Include at the top) decides. First value wins, so the drop-in's X11Forwarding no beats the main file's yes.
  cat >>"$root/etc/ssh/sshd_config" <<'SSHD'

# SFTP-only accounts: chrooted, no forwarding, passwords allowed for them only.
Match Group sftponly
	ChrootDirectory /srv/sftp/%u
	ForceCommand internal-sftp
	AllowTcpForwarding no
	X11Forwarding no
	PasswordAuthentication yes
SSHD
  chmod 0600 "$root/etc/ssh/sshd_config"
  put "$h" /etc/ssh/sshd_config.d/10-hardening.conf 0644 <<'SSHD'
# Baseline, 2024-02
PermitRootLogin prohibit-password
PasswordAuthentication no
X11Forwarding no
MaxAuthTries 4
LoginGraceTime 60
ClientAliveInterval 300
LogLevel VERBOSE
AllowGroups sshusers sftponly
SSHD

  in_root "$h" groupadd -g 1100 sshusers
  in_root "$h" groupadd -g 1101 sftponly
  in_root "$h" usermod -a -G sshusers auditor
  in_root "$h" useradd -M -u 1001 -g sftponly -d /upload -s /usr/sbin/nologin -c 'Upload drop' upload
  install -d -m 0755 "$root/srv/sftp/upload"

  # Password aging and hashing; useradd INACTIVE left unset.
  set_conf "$h" /etc/login.defs PASS_MAX_DAYS 90
  set_conf "$h" /etc/login.defs PASS_MIN_DAYS 1
  set_conf "$h" /etc/login.defs PASS_WARN_AGE 14
  set_conf "$h" /etc/login.defs ENCRYPT_METHOD YESCRYPT

  # The auditor needs its password for sudo.
  pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  printf '%s\n' "$pw" >"$SECRETS_DIR/partial.sudo"
  chmod 0600 "$SECRETS_DIR/partial.sudo"
  printf 'auditor:%s\n' "$pw" | in_root "$h" chpasswd -c YESCRYPT
  in_root "$h" chage -M 90 -m 1 -W 14 auditor
  printf 'auditor ALL=(ALL:ALL) ALL\n' | put "$h" /etc/sudoers.d/auditor 0440

  # Some network sysctls, one kernel setting (persistent only: the kernel is the machine's).
  put "$h" /etc/sysctl.d/60-network.conf 0644 <<'SYSCTL'
net.ipv4.ip_forward = 0
net.ipv4.conf.all.accept_redirects = 0
net.ipv4.conf.default.accept_redirects = 0
net.ipv4.conf.all.send_redirects = 0
net.ipv4.tcp_syncookies = 1
kernel.dmesg_restrict = 1
SYSCTL

  # Remote logging over TCP.
  put "$h" /etc/rsyslog.d/50-remote.conf 0644 <<'RSYSLOG'
# Forward everything to the central log host.
*.* @@loghost:514
RSYSLOG

  # Audit: identity watches only.
  put "$h" /etc/audit/rules.d/30-identity.rules 0640 <<'AUDIT'
-w /etc/passwd -p wa -k identity
-w /etc/group -p wa -k identity
-w /etc/shadow -p wa -k identity
-w /etc/gshadow -p wa -k identity
-w /etc/security/opasswd -p wa -k identity
AUDIT
  cat "$root"/etc/audit/rules.d/*.rules >"$root/etc/audit/audit.rules"

  write_init "$h" '/usr/sbin/rsyslogd'
}
