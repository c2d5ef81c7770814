#!/usr/bin/env bash
# placeholder for root build; full harness written below
set -euo pipefail
CACHE_DIR=${WATCHSYNC_TEST_CACHE:-/var/cache/watchsync-test}
ROOT_CACHE=$CACHE_DIR/bookworm-root
MIRROR=${WATCHSYNC_TEST_MIRROR:-http://deb.debian.org/debian}
ROOT_PACKAGES=openssh-server,python3,python3-apt,rsync,openjdk-17-jre-headless,nfs-kernel-server,systemd-sysv,dbus,iproute2,sudo,procps,kmod
STAMP_CONTENT="bookworm minbase $ROOT_PACKAGES"
build_root() {
  if [ -f "$ROOT_CACHE/.watchsync-test-stamp" ] && [ "$(cat "$ROOT_CACHE/.watchsync-test-stamp")" = "$STAMP_CONTENT" ]; then
    echo "cluster-test: reusing cached root $ROOT_CACHE"; return
  fi
  echo "cluster-test: building Debian 12 root in $ROOT_CACHE (takes a few minutes, once)"
  mkdir -p "$CACHE_DIR"
  rm -rf "$ROOT_CACHE.partial" "$ROOT_CACHE"
  debootstrap --variant=minbase --include="$ROOT_PACKAGES" bookworm "$ROOT_CACHE.partial" "$MIRROR" >"$CACHE_DIR/debootstrap.log" 2>&1 \
    || { echo "cluster-test: debootstrap failed, see $CACHE_DIR/debootstrap.log" >&2; exit 1; }
  chroot "$ROOT_CACHE.partial" apt-get clean
  echo "$STAMP_CONTENT" >"$ROOT_CACHE.partial/.watchsync-test-stamp"
  mv "$ROOT_CACHE.partial" "$ROOT_CACHE"
}
build_root
