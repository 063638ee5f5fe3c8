#!/usr/bin/env bash
# Builds the connector image with podman, with no registry needed.
#
#   scripts/image/build.sh
#       The default. Uses the host's `npm run build` output: dist/src, dist/spec.json,
#       the production dependencies from node_modules and package.json, in a temporary
#       context. Builds the Dockerfile's `prebuilt` target, so its `build` stage is skipped.
#   scripts/image/build.sh --from-source
#       The Dockerfile's default target, as Docker would build it elsewhere: the `build`
#       stage runs npm ci and npm run build inside the container. The host must reach
#       the npm registry.
#
# Both use the local stand-in base image (scripts/image/base.sh) for the Dockerfile's
# NODE_IMAGE, and tag the result $IMAGE (default docker.io/<dockerRepository>:dev).
# Needs root, podman and a built dist/ (run `npm run build` first).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

from_source=false
case "${1:-}" in
  --from-source) from_source=true ;;
  "") ;;
  *) die "usage: $0 [--from-source]" ;;
esac

configure_podman
cd "$REPO_ROOT"

if $from_source; then
  "$REPO_ROOT/scripts/image/base.sh" --npm
  ca=/etc/ssl/certs/ca-certificates.crt
  # Debian's node reads the system CA store, so the host's bundle (which may include a
  # proxy's CA) is mounted over the base's for `npm ci`.
  podman build --pull=never --network host \
    ${NODE_EXTRA_CA_CERTS:+-v "$NODE_EXTRA_CA_CERTS:$ca:ro"} \
    --build-arg NODE_IMAGE="$BASE_IMAGE_NPM" \
    -t "$IMAGE" -f Dockerfile .
  exit 0
fi

for f in dist/src/bin/source-intercom.js dist/spec.json package.json package-lock.json spec.json; do
  [ -f "$f" ] || die "$f is missing; run 'npm ci' and 'npm run build' first"
done
[ -d node_modules ] || die "node_modules is missing; run 'npm ci' first"
"$REPO_ROOT/scripts/image/base.sh"

context="$(mktemp -d "${TMPDIR:-/tmp}/source-intercom-context.XXXXXX")"
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/dist"
cp -R dist/src dist/spec.json "$context/dist/"
# The declarations are for the tools' type-check, not for the image (the package leaves them out too).
find "$context/dist" -name '*.d.ts' -delete
cp package.json package-lock.json spec.json "$context/"
# The production dependencies of the connector package: the closure of package.json's
# `dependencies` through the lockfile, resolved as node does (nested first, then up).
# Workspace packages (simulator/, tools/, ...) and their dependencies stay out. This gives
# the tree of the build stage's `npm prune --omit=dev` (except node_modules/.bin), without
# copying all of node_modules first, which is slow, and without the registry, which
# `npm prune` asks once dev packages are missing.
node -e 'const fs = require("fs");
  const packages = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages ?? {};
  const keep = new Set();
  const visit = (from, name) => {
    for (let base = from; ; ) {
      const key = (base ? base + "/" : "") + "node_modules/" + name;
      const meta = packages[key];
      if (meta && !meta.link) {
        if (keep.has(key)) return;
        keep.add(key);
        for (const dep of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies })) visit(key, dep);
        return;
      }
      if (!base) return;
      const at = base.lastIndexOf("/node_modules/");
      base = at < 0 ? "" : base.slice(0, at);
    }
  };
  for (const dep of Object.keys(packages[""]?.dependencies ?? {})) visit("", dep);
  const top = new Set([...keep].map((key) => {
    const parts = key.split("/");
    return parts.slice(0, parts[1].startsWith("@") ? 3 : 2).join("/");
  }));
  process.stdout.write([...top].filter((p) => fs.existsSync(p)).join("\0"));' \
  | xargs -0 -r cp -R --parents -t "$context"

podman build --pull=never --target prebuilt --build-arg NODE_IMAGE="$BASE_IMAGE" \
  -t "$IMAGE" -f "$REPO_ROOT/Dockerfile" "$context"
