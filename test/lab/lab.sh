#!/bin/bash
# Foureyes test lab: real OpenSSH hosts in network namespaces, each with its own Debian root file system.
#   bash test/lab/lab.sh up            build (once, cached) and start the hosts; idempotent
#   bash test/lab/lab.sh down [--purge] stop and remove everything `up` made (--purge: the cached rootfs too)
#   bash test/lab/lab.sh status        one line per host; exit 0 when the whole lab is up
#   bash test/lab/lab.sh exec HOST CMD  run CMD as root inside a running host (its namespaces and root)
#   bash test/lab/lab.sh reset HOST     put one running host back as `up` made it (same address and host keys)
# Root only (namespaces, chroot, mounts). Nothing is written into the checkout.
set -euo pipefail
export LC_ALL=C
umask 022

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for f in common rootfs net manifest hosts/base hosts/careless hosts/partial hosts/hardened hosts/restricted hosts/others; do
  # shellcheck source=/dev/null
  . "$LAB_DIR/sh/$f.sh"
done
# Per-family additions to the hosts (hosts/family-<family>.sh): each defines `family_<family>_<host> HOST`
# functions, run after the host's own configure_<host>, so that a family of checks brings its own lab set-up.
for f in "$LAB_DIR"/sh/hosts/family-*.sh; do
  [ -e "$f" ] || continue
  # shellcheck source=/dev/null
  . "$f"
done

# Mount options of /tmp ("-": not a separate mount) and /dev/shm per host.
host_mounts() {
  case "$1" in
    partial) echo "nosuid,nodev nosuid,nodev" ;;
    hardened | restricted | restrictpw) echo "nosuid,nodev,noexec nosuid,nodev,noexec" ;;
    *) echo "- nosuid,nodev" ;;
  esac
}

prepare_host() {
  local h=$1 dir="$HOSTS_DIR/$1"
  rm -rf --one-file-system "$dir"
  mkdir -p "$dir/root"
  tar --numeric-owner -xpf "$ROOTFS_TAR" -C "$dir/root"
  : >"$RUN_DIR/$h.configure.log"
  base_config "$h"
  "configure_$h"
  local fn
  for fn in $(declare -F | awk '{print $3}' | grep -E "^family_[a-z0-9]+_${h}\$" | sort); do
    "$fn" "$h"
  done
  mkdir -p "$dir/root/run/sshd"
  in_root "$h" /usr/sbin/sshd -t >>"$RUN_DIR/$h.configure.log" 2>&1 \
    || die "sshd configuration of $h is invalid (see $RUN_DIR/$h.configure.log)"
  rm -rf "${dir:?}/root/run/sshd"
}

start_host() {
  local h=$1 tmp shm
  read -r tmp shm <<<"$(host_mounts "$h")"
  # The hosts outlive this script: they must not inherit its descriptors beyond 0-2 (a caller's lock file held
  # with flock, a test runner's pipes), or that lock stays taken and that pipe open for as long as the lab runs.
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done
    exec ip netns exec "fe-$h" setsid unshare --mount --uts --ipc --pid --fork --propagation private \
      /bin/sh "$LAB_DIR/sh/stage1.sh" "$HOSTS_DIR/$h/root" "$tmp" "$shm" </dev/null >"$RUN_DIR/$h.log" 2>&1
  ) &
}

sshd_listening() { [ -n "$(ip netns exec "fe-$1" ss -Htln 'sport = :22' 2>/dev/null)" ]; }

wait_hosts() {
  local h i
  for h in $LAB_HOSTS; do
    for i in $(seq 1 100); do
      sshd_listening "$h" && continue 2
      sleep 0.2
    done
    die "sshd on $h did not start; see $RUN_DIR/$h.log"
  done
}

ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx "fe-$1"; }

lab_is_up() {
  local h
  [ -f "$MANIFEST" ] || return 1
  for h in $LAB_HOSTS; do
    ns_exists "$h" && sshd_listening "$h" || return 1
  done
}

anything_present() {
  local h
  [ -e "$STATE_DIR" ] && return 0
  ip link show "$BRIDGE" >/dev/null 2>&1 && return 0
  for h in $LAB_HOSTS; do ns_exists "$h" && return 0; done
  return 1
}

stop_processes() {
  local h pids i
  for h in ${1:-$LAB_HOSTS}; do
    ns_exists "$h" || continue
    pids=$(ip netns pids "fe-$h" 2>/dev/null || true)
    [ -n "$pids" ] && kill -TERM $pids 2>/dev/null || true
  done
  for i in $(seq 1 30); do
    pids=""
    for h in ${1:-$LAB_HOSTS}; do ns_exists "$h" && pids="$pids $(ip netns pids "fe-$h" 2>/dev/null || true)"; done
    [ -z "${pids// /}" ] && return 0
    sleep 0.1
  done
  kill -KILL $pids 2>/dev/null || true
  sleep 0.2
}

teardown() {
  stop_processes
  net_down
  if [ -d "$STATE_DIR" ]; then
    # Nothing of the lab is mounted in this namespace; if something is, do not descend into it.
    awk -v d="$STATE_DIR/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
      umount -l "$m" || true
    done
    rm -rf --one-file-system "$STATE_DIR"
  fi
}

