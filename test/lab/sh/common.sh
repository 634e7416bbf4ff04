# Shared constants and helpers for the test lab (sourced by lab.sh).
# Everything the lab makes lives outside the checkout: the cached root file system under CACHE_DIR, per-host
# roots, keys, secrets and the manifest under STATE_DIR.

CACHE_DIR=${FOUREYES_LAB_CACHE:-/var/cache/foureyes-lab}
STATE_DIR=${FOUREYES_LAB_STATE:-/var/lib/foureyes-lab}
SUITE=bookworm
HOSTS_DIR="$STATE_DIR/hosts"
KEYS_DIR="$STATE_DIR/keys"
SECRETS_DIR="$STATE_DIR/secrets"
RUN_DIR="$STATE_DIR/run"
MANIFEST="$STATE_DIR/lab.json"
KNOWN_HOSTS="$STATE_DIR/known_hosts"

# Network: one bridge for the lab, a second one reachable only through the bastion.
BRIDGE=fe-br0
BRIDGE_ADDR=10.77.0.1
LAB_RANGE=10.77.0.0/16
INNER_BRIDGE=fe-br1

# name:address:netns-prefix; the order is the start order.
LAB_HOSTS="bastion careless partial hardened hostile restricted restrictpw remedy inner"

host_addr() {
  case "$1" in
    bastion) echo 10.77.0.10 ;;
    careless) echo 10.77.0.11 ;;
    partial) echo 10.77.0.12 ;;
    hardened) echo 10.77.0.13 ;;
    hostile) echo 10.77.0.14 ;;
    restricted) echo 10.77.0.15 ;;
    restrictpw) echo 10.77.0.16 ;;
    remedy) echo 10.77.0.17 ;;
    inner) echo 10.77.1.20 ;;
    *) return 1 ;;
  esac
}

# Packages on every host's root file system (debootstrap --include). Per-host scripts may purge some.
# python3: what Ansible needs on a host (the remediation test applies a generated playbook to one).
ROOTFS_PACKAGES="openssh-server,openssh-client,sudo,iproute2,iputils-ping,procps,findutils,coreutils,passwd,login,\
netbase,libpam-modules,libpam-pwquality,libpam-sss,libnss-sss,nftables,rsyslog,chrony,auditd,cron,less,ncurses-base,python3"
# The cached tarball's name carries a digest of the package list, so changing the list rebuilds it.
ROOTFS_TAR="$CACHE_DIR/rootfs-$SUITE-$(printf '%s' "$ROOTFS_PACKAGES" | sha256sum | cut -c1-12).tar"

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" = 0 ] || die "the test lab needs root (network namespaces, chroot, mounts); run: sudo bash test/lab/lab.sh $1"
}

# Print the Debian mirror that this machine's apt uses for $SUITE, read at run time from its sources
# (deb822 *.sources first, then one-line sources.list).
mirror_from_apt_sources() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    uri=$(awk -v suite="$SUITE" '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; suites = ""; types = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          l = $i; sub(/^[ \t]+/, "", l)
          if (l ~ /^#/) continue
          k = tolower(l); v = l; sub(/^[^:]*:[ \t]*/, "", v)
          if (k ~ /^uris:/) uris = v
          else if (k ~ /^suites:/) suites = v
          else if (k ~ /^types:/) types = v
          else if (k ~ /^enabled:/) enabled = tolower(v)
        }
        if (enabled == "no" || types !~ /(^|[ \t])deb([ \t]|$)/) next
        n = split(suites, s, /[ \t]+/)
        for (j = 1; j <= n; j++) if (s[j] == suite) { split(uris, u, /[ \t]+/); print u[1]; exit }
      }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return 0; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    uri=$(awk -v suite="$SUITE" '
      $1 == "deb" {
        i = 2
        if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return 0; }
  done
  return 1
}
