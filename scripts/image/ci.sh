#!/usr/bin/env bash
# Builds the connector image and runs it for real with podman, as CI does on a fresh
# Debian machine running as root:
#   1. installs podman, debootstrap, runc and uidmap (skipped when present),
#   2. applies the podman settings these hosts need (scripts/image/lib.sh),
#   3. makes the stand-in base image (scripts/image/base.sh; tarball cached in
#      $IMAGE_CACHE_DIR, default /var/cache/source-intercom-image),
#   4. builds the image (scripts/image/build.sh) from the host's dist/ and node_modules,
#   5. checks the image contract (ENTRYPOINT, AIRBYTE_ENTRYPOINT, labels, USER),
#   6. runs spec, check, check with a wrong token, discover and read through `podman run`,
#      against the simulator started on the host (--network host).
# Prints one "PASS: ..." or "FAIL: ..." line per check, "TIME: ..." lines and a final
# "SUMMARY: N passed, M failed". Exits non-zero if any check fails.
# test/image/image.test.ts runs this script and asserts on those lines.
#
# Environment:
#   IMAGE_TEST_API_URL=URL  use a fake Intercom already listening at URL (token sim-token)
#                           instead of starting simulator/dist/cli.js
#   IMAGE_FROM_SOURCE=1     build through the Dockerfile's `build` stage (npm ci inside
#                           the container; needs the npm registry)
#   IMAGE, IMAGE_CACHE_DIR, DEBIAN_MIRROR, CONTAINERS_CONF: see scripts/image/lib.sh
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT" || exit 1

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS: %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL: %s%s\n' "$1" "${2:+ -- $2}"; }
info() { printf 'INFO: %s\n' "$*"; }
timing() { printf 'TIME: %s %s s\n' "$1" "$2"; }
finish() {
  timing total "$(elapsed "$started")"
  printf 'SUMMARY: %d passed, %d failed\n' "$passed" "$failed"
  [ "$failed" -eq 0 ]
  exit
}
# A step that later checks depend on failed: report it and stop.
fatal() { fail "$1" "$2"; finish; }
# The last lines of a log, on one line, for a FAIL detail.
tail_of() { tail -n "${2:-3}" "$1" 2>/dev/null | tr '\n' ' ' | cut -c1-400; }

started="$(now)"
work="$(mktemp -d "${TMPDIR:-/tmp}/source-intercom-image-ci.XXXXXX")"
sim_pid=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2> /dev/null; wait "$sim_pid" 2> /dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
# Signals end the script through `exit`, so that the EXIT trap stops the simulator.
trap 'exit 130' INT
trap 'exit 143' TERM

