# hardened (10.77.0.13): a host hardened along the usual benchmarks, with central authentication configured.
# The auditor may run only a shell through sudo, without a password but with a terminal (requiretty).

# Each part takes the host to configure (default hardened): restricted shares them (restricted.sh).
hardened_sshd() {
  local h=${1:-hardened}
  put "$h" /etc/ssh/sshd_config 0600 <<'SSHD'
# Managed by configuration management. Local changes are overwritten.
Include /etc/ssh/sshd_config.d/*.conf

PermitRootLogin no
PasswordAuthentication no
PermitEmptyPasswords no
KbdInteractiveAuthentication no
HostbasedAuthentication no
IgnoreRhosts yes
PermitUserEnvironment no
UsePAM yes

MaxAuthTries 3
MaxSessions 4
LoginGraceTime 60
ClientAliveInterval 300
ClientAliveCountMax 2

X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no

Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr
MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512,hmac-sha2-256
KexAlgorithms sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp521,ecdh-sha2-nistp384,ecdh-sha2-nistp256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha256

LogLevel VERBOSE
Banner /etc/issue.net
PrintMotd no
AllowGroups sshusers
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
SSHD
  put "$h" /etc/issue.net 0644 <<'BANNER'
Authorised access only. Activity on this system is monitored and recorded.
BANNER
}

hardened_accounts() {
  local h=${1:-hardened}
  local root="$HOSTS_DIR/$h/root"
  set_conf "$h" /etc/login.defs PASS_MAX_DAYS 60
  set_conf "$h" /etc/login.defs PASS_MIN_DAYS 1
  set_conf "$h" /etc/login.defs PASS_WARN_AGE 14
  set_conf "$h" /etc/login.defs ENCRYPT_METHOD YESCRYPT
  sed -i 's/^#\? *INACTIVE=.*/INACTIVE=30/' "$root/etc/default/useradd"
  grep -q '^INACTIVE=' "$root/etc/default/useradd" || echo 'INACTIVE=30' >>"$root/etc/default/useradd"

  in_root "$h" groupadd -g 1100 sshusers
  in_root "$h" usermod -a -G sshusers auditor
  # A local administrator with a password (aging from login.defs), in the sudo group.
  in_root "$h" useradd -m -u 1001 -s /bin/bash -G sudo,sshusers -c 'Alice Admin' alice
  printf 'alice:%s\n' "$(head -c 18 /dev/urandom | base64)" | in_root "$h" chpasswd -c YESCRYPT
  in_root "$h" chage -M 60 -m 1 -W 14 alice

  put "$h" /etc/sudoers.d/10-hardening 0440 <<'SUDO'
Defaults requiretty
Defaults logfile="/var/log/sudo.log"
Defaults passwd_tries=3, timestamp_timeout=5
SUDO
  put "$h" /etc/sudoers.d/20-auditor 0440 <<'SUDO'
# Security audits: a root shell for the collector, terminal required (Defaults requiretty).
Cmnd_Alias AUDIT_SHELL = /usr/bin/sh, /bin/sh
auditor ALL=(root) NOPASSWD: AUDIT_SHELL
SUDO
}

hardened_pam() {
  local h=${1:-hardened}
  put "$h" /etc/security/pwquality.conf 0644 <<'PWQ'
minlen = 14
dcredit = -1
ucredit = -1
lcredit = -1
ocredit = -1
retry = 3
enforce_for_root
PWQ
  put "$h" /etc/security/faillock.conf 0644 <<'FL'
deny = 5
unlock_time = 900
fail_interval = 900
audit
FL
  put "$h" /etc/pam.d/common-auth 0644 <<'PAM'
# Local accounts, then SSSD; lock out after repeated failures (faillock.conf).
auth	required			pam_faillock.so preauth
auth	[success=2 default=ignore]	pam_unix.so
auth	[success=1 default=ignore]	pam_sss.so use_first_pass
auth	[default=die]			pam_faillock.so authfail
auth	sufficient			pam_faillock.so authsucc
auth	requisite			pam_deny.so
auth	required			pam_permit.so
PAM
}

