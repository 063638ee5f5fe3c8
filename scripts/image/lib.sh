# shellcheck shell=bash
# Shared by the scripts in scripts/image/. Source it; do not run it.
# Names, paths and the podman settings that machines without Docker need
# (see README, "Docker image").

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Where base image tarballs and the podman config live between runs.
IMAGE_CACHE_DIR="${IMAGE_CACHE_DIR:-/var/cache/source-intercom-image}"

# The local stand-in for the Dockerfile's node base image: Debian trixie ships Node.js 20.
# With npm, it can also run the Dockerfile's `build` stage (scripts/image/build.sh --from-source).
DEBIAN_SUITE="${DEBIAN_SUITE:-trixie}"
BASE_IMAGE="${BASE_IMAGE:-localhost/source-intercom-base:${DEBIAN_SUITE}}"
BASE_IMAGE_NPM="${BASE_IMAGE_NPM:-localhost/source-intercom-base:${DEBIAN_SUITE}-npm}"

# The image tag Airbyte's acceptance tests use: <dockerRepository>:dev from metadata.yaml.
metadata_field() {
  sed -n "s/^  $1: *//p" "$REPO_ROOT/metadata.yaml" | head -n 1 | tr -d "\"'"
}
DOCKER_REPOSITORY="$(metadata_field dockerRepository)"
if [ -z "$DOCKER_REPOSITORY" ]; then
  printf 'error: no data.dockerRepository in %s\n' "$REPO_ROOT/metadata.yaml" >&2
  exit 1
fi
IMAGE="${IMAGE:-docker.io/${DOCKER_REPOSITORY}:dev}"

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Podman on these hosts: runc instead of crun (cgroups in hybrid mode), ulimits the host
# allows, and no systemd. Respects a CONTAINERS_CONF that is already set.
configure_podman() {
  if [ -n "${CONTAINERS_CONF:-}" ]; then return; fi
  mkdir -p "$IMAGE_CACHE_DIR"
  cat > "$IMAGE_CACHE_DIR/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
events_logger = "file"
cgroup_manager = "cgroupfs"
EOF
  export CONTAINERS_CONF="$IMAGE_CACHE_DIR/containers.conf"
}

# The Debian mirror for debootstrap: $DEBIAN_MIRROR, or the one apt already uses
# (deb822 or one-line sources).
debian_mirror() {
  local mirror="${DEBIAN_MIRROR:-}"
  if [ -n "$mirror" ]; then printf '%s\n' "$mirror"; return; fi
  mirror="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' | grep -v security | head -n 1)"
  if [ -z "$mirror" ]; then
    mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '$1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2) }' | grep -v security | head -n 1)"
  fi
  printf '%s\n' "${mirror:-http://deb.debian.org/debian}"
}

# Seconds since the epoch with millisecond precision, for timings.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