# Evaluates a JavaScript expression over named inputs: NAME=FILE.json is parsed JSON,
# NAME=FILE.out is a summary of the Airbyte messages on a connector's stdout.
# Exits 0 when the expression is true; otherwise prints what it saw.
cat > "$work/judge.mjs" <<'EOF'
import { readFileSync } from 'node:fs';
const [expr, ...inputs] = process.argv.slice(2);
function messages(path) {
  const s = { lines: 0, nonJson: [], count: {}, records: {}, states: {}, statuses: {}, errors: [],
    connectionStatus: [], specs: [], catalogs: [] };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    s.lines += 1;
    let m;
    try { m = JSON.parse(line); } catch { s.nonJson.push(line.slice(0, 80)); continue; }
    s.count[m.type] = (s.count[m.type] ?? 0) + 1;
    if (m.type === 'RECORD') s.records[m.record.stream] = (s.records[m.record.stream] ?? 0) + 1;
    if (m.type === 'STATE') {
      const name = m.state?.stream?.stream_descriptor?.name ?? `(${m.state?.type})`;
      s.states[name] = (s.states[name] ?? 0) + 1;
    }
    if (m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS') {
      (s.statuses[m.trace.stream_status.stream_descriptor.name] ??= []).push(m.trace.stream_status.status);
    }
    if (m.type === 'TRACE' && m.trace.type === 'ERROR') s.errors.push(m.trace.error.message);
    if (m.type === 'CONNECTION_STATUS') s.connectionStatus.push(m.connectionStatus.status);
    if (m.type === 'SPEC') s.specs.push(m.spec);
    if (m.type === 'CATALOG') s.catalogs.push(m.catalog);
  }
  return s;
}
const vars = {};
for (const input of inputs) {
  const at = input.indexOf('=');
  const [name, path] = [input.slice(0, at), input.slice(at + 1)];
  vars[name] = path.endsWith('.out') ? messages(path) : JSON.parse(readFileSync(path, 'utf8'));
}
let ok = false;
try {
  ok = Boolean(new Function(...Object.keys(vars), `return (${expr});`)(...Object.values(vars)));
} catch (err) {
  console.log(String(err));
}
if (!ok) {
  const seen = Object.entries(vars).map(([k, v]) => {
    if (!v || v.lines === undefined) return `${k}: ${JSON.stringify(v).slice(0, 200)}`;
    const { specs, catalogs, ...rest } = v;
    return `${k}: ${JSON.stringify({ ...rest, specs: specs.length, catalogs: catalogs.length }).slice(0, 300)}`;
  });
  console.log(seen.join('; '));
}
process.exit(ok ? 0 : 1);
EOF
# judge NAME EXPRESSION INPUT...: one PASS or FAIL line.
judge() {
  local name="$1" expr="$2" detail
  shift 2
  if detail="$(node "$work/judge.mjs" "$expr" "$@" 2>&1)"; then pass "$name"; else fail "$name" "$detail"; fi
}

# ---- 1. tools -------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || fatal "tools" "run as root: rootful podman, apt-get and debootstrap need it"
t0="$(now)"
packages=(podman debootstrap runc uidmap)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
    > "$work/apt.log" 2>&1 || fatal "tools: ${packages[*]} installed" "$(tail_of "$work/apt.log")"
fi
pass "tools: ${packages[*]} installed${missing[*]:+ (installed now: ${missing[*]})}"
version() { dpkg-query -W -f='${Version}' "$1"; }
info "podman $(version podman), debootstrap $(version debootstrap), runc $(version runc), uidmap $(version uidmap)"
timing tools "$(elapsed "$t0")"

# ---- 2-4. podman settings, base image, build --------------------------------------------
configure_podman
info "CONTAINERS_CONF=$CONTAINERS_CONF"
t0="$(now)"
if [ "${IMAGE_FROM_SOURCE:-0}" = 1 ]; then base_args=(--npm); base_name="$BASE_IMAGE_NPM"; else base_args=(); base_name="$BASE_IMAGE"; fi
"$REPO_ROOT/scripts/image/base.sh" "${base_args[@]}" > "$work/base.log" 2>&1 \
  || fatal "base image: $base_name" "$(tail_of "$work/base.log" 5)"
pass "base image: $base_name"
timing base "$(elapsed "$t0")"

t0="$(now)"
if [ "${IMAGE_FROM_SOURCE:-0}" = 1 ]; then
  build_args=(--from-source)
else
  build_args=()
  if [ ! -f dist/src/bin/source-intercom.js ]; then
    npm run build > "$work/npm-build.log" 2>&1 || fatal "build: $IMAGE" "npm run build failed: $(tail_of "$work/npm-build.log")"
  fi
fi
"$REPO_ROOT/scripts/image/build.sh" "${build_args[@]}" > "$work/build.log" 2>&1 \
  || fatal "build: $IMAGE" "$(tail_of "$work/build.log" 5)"
pass "build: $IMAGE${build_args[*]:+ (${build_args[*]})}"
timing build "$(elapsed "$t0")"

# ---- 5. the image contract (Airbyte reads it from the image config) ----------------------
t0="$(now)"
podman image inspect "$IMAGE" --format '{{json .Config}}' > "$work/image-config.json" 2> "$work/inspect.err" \
  || fatal "contract: image config" "$(tail_of "$work/inspect.err")"