hardened_central_auth() {
  local h=${1:-hardened}
  put "$h" /etc/sssd/sssd.conf 0600 <<'SSSD'
[sssd]
services = nss, pam, ssh, sudo
domains = example.internal

[domain/example.internal]
id_provider = ipa
auth_provider = ipa
access_provider = ipa
ipa_domain = example.internal
ipa_server = _srv_, ipa1.example.internal
ipa_hostname = hardened.example.internal
cache_credentials = True
krb5_store_password_if_offline = True
ldap_tls_cacert = /etc/ipa/ca.crt
ldap_default_bind_dn = uid=hardened,cn=sysaccounts,cn=etc,dc=example,dc=internal
ldap_default_authtok_type = password
ldap_default_authtok = CANARYHARDENEDSSSD
SSSD
  hardened_secrets "$h"
  put "$h" /etc/krb5.conf 0644 <<'KRB5'
[libdefaults]
  default_realm = EXAMPLE.INTERNAL
  dns_lookup_realm = false
  dns_lookup_kdc = true
  rdns = false
  forwardable = true

[realms]
  EXAMPLE.INTERNAL = {
    kdc = ipa1.example.internal:88
    admin_server = ipa1.example.internal:749
  }

[domain_realm]
  .example.internal = EXAMPLE.INTERNAL
  example.internal = EXAMPLE.INTERNAL
KRB5
  put "$h" /etc/ipa/default.conf 0644 <<'IPA'
[global]
basedn = dc=example,dc=internal
realm = EXAMPLE.INTERNAL
domain = example.internal
server = ipa1.example.internal
host = hardened.example.internal
xmlrpc_uri = https://ipa1.example.internal/ipa/xml
enable_ra = True
IPA
}

# Secrets kept as they should be (root only), with canary values (test/support/canaries.ts): read by root or through
# restricted sudo, the collector must still send none of them.
hardened_secrets() {
  local h=$1 root="$HOSTS_DIR/$1/root"
  put "$h" /etc/nslcd.conf 0600 <<'NSLCD'
uid nslcd
gid nslcd
uri ldaps://ipa1.example.internal/
base dc=example,dc=internal
binddn uid=nslcd,cn=sysaccounts,cn=etc,dc=example,dc=internal
bindpw CANARYHARDENEDNSLCD
NSLCD
  printf 'CANARYHARDENEDLDAPSECRET\n' | put "$h" /etc/ldap.secret 0600
  { printf '\005\002\000\000\000\100\000\001'; printf 'CANARYHARDENEDKEYTAB'; head -c 40 /dev/zero; } | put "$h" /etc/krb5.keytab 0600
  printf 'username=backup\npassword=CANARYHARDENEDSMB\n' | put "$h" /etc/samba/credentials/backup 0600
  chmod 0700 "$root/etc/samba/credentials"
  printf '//files.example.internal/backup /mnt/backup cifs noauto,credentials=/etc/samba/credentials/backup 0 0\n' >>"$root/etc/fstab"
  # Private SSH keys: a retired host key sshd no longer uses (stat and hash only, like every host key), and an
  # admin's key left next to the Kerberos files (root only: read through restricted sudo, and still not sent).
  printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nCANARYHARDENEDHOSTKEY\n-----END OPENSSH PRIVATE KEY-----\n' | put "$h" /etc/ssh/ssh_host_legacy_key 0600
  printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nCANARYHARDENEDSSHKEY\n-----END OPENSSH PRIVATE KEY-----\n' | put "$h" /etc/krb5.conf.d/old-admin.key 0600
}

