#!/usr/bin/env bash
# Makes the local stand-in for the Dockerfile's node base image, for machines that
# cannot pull from a registry: a debootstrap'ed Debian with Node.js, imported into
# podman. The rootfs tarball is cached in $IMAGE_CACHE_DIR, so later runs only import
# it (or do nothing when podman already has the image). Needs root and debootstrap.
#
#   scripts/image/base.sh          # $BASE_IMAGE: nodejs + ca-certificates (enough to run)
#   scripts/image/base.sh --npm    # $BASE_IMAGE_NPM: adds npm, for build.sh --from-source
#
# The stand-in is not node:22-slim. It has Node.js 20 from Debian at /usr/bin/node, so
# this adds a /usr/local/bin/node link, where the upstream image keeps node and where the
# Dockerfile's ENTRYPOINT points. Delete the tarball to refresh it; trixie moves.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

with_npm=false
case "${1:-}" in
  --npm) with_npm=true ;;
  "") ;;
  *) die "usage: $0 [--npm]" ;;
esac

if $with_npm; then image="$BASE_IMAGE_NPM"; tarball="$IMAGE_CACHE_DIR/base-${DEBIAN_SUITE}-npm.tar"
else image="$BASE_IMAGE"; tarball="$IMAGE_CACHE_DIR/base-${DEBIAN_SUITE}.tar"; fi

configure_podman
mkdir -p "$IMAGE_CACHE_DIR"
# One builder at a time: two runs must not debootstrap into the same cache.
exec 9> "$IMAGE_CACHE_DIR/base.lock"
flock 9

if podman image exists "$image"; then
  log "base: $image is present"
  exit 0
fi

if [ ! -s "$tarball" ]; then
  rootfs="$(mktemp -d "${TMPDIR:-/tmp}/source-intercom-rootfs.XXXXXX")"
  trap 'rm -rf "$rootfs"' EXIT
  mirror="$(debian_mirror)"
  log "base: debootstrap $DEBIAN_SUITE from $mirror (about 20 s)"
  debootstrap --variant=minbase --include=nodejs,ca-certificates \
    "$DEBIAN_SUITE" "$rootfs" "$mirror" > "$rootfs.log" 2>&1 \
    || { tail -n 20 "$rootfs.log" >&2; rm -f "$rootfs.log"; die "debootstrap failed"; }
  rm -f "$rootfs.log"
  if $with_npm; then
    # npm in --include fails on dependency order; install it afterwards.
    log "base: installing npm in the rootfs (about 20 s)"
    chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends npm > /dev/null
  fi
  [ -e "$rootfs/usr/local/bin/node" ] || ln -s /usr/bin/node "$rootfs/usr/local/bin/node"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
fi

log "base: importing $tarball as $image"
podman import --change 'CMD ["/bin/bash"]' "$tarball" "$image" > /dev/null