node -e 'const y = require("yaml"); const fs = require("fs");
  fs.writeFileSync(process.argv[1], JSON.stringify(y.parse(fs.readFileSync("metadata.yaml", "utf8")).data));' \
  "$work/metadata.json" || fatal "contract: metadata.yaml readable" "node could not parse metadata.yaml"
info "image config: $(cat "$work/image-config.json")"

judge "contract: ENTRYPOINT is node and the connector script, by absolute paths" \
  'c.Entrypoint.length >= 2 && c.Entrypoint[0].startsWith("/") && c.Entrypoint.at(-1).startsWith("/") && c.Entrypoint.at(-1).endsWith("/dist/src/bin/source-intercom.js")' \
  c="$work/image-config.json"
# shellcheck disable=SC2016 # a JavaScript template literal, not a shell expansion
judge "contract: AIRBYTE_ENTRYPOINT equals the ENTRYPOINT joined by spaces" \
  'c.Env.includes(`AIRBYTE_ENTRYPOINT=${c.Entrypoint.join(" ")}`)' c="$work/image-config.json"
judge "contract: label io.airbyte.name equals metadata.yaml dockerRepository" \
  'c.Labels["io.airbyte.name"] === m.dockerRepository' c="$work/image-config.json" m="$work/metadata.json"
judge "contract: label io.airbyte.version equals metadata.yaml dockerImageTag" \
  'c.Labels["io.airbyte.version"] === m.dockerImageTag' c="$work/image-config.json" m="$work/metadata.json"
judge "contract: USER airbyte, WORKDIR /airbyte/integration_code" \
  'c.User === "airbyte" && c.WorkingDir === "/airbyte/integration_code"' c="$work/image-config.json"

podman run --rm --network none --entrypoint /bin/sh "$IMAGE" -c \
  'id -un; touch /airbyte/.write-probe && rm /airbyte/.write-probe && echo writable; node --version' \
  > "$work/user.txt" 2>&1
if [ "$(sed -n 1,2p "$work/user.txt" | tr '\n' ' ')" = "airbyte writable " ]; then
  pass "contract: runs as airbyte, and /airbyte is writable"
else
  fail "contract: runs as airbyte, and /airbyte is writable" "$(tail_of "$work/user.txt")"
fi
info "node in the image: $(sed -n 3p "$work/user.txt")"

# The DuckDB destination (an optional dependency for the npm CLI's sync) must not reach the image.
leftovers="$(podman run --rm --network none --entrypoint /bin/sh "$IMAGE" -c \
  'ls -d node_modules/@duckdb node_modules/intercom-destination-duckdb 2>/dev/null || true')"
if [ -z "$leftovers" ]; then
  pass "size: the image holds no DuckDB destination or native binary"
else
  fail "size: the image holds no DuckDB destination or native binary" "$leftovers"
fi

# ---- 6. the protocol commands through podman run -------------------------------------------
# spec needs no config and no network, and must not depend on the working directory.
podman run --rm --network none -w / "$IMAGE" spec > "$work/spec.out" 2> "$work/spec.err"
rc=$?
judge "spec: exit 0, one SPEC equal to spec.json, stdout only protocol messages (no network, workdir /)" \
  "$rc === 0 && o.nonJson.length === 0 && o.specs.length === 1 && JSON.stringify(o.specs[0]) === JSON.stringify(s)" \
  o="$work/spec.out" s="$REPO_ROOT/spec.json"

if [ -n "${IMAGE_TEST_API_URL:-}" ]; then
  api_url="$IMAGE_TEST_API_URL"
  pass "simulator: using IMAGE_TEST_API_URL $api_url"
else
  [ -f simulator/dist/cli.js ] || fatal "simulator: started" "simulator/dist/cli.js is missing (npm run build)"
  port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
  node simulator/dist/cli.js --port "$port" --seed 1 --print-url > "$work/sim.out" 2> "$work/sim.err" &
  sim_pid=$!
  for _ in $(seq 1 200); do
    [ -s "$work/sim.out" ] && break
    kill -0 "$sim_pid" 2> /dev/null || break
    sleep 0.1
  done
  api_url="$(head -n 1 "$work/sim.out" 2> /dev/null)"
  [ -n "$api_url" ] || fatal "simulator: started" "no URL on its stdout: $(tail_of "$work/sim.err")"
  pass "simulator: started at $api_url (seed 1)"
