# Build (once) and cache the Debian root file system that every lab host starts from.

ensure_host_tools() {
  local missing="" t
  for t in debootstrap:debootstrap ip:iproute2 unshare:util-linux ssh-keygen:openssh-client ssh:openssh-client \
    nsenter:util-linux setsid:util-linux flock:util-linux ss:iproute2 tar:tar; do
    command -v "${t%%:*}" >/dev/null 2>&1 || missing="$missing ${t#*:}"
  done
  # debootstrap checks the Release signature with this keyring.
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || missing="$missing debian-archive-keyring"
  if [ -n "$missing" ]; then
    log "installing:$missing"
    # A fresh machine may have no package lists yet: update once and retry.
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2 \
      || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >&2; } \
      || die "could not install$missing (apt-get install failed)"
  fi
}

build_rootfs() {
  if [ -s "$ROOTFS_TAR" ]; then
    return 0
  fi
  local mirror stage
  mirror=$(mirror_from_apt_sources) || die "no '$SUITE' deb source found in /etc/apt/sources.list or /etc/apt/sources.list.d/*.sources"
  mkdir -p "$CACHE_DIR"
  stage="$CACHE_DIR/build.$$"
  rm -rf "$stage"
  log "building the $SUITE root file system from $mirror (about 1-2 minutes)"
  if ! debootstrap --variant=minbase --include="$ROOTFS_PACKAGES" "$SUITE" "$stage" "$mirror" >"$CACHE_DIR/debootstrap.log" 2>&1; then
    rm -rf "$stage"
    die "debootstrap failed; see $CACHE_DIR/debootstrap.log"
  fi
  # Per-host state is made at `up`: no shared host keys, no package caches in the tarball.
  rm -f "$stage"/etc/ssh/ssh_host_*
  rm -rf "$stage"/var/cache/apt/archives/*.deb "$stage"/var/lib/apt/lists/*
  tar --numeric-owner --xattrs -C "$stage" -cpf "$ROOTFS_TAR.tmp" . || die "could not write $ROOTFS_TAR"
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  rm -rf "$stage"
  # Tarballs built from an older package list.
  find "$CACHE_DIR" -maxdepth 1 -name "rootfs-$SUITE*.tar" ! -path "$ROOTFS_TAR" -delete
  log "cached $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
}
