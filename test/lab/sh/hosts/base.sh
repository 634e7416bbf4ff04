# Steps every lab host gets, run on the host's root from outside (chroot for the tools that must run inside).

# in_root NAME CMD...: run a command inside the host's root file system.
in_root() {
  local h=$1
  shift
  chroot "$HOSTS_DIR/$h/root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C "$@"
}

# put NAME PATH MODE [OWNER]: write stdin to a file in the host's root.
put() {
  local f="$HOSTS_DIR/$1/root$2"
  mkdir -p "$(dirname "$f")"
  cat >"$f"
  chmod "$3" "$f"
  chown "${4:-0:0}" "$f"
}

# purge NAME PKG...: remove packages (and their configuration) from a host, as an administrator would.
purge() {
  local h=$1
  shift
  in_root "$h" env DEBIAN_FRONTEND=noninteractive dpkg --purge --force-depends "$@" >>"$RUN_DIR/$h.configure.log" 2>&1 \
    || die "could not purge $* on $h (see $RUN_DIR/$h.configure.log)"
}

# set_conf NAME FILE KEY VALUE: set "KEY VALUE" in a space-separated config file (the active line, else appended).
set_conf() {
  local f="$HOSTS_DIR/$1/root$2"
  if grep -q "^[[:space:]]*$3[[:space:]]" "$f"; then
    sed -i "s|^[[:space:]]*$3[[:space:]].*|$3\t$4|" "$f"
  else
    printf '%s\t%s\n' "$3" "$4" >>"$f"
  fi
}

base_config() {
  local h=$1 root="$HOSTS_DIR/$1/root" addr
  addr=$(host_addr "$h")
  printf '%s\n' "$h" >"$root/etc/hostname"
  cat >"$root/etc/hosts" <<HOSTS
127.0.0.1	localhost
127.0.1.1	$h
$addr	$h.lab.internal $h
::1	localhost ip6-localhost ip6-loopback
HOSTS
  # No name server: lab hosts resolve nothing outside /etc/hosts, and have no route out of the lab anyway.
  printf '# lab host: no name server\n' >"$root/etc/resolv.conf"
  printf 'debian-lab\n' >"$root/etc/mailname"

  # rsyslog must not read the machine's kernel log (reading /proc/kmsg consumes it).
  sed -i 's/^module(load="imklog")/#module(load="imklog")  # no kernel log inside a lab namespace/' "$root/etc/rsyslog.conf"
  # As on a host that has been running: the log files rsyslog writes exist.
  local log
  for log in auth.log syslog; do
    : >"$root/var/log/$log"
    chown 0:4 "$root/var/log/$log"
    chmod 0640 "$root/var/log/$log"
  done

  # Host keys of its own.
  rm -f "$root"/etc/ssh/ssh_host_*
  in_root "$h" ssh-keygen -A >/dev/null

  # The auditor account (uid 1000), key login with the lab key.
  in_root "$h" useradd -m -u 1000 -s /bin/bash -c 'Security auditor' auditor
  in_root "$h" usermod -p '*' auditor
  install -d -m 0700 -o 1000 -g 1000 "$root/home/auditor/.ssh"
  install -m 0600 -o 1000 -g 1000 "$KEYS_DIR/id_ed25519.pub" "$root/home/auditor/.ssh/authorized_keys"
}

# write_init NAME SERVICE-LINES: the host's /sbin/fe-init (PID 1 inside the host).
write_init() {
  local h=$1 services=$2
  put "$h" /sbin/fe-init 0755 <<INIT
#!/bin/sh
# Init of a lab host (no systemd): starts this host's daemons, then waits and reaps children until stopped.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
umask 022
trap 'kill -TERM -1 2>/dev/null; exit 0' TERM INT HUP
mkdir -p /run/sshd /run/lock
chmod 0755 /run/sshd
$services
/usr/sbin/sshd
while :; do
  sleep 2147483647 &
  wait \$!
done
INIT
}