fi

# The configs are the acceptance-test ones with the simulator's real address.
# Readable by the image's airbyte user: directory 755, files 644.
mkdir -p "$work/data"
for f in sample_config invalid_config; do
  node -e 'const fs = require("fs"); const c = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    c.api_base_url = process.argv[2]; fs.writeFileSync(process.argv[3], JSON.stringify(c));' \
    "integration_tests/$f.json" "$api_url" "$work/data/$f.json"
done
chmod 755 "$work/data" && chmod 644 "$work/data"/*.json
connector() { # connector NAME ARGS...: runs the image with /data mounted; stdout to NAME.out
  local name="$1"
  shift
  podman run --rm --network host -v "$work/data:/data:ro" "$IMAGE" "$@" > "$work/$name.out" 2> "$work/$name.err"
}

connector check check --config /data/sample_config.json
rc=$?
judge "check: exit 0 and one CONNECTION_STATUS SUCCEEDED" \
  "$rc === 0 && o.nonJson.length === 0 && o.connectionStatus.join() === 'SUCCEEDED'" o="$work/check.out"

connector check-invalid check --config /data/invalid_config.json
rc=$?
judge "check with a wrong token: exit 0 and one CONNECTION_STATUS FAILED" \
  "$rc === 0 && o.nonJson.length === 0 && o.connectionStatus.join() === 'FAILED'" o="$work/check-invalid.out"

connector discover discover --config /data/sample_config.json
rc=$?
judge "discover: exit 0 and one CATALOG that offers admins and teams" \
  "$rc === 0 && o.nonJson.length === 0 && o.catalogs.length === 1 && ['admins', 'teams'].every((n) => o.catalogs[0].streams.some((s) => s.name === n))" \
  o="$work/discover.out"

# A small catalog: two full-refresh streams, as discovered.
node -e 'const fs = require("fs");
  const catalog = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))
    .find((m) => m.type === "CATALOG")?.catalog ?? { streams: [] };
  const streams = catalog.streams.filter((s) => ["admins", "teams"].includes(s.name))
    .map((stream) => ({ stream, sync_mode: "full_refresh", destination_sync_mode: "overwrite" }));
  fs.writeFileSync(process.argv[2], JSON.stringify({ streams }));' \
  "$work/discover.out" "$work/data/catalog.json" 2> /dev/null || printf '{"streams":[]}' > "$work/data/catalog.json"
chmod 644 "$work/data/catalog.json"
connector read read --config /data/sample_config.json --catalog /data/catalog.json
rc=$?
judge "read: exit 0, admins records, a STATE and STARTED..COMPLETE for each stream, no ERROR trace" \
  "$rc === 0 && o.nonJson.length === 0 && o.errors.length === 0 && (o.records.admins ?? 0) > 0 &&
   ['admins', 'teams'].every((n) => o.states[n] > 0 && o.statuses[n]?.[0] === 'STARTED' && o.statuses[n]?.at(-1) === 'COMPLETE')" \
  o="$work/read.out"
info "read: $(node -e 'const l = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
  const c = {}; for (const x of l) { try { const m = JSON.parse(x); if (m.type === "RECORD") c[m.record.stream] = (c[m.record.stream] ?? 0) + 1; } catch {} }
  console.log(JSON.stringify(c));' "$work/read.out" 2> /dev/null) records"

connector missing-config check --config /data/no-such-file.json
rc=$?
judge "errors: a missing config file gives an ERROR trace and a non-zero exit through podman" \
  "$rc !== 0 && o.nonJson.length === 0 && o.errors.length === 1" o="$work/missing-config.out"
timing run "$(elapsed "$t0")"

finish
