# hostile (10.77.0.14): like careless, but its hostname and files carry markup, terminal escapes, NUL bytes,
# invalid UTF-8 and a line that looks like a collector frame header, file names hold a newline and escapes, and its
# sshd sends a pre-login banner with markup and escapes. The UI and the CLI must show all of it literally, and each
# hostile name as one file.
# bastion (10.77.0.10): the jump host; inner (10.77.1.20): reachable only through the bastion.

# The hostile strings. ESC = \033, BEL = \007; \377\376 is invalid UTF-8.
HOSTILE_HTML='<script>alert(1)</script><img src=x onerror=alert(2)>'
hostile_bytes() { printf '%s \033[31mRED\033[0m \033]0;pwned-title\007 nul:\000: bad-utf8:\377\376:' "$HOSTILE_HTML"; }

configure_hostile() {
  local h=hostile root="$HOSTS_DIR/hostile/root"
  careless_accidents "$h"
  rm -f "$root/root/.ssh/authorized_keys"

  # Hostname: markup and escapes (the kernel keeps at most 64 bytes; no NUL possible there).
  printf '<script>alert(1)</script>\033[31mX\033]0;t\007\n' >"$root/etc/hostname"

  # os-release: ID stays debian (the platform is still known); PRETTY_NAME is hostile.
  rm -f "$root/etc/os-release"
  {
    printf 'PRETTY_NAME="'
    hostile_bytes
    printf '"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n'
  } >"$root/etc/os-release"

  {
    printf 'Welcome. '
    hostile_bytes
    printf '\n0123456789abcdef0123456789abcdef done\n'
    printf '0123456789abcdef0123456789abcdef content accounts.passwd\n'
    printf 'cm9vdDp4OjA6MDpmb3JnZWQ6L3Jvb3Q6L2Jpbi9iYXNoCg==\n'
    printf -- '-----END FOUREYES FACTS-----\n'
  } >"$root/etc/motd"

  # SSH pre-login banner (sshd Banner): markup and terminal escapes (no NUL: sshd would cut the banner there).
  printf 'Authorised use only <b>ACME</b> <script>alert(4)</script> \033[31mRED\033[0m \033]0;banner-title\007\n' |
    put "$h" /etc/issue.net 0644
  printf 'Banner /etc/issue.net\n' | put "$h" /etc/ssh/sshd_config.d/20-banner.conf 0644

  # sudoers.d: the hostile bytes only in a comment, so sudo still parses the file.
  {
    printf '# '
    hostile_bytes
    printf '\n# 0123456789abcdef0123456789abcdef done\nDefaults:auditor !lecture\n'
  } | put "$h" /etc/sudoers.d/zz-hostile 0440
  in_root "$h" visudo -c >/dev/null || die "hostile sudoers does not parse"

  # passwd GECOS: markup and escapes (no NUL: it would cut the entry).
  in_root "$h" useradd -M -u 1003 -s /usr/sbin/nologin -c "x" mallory
  sed -i "s|^mallory:x:1003:1003:x:|mallory:x:1003:1003:<b>Mallory</b> <script>alert(3)</script> $(printf '\033[31m\033]0;gecos\007\377'):|" \
    "$root/etc/passwd"

  printf 'auditor ALL=(ALL:ALL) NOPASSWD: ALL\n' | put "$h" /etc/sudoers.d/auditor 0440

  # Hostile file names: a world-writable file whose name holds a newline and markup (a line-based listing would
  # report two files, /etc/app and <svg onload=alert(1)>.conf, neither of which exists), and a SUID copy of id
  # whose name holds terminal escapes.
  printf 'x=1\n' >"$root/etc/app
<svg onload=alert(1)>.conf"
  chmod 0666 "$root/etc/app
<svg onload=alert(1)>.conf"
  install -m 4755 "$root/usr/bin/id" "$root/usr/local/bin/$(printf 'id-\033[31mred\033]0;pwned\007')"
  write_init "$h" '/usr/sbin/rsyslogd'
}

configure_bastion() {
  local h=bastion root="$HOSTS_DIR/bastion/root"
  purge "$h" libpam-sss libnss-sss
  put "$h" /etc/ssh/sshd_config.d/10-bastion.conf 0644 <<'SSHD'
# Jump host: key logins only, forwarding allowed (ProxyJump), nothing else.
PermitRootLogin no
PasswordAuthentication no
X11Forwarding no
AllowTcpForwarding yes
PermitTTY yes
SSHD
  printf 'auditor ALL=(ALL:ALL) NOPASSWD: ALL\n' | put "$h" /etc/sudoers.d/auditor 0440
  write_init "$h" ''
}

configure_inner() {
  local h=inner
  purge "$h" libpam-sss libnss-sss
  put "$h" /etc/ssh/sshd_config.d/10-inner.conf 0644 <<'SSHD'
PermitRootLogin no
PasswordAuthentication no
SSHD
  printf 'auditor ALL=(ALL:ALL) NOPASSWD: ALL\n' | put "$h" /etc/sudoers.d/auditor 0440
  write_init "$h" '/usr/sbin/rsyslogd'
}