cmd_up() {
  require_root up
  if lab_is_up; then
    log "already up ($MANIFEST)"
    return 0
  fi
  if anything_present; then
    log "removing a partly started lab first"
    teardown
  fi
  ensure_host_tools
  build_rootfs
  mkdir -p "$HOSTS_DIR" "$RUN_DIR"
  make_keys
  local h pids="" failed=""
  log "preparing $LAB_HOSTS"
  # Hosts are independent until they start: prepare them side by side.
  for h in $LAB_HOSTS; do
    prepare_host "$h" 2>"$RUN_DIR/$h.prepare.err" &
    pids="$pids $h:$!"
  done
  for p in $pids; do wait "${p#*:}" || failed="$failed ${p%%:*}"; done
  if [ -n "$failed" ]; then
    for h in $failed; do cat "$RUN_DIR/$h.prepare.err" >&2; done
    die "could not prepare:$failed"
  fi
  net_up_bridge
  for h in $LAB_HOSTS; do
    net_up_host "$h"
    start_host "$h"
  done
  wait_hosts
  write_manifest
  log "up: $(echo $LAB_HOSTS | wc -w) hosts; manifest $MANIFEST"
}

# cmd_reset NAME: stop the host, build its root again from the cached root file system and its configuration, with
# the host keys it had (known_hosts and the manifest stay true), and start it in the namespace it keeps.
cmd_reset() {
  local h=${1:-} keys
  [ -n "$h" ] && host_addr "$h" >/dev/null || die "reset: unknown host '${h}' (one of: $LAB_HOSTS)"
  lab_is_up || die "reset: the lab is not up (run: bash test/lab/lab.sh up)"
  keys=$(mktemp -d)
  cp -p "$HOSTS_DIR/$h/root"/etc/ssh/ssh_host_* "$keys/"
  stop_processes "$h"
  awk -v d="$HOSTS_DIR/$h/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount -l "$m" || true
  done
  prepare_host "$h" 2>"$RUN_DIR/$h.prepare.err" || { cat "$RUN_DIR/$h.prepare.err" >&2; rm -rf "$keys"; die "could not prepare $h"; }
  rm -f "$HOSTS_DIR/$h/root"/etc/ssh/ssh_host_*
  cp -p "$keys"/ssh_host_* "$HOSTS_DIR/$h/root/etc/ssh/"
  rm -rf "$keys"
  start_host "$h"
  local i
  for i in $(seq 1 100); do
    sshd_listening "$h" && { log "reset: $h"; return 0; }
    sleep 0.2
  done
  die "sshd on $h did not start after reset; see $RUN_DIR/$h.log"
}

cmd_down() {
  require_root down
  teardown
  if [ "${1:-}" = --purge ]; then
    rm -rf --one-file-system "$CACHE_DIR"
    log "down; cache purged"
  else
    log "down (cached root file system kept: $ROOTFS_TAR)"
  fi
}

# init_pid NAME: the host's PID 1 as seen from the machine.
init_pid() {
  local p
  for p in $(ip netns pids "fe-$1" 2>/dev/null); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = fe-init ] && { echo "$p"; return 0; }
  done
  return 1
}

# cmd_exec NAME CMD...: run a command inside a running host (all of its namespaces and its root), as root.
cmd_exec() {
  local h=${1:-} pid
  [ -n "$h" ] && host_addr "$h" >/dev/null || die "exec: unknown host '${h}' (one of: $LAB_HOSTS)"
  shift
  pid=$(init_pid "$h") || die "exec: $h is not running"
  exec nsenter -t "$pid" -m -u -i -n -p -r -w /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C "$@"
}

cmd_status() {
  local h up=0 state
  for h in $LAB_HOSTS; do
    if ! ns_exists "$h"; then
      state="absent"
    elif sshd_listening "$h"; then
      state="up ($(ip netns pids "fe-$h" | wc -l) processes)"
      up=$((up + 1))
    else
      state="namespace present, sshd not listening"
    fi
    printf '%-9s %-11s %s\n' "$h" "$(host_addr "$h")" "$state"
  done
  [ "$up" -eq "$(echo $LAB_HOSTS | wc -w)" ] && [ -f "$MANIFEST" ]
}

# up and down exclude each other (several test runs may share the machine).
lab_lock() {
  exec 9>/run/foureyes-lab.lock
  flock -w 900 9 || die "another lab.sh up/down is still running (lock /run/foureyes-lab.lock)"
}

case "${1:-}" in
  up) require_root up; lab_lock; cmd_up ;;
  down) require_root down; lab_lock; cmd_down "${2:-}" ;;
  status) [ "$(id -u)" = 0 ] || die "status needs root"; cmd_status ;;
  exec) require_root exec; shift; cmd_exec "$@" ;;
  reset) require_root reset; lab_lock; cmd_reset "${2:-}" ;;
  build) require_root build; ensure_host_tools; build_rootfs ;;
  *) echo "usage: bash test/lab/lab.sh up | down [--purge] | status | exec HOST CMD... | build" >&2; exit 2 ;;
esac
