# careless (10.77.0.11): a default install that nobody hardened, plus the usual accidents.

careless_accidents() {
  local h=$1 root="$HOSTS_DIR/$1/root"
  # No firewall, no password quality, no central authentication, no time synchronisation.
  purge "$h" libpam-sss libnss-sss libpam-pwquality nftables chrony

  # sshd: root and password logins allowed (edited in the main file, as people do).
  sed -i -e 's/^#\?PermitRootLogin .*/PermitRootLogin yes/' \
    -e 's/^#\?PasswordAuthentication .*/PasswordAuthentication yes/' "$root/etc/ssh/sshd_config"
  install -d -m 0700 "$root/root/.ssh"
  install -m 0600 "$KEYS_DIR/id_ed25519.pub" "$root/root/.ssh/authorized_keys"

  # Accounts: an empty password, a second uid 0 with a password, a service account with a shell, and a
  # former employee's account with an old password that never logged in.
  in_root "$h" useradd -m -u 1001 -s /bin/bash -c 'Guest' guest
  in_root "$h" passwd -d guest >/dev/null
  in_root "$h" useradd -o -u 0 -g 0 -M -d /root -s /bin/bash -c 'Backup root' toor
  printf 'toor:%s\n' "$(head -c 12 /dev/urandom | base64)" | in_root "$h" chpasswd -c SHA512
  in_root "$h" usermod -s /bin/bash www-data
  in_root "$h" useradd -m -u 1002 -s /bin/bash -c 'Bob (left 2021)' bob
  printf 'bob:%s\n' "$(head -c 12 /dev/urandom | base64)" | in_root "$h" chpasswd -c SHA512
  in_root "$h" chage -d 2021-03-01 bob
  # Bob's key from his old laptop, still authorized: RSA 1024 (the public half only; its private half was thrown away).
  install -d -m 0700 -o 1002 -g 1002 "$root/home/bob/.ssh"
  printf '%s bob@old-laptop\n' 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDij1zTo4Ifgpb1ZhWyHtFzpGxzrTp85kbl4IR5rswVLDVcZC8Eu16Gx7XxxXlk6PDnREbIe7XDZkUkJjuNdpMSE+FJmrvquSHUfgBBvAZrmnyf6Z7PxDWfu++PFaUmjyuSvi4gxdB4Hw6yDK9O3P3rt76zYQELn5zKCXs86GlD3Q==' >"$root/home/bob/.ssh/authorized_keys"
  chown 1002:1002 "$root/home/bob/.ssh/authorized_keys" && chmod 0600 "$root/home/bob/.ssh/authorized_keys"

  # sudo: the auditor may do anything without a password.
  printf 'auditor ALL=(ALL:ALL) NOPASSWD: ALL\n' | put "$h" /etc/sudoers.d/auditor 0440

  # A world-writable file and an unowned file in /etc, an unexpected SUID binary.
  printf 'LISTEN=0.0.0.0\nDEBUG=1\n' | put "$h" /etc/default/legacy-app 0666
  printf '# left behind by a removed package\nkey=value\n' | put "$h" /etc/legacy-app.conf 0644 4242:4242
  install -m 4755 "$root/usr/bin/id" "$root/usr/local/bin/id-helper"
  careless_secrets "$h"

  # Forwarding on, and rsyslog receiving from the whole network.
  # (Turning forwarding on resets conf.all.accept_redirects; the line after sets it back, as someone did.)
  sed -i 's/^#net.ipv4.ip_forward=1/net.ipv4.ip_forward=1/' "$root/etc/sysctl.conf"
  printf 'net.ipv4.conf.all.accept_redirects = 1\n' >>"$root/etc/sysctl.conf"
  sed -i -e 's/^#module(load="imudp")/module(load="imudp")/' -e 's/^#input(type="imudp" port="514")/input(type="imudp" port="514")/' \
    "$root/etc/rsyslog.conf"
}

# Secrets left readable by everyone, with canary values (test/support/canaries.ts): the collector must send none of them.
careless_secrets() {
  local h=$1 root="$HOSTS_DIR/$1/root"
  put "$h" /etc/ldap.conf 0644 <<'LDAPCONF'
# nss_ldap / pam_ldap, left from an old directory set-up
base dc=example,dc=internal
uri ldap://ldap.example.internal/
binddn cn=proxy,dc=example,dc=internal
bindpw CANARYCARELESSLDAPCONF
rootbinddn cn=admin,dc=example,dc=internal
LDAPCONF
  printf 'CANARYCARELESSLDAPSECRET\n' | put "$h" /etc/ldap.secret 0644
  printf 'username=backup\npassword=CANARYCARELESSSMB\ndomain=EXAMPLE\n' | put "$h" /etc/samba/cifs-credentials 0644
  printf '//files.example.internal/backup /mnt/backup cifs noauto,credentials=/etc/samba/cifs-credentials 0 0\n//files.example.internal/scans /mnt/scans cifs noauto,username=scan,password=CANARYCARELESSFSTAB 0 0\n' \
    >>"$root/etc/fstab"
  # A keytab (format 0x0502) and a private key someone parked in /etc/pam.d.
  { printf '\005\002\000\000\000\100\000\001'; printf 'CANARYCARELESSKEYTAB'; head -c 40 /dev/zero; } | put "$h" /etc/krb5.keytab 0644
  printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\nCANARYCARELESSPEM\n-----END OPENSSH PRIVATE KEY-----\n' | put "$h" /etc/pam.d/old-vpn.key 0644
}

configure_careless() {
  careless_accidents careless
  write_init careless '/usr/sbin/rsyslogd'
}

# remedy (10.77.0.17): careless again, for the remediation test alone, which applies a generated playbook to it
# (and puts it back with `lab.sh reset remedy`): no other test reads it, so their truth never moves.
configure_remedy() {
  careless_accidents remedy
  write_init remedy '/usr/sbin/rsyslogd'
}