hardened_logging_audit_time() {
  local h=${1:-hardened}
  local root="$HOSTS_DIR/$h/root"
  put "$h" /etc/rsyslog.d/60-forward.conf 0644 <<'RSYSLOG'
# Central log collection (TCP, queued while the collector is unreachable).
*.* action(type="omfwd" target="loghost.example.internal" port="514" protocol="tcp"
           queue.type="LinkedList" queue.size="10000" action.resumeRetryCount="-1")
RSYSLOG

  put "$h" /etc/audit/rules.d/30-identity.rules 0640 <<'AUDIT'
-w /etc/passwd -p wa -k identity
-w /etc/group -p wa -k identity
-w /etc/shadow -p wa -k identity
-w /etc/gshadow -p wa -k identity
-w /etc/security/opasswd -p wa -k identity
AUDIT
  put "$h" /etc/audit/rules.d/40-sudoers.rules 0640 <<'AUDIT'
-w /etc/sudoers -p wa -k scope
-w /etc/sudoers.d/ -p wa -k scope
AUDIT
  put "$h" /etc/audit/rules.d/50-logins.rules 0640 <<'AUDIT'
-w /var/log/lastlog -p wa -k logins
-w /var/run/faillock -p wa -k logins
AUDIT
  put "$h" /etc/audit/rules.d/60-time-change.rules 0640 <<'AUDIT'
-a always,exit -F arch=b64 -S adjtimex,settimeofday -k time-change
-a always,exit -F arch=b32 -S adjtimex,settimeofday -k time-change
-a always,exit -F arch=b64 -S clock_settime -F a0=0x0 -k time-change
-a always,exit -F arch=b32 -S clock_settime -F a0=0x0 -k time-change
-w /etc/localtime -p wa -k time-change
AUDIT
  put "$h" /etc/audit/rules.d/99-finalize.rules 0640 <<'AUDIT'
-e 2
AUDIT
  cat "$root"/etc/audit/rules.d/*.rules >"$root/etc/audit/audit.rules"
  sed -i -e 's/^max_log_file_action = .*/max_log_file_action = keep_logs/' \
    -e 's/^space_left_action = .*/space_left_action = email/' \
    -e 's/^admin_space_left_action = .*/admin_space_left_action = single/' "$root/etc/audit/auditd.conf"

  put "$h" /etc/chrony/chrony.conf 0644 <<'CHRONY'
# Internal time servers only.
server ntp1.example.internal iburst
server ntp2.example.internal iburst
confdir /etc/chrony/conf.d
sourcedir /etc/chrony/sources.d
keyfile /etc/chrony/chrony.keys
driftfile /var/lib/chrony/chrony.drift
logdir /var/log/chrony
maxupdateskew 100.0
leapsectz right/UTC
CHRONY
}

hardened_system() {
  local h=${1:-hardened}
  local root="$HOSTS_DIR/$h/root"
  put "$h" /etc/nftables.conf 0755 <<'NFT'
#!/usr/sbin/nft -f
flush ruleset

table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		ct state invalid drop
		iif "lo" accept
		ip saddr 10.77.0.0/24 tcp dport 22 accept
		ip protocol icmp icmp type { echo-request, destination-unreachable, time-exceeded } accept
		icmpv6 type { echo-request, nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
	}
	chain output {
		type filter hook output priority filter; policy accept;
	}
}
NFT
  put "$h" /etc/sysctl.d/60-hardening.conf 0644 <<'SYSCTL'
net.ipv4.ip_forward = 0
net.ipv4.conf.all.accept_redirects = 0
net.ipv4.conf.default.accept_redirects = 0
net.ipv4.conf.all.send_redirects = 0
net.ipv4.conf.all.accept_source_route = 0
net.ipv4.conf.all.rp_filter = 1
net.ipv4.conf.all.log_martians = 1
net.ipv4.tcp_syncookies = 1
net.ipv4.icmp_echo_ignore_broadcasts = 1
net.ipv6.conf.all.accept_redirects = 0
net.ipv6.conf.all.accept_ra = 0
kernel.randomize_va_space = 2
kernel.dmesg_restrict = 1
kernel.kptr_restrict = 2
fs.suid_dumpable = 0
fs.protected_symlinks = 1
fs.protected_hardlinks = 1
SYSCTL
  printf 'tmpfs /tmp tmpfs defaults,nodev,nosuid,noexec,mode=1777 0 0\ntmpfs /dev/shm tmpfs defaults,nodev,nosuid,noexec 0 0\n' \
    >>"$root/etc/fstab"
  chmod 0600 "$root/etc/crontab"
  chmod 0700 "$root"/etc/cron.d "$root"/etc/cron.daily "$root"/etc/cron.hourly "$root"/etc/cron.weekly \
    "$root"/etc/cron.monthly "$root"/etc/cron.yearly
}

configure_hardened() {
  hardened_sshd
  hardened_accounts
  hardened_pam
  hardened_central_auth
  hardened_logging_audit_time
  hardened_system
  write_init hardened '/usr/sbin/nft -f /etc/nftables.conf
/usr/sbin/rsyslogd
/usr/sbin/chronyd -x'
}
