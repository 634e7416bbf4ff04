#!/bin/sh
# First process of a lab host (PID 1 in new mount/UTS/IPC/PID namespaces, inside the host's network namespace),
# still seeing the machine's file system: builds the host's own mounts and hostname, applies its net.* sysctls,
# then becomes the host's init inside its root.
# Usage: stage1.sh ROOT TMP_OPTS SHM_OPTS   (TMP_OPTS "-" = /tmp is no separate mount)
set -eu
root=$1 tmp_opts=$2 shm_opts=$3

# The root must be a mount point so that /proc/self/mounts inside shows "/".
mount --bind "$root" "$root"
mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
mount -t tmpfs -o nosuid,mode=0755,size=4m tmpfs "$root/dev"
for n in "null 1 3" "zero 1 5" "full 1 7" "random 1 8" "urandom 1 9" "tty 5 0"; do
  set -- $n
  mknod -m 0666 "$root/dev/$1" c "$2" "$3"
done
mkdir -p "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$root/dev/pts"
ln -s pts/ptmx "$root/dev/ptmx"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"
mount -t tmpfs -o "$shm_opts,mode=1777,size=16m" tmpfs "$root/dev/shm"
mount -t tmpfs -o nosuid,nodev,mode=0755,size=16m tmpfs "$root/run"
if [ "$tmp_opts" != - ]; then mount -t tmpfs -o "$tmp_opts,mode=1777,size=64m" tmpfs "$root/tmp"; fi

# Hostname: the host's /etc/hostname, bytes as they are (the hostile host's has markup and escapes).
head -n 1 "$root/etc/hostname" | head -c 64 | tr -d '\n' >/proc/sys/kernel/hostname

# Network sysctls are per namespace: start from the kernel's defaults (so nothing depends on the machine's
# own settings), then apply the host's persistent files in sysctl's order. Only net.* keys: everything else
# is shared with the machine and never written.
for kv in net.ipv4.ip_forward=0 net.ipv4.conf.all.accept_redirects=1 net.ipv4.conf.default.accept_redirects=1 \
  net.ipv4.conf.all.send_redirects=1 net.ipv4.conf.all.accept_source_route=0 net.ipv4.conf.all.rp_filter=0 \
  net.ipv4.conf.all.log_martians=0 net.ipv4.tcp_syncookies=1 net.ipv4.icmp_echo_ignore_broadcasts=1 \
  net.ipv6.conf.all.accept_redirects=1 net.ipv6.conf.all.accept_ra=1 net.ipv6.conf.all.forwarding=0 \
  net.ipv4.icmp_ignore_bogus_error_responses=1 net.ipv4.conf.all.secure_redirects=1 \
  net.ipv4.conf.default.secure_redirects=1 net.ipv6.conf.all.accept_source_route=0; do
  f="/proc/sys/$(printf %s "${kv%%=*}" | tr . /)"
  [ -w "$f" ] && printf '%s\n' "${kv#*=}" >"$f"
done
for conf in "$root"/etc/sysctl.d/*.conf "$root/etc/sysctl.conf"; do
  [ -f "$conf" ] || continue
  sed -n 's/^[[:space:]]*\(net\.[A-Za-z0-9_.]*\)[[:space:]]*=[[:space:]]*\([^[:space:]#]*\).*/\1 \2/p' "$conf"
done | while read -r k v; do
  f="/proc/sys/$(printf %s "$k" | tr . /)"
  if [ -w "$f" ]; then printf '%s\n' "$v" >"$f"; fi
done
# Nothing inside may change the machine's kernel parameters.
mount --bind "$root/proc/sys" "$root/proc/sys"
mount -o remount,bind,ro "$root/proc/sys"

exec chroot "$root" /sbin/fe-init
