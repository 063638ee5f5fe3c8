# syntax=docker/dockerfile:1
#
# Airbyte source image for Intercom. One Dockerfile, two targets with the same contract:
#
#   docker build -t sourceintercom/source-intercom:dev .
#       The default target, `runtime`. The `build` stage runs `npm ci`,
#       `npm run build:connector` (the connector package alone: src/ and spec.json)
#       and `npm prune --omit=dev`, and `runtime` copies the result.
#
#   scripts/image/build.sh   (podman build --target prebuilt ...)
#       For machines that cannot reach a registry. It compiles on the host, puts
#       dist/, the production node_modules and package.json in a temporary context,
#       and builds the `prebuilt` target. Nothing there depends on `build`, so it is skipped.
#
# Both targets start from `runtime-base`, which holds the whole Airbyte contract (user,
# /airbyte, WORKDIR, ENTRYPOINT, AIRBYTE_ENTRYPOINT, labels). Stages are chosen by
# --target, not through a build argument in FROM: podman 4.3 (buildah 1.28) ignores
# ARG defaults when it decides which stages to skip. Unused stages are skipped by
# BuildKit (the default since Docker 23) and buildah. The legacy builder builds every
# stage, and `prebuilt` fails there.
# Keep the labels in step with metadata.yaml; test/image/metadata.test.ts checks them.

ARG NODE_IMAGE=node:22-slim

# ---- build: compile from source and keep only the runtime dependencies --------------
FROM ${NODE_IMAGE} AS build
WORKDIR /build
COPY package.json package-lock.json ./
# The workspaces (simulator/, tools/, ...) are not in the context; npm ci installs the root only.
# Optional dependencies stay out: the DuckDB destination (and its ~70 MB native binary) serves only the npm CLI's sync.
RUN npm ci --omit=optional --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json spec.json ./
COPY src/ src/
# The .d.ts files serve the tools' type-check; the image leaves them out, as the npm package does.
RUN npm run build:connector \
 && npm prune --omit=dev --omit=optional --no-audit --no-fund \
 && mkdir -p /out/dist \
 && cp -R dist/src dist/spec.json /out/dist/ \
 && find /out/dist -name '*.d.ts' -delete \
 && cp -R node_modules package.json package-lock.json spec.json /out/

# ---- runtime-base: everything but the application ----------------------------------
FROM ${NODE_IMAGE} AS runtime-base
# The upstream node image has a `node` user (uid 1000); Airbyte expects `airbyte`.
# A fixed uid lets Kubernetes admins set runAsUser/fsGroup to match.
RUN groupadd --gid 10001 airbyte \
 && useradd --uid 10001 --gid airbyte --home-dir /airbyte --no-create-home \
      --shell /usr/sbin/nologin airbyte \
 && mkdir -p /airbyte/integration_code \
 && chown airbyte:airbyte /airbyte /airbyte/integration_code
WORKDIR /airbyte/integration_code
ENV NODE_ENV=production
# glibc's mmap threshold stays fixed, so freed large blocks go back to the system; see src/bin/node-flags.ts.
ENV MALLOC_MMAP_THRESHOLD_=131072
# Absolute paths: the platform may run the image from another working directory.
# --max-semi-space-size keeps peak memory flat; src/bin/node-flags.ts has the same flags.
ENV AIRBYTE_ENTRYPOINT="/usr/local/bin/node --max-semi-space-size=4 /airbyte/integration_code/dist/src/bin/source-intercom.js"
ENTRYPOINT ["/usr/local/bin/node", "--max-semi-space-size=4", "/airbyte/integration_code/dist/src/bin/source-intercom.js"]
LABEL io.airbyte.name="sourceintercom/source-intercom"
LABEL io.airbyte.version="0.1.0"
# COPY below still writes root-owned files: the connector cannot modify its own code.
USER airbyte

# ---- prebuilt: the application from a context made by scripts/image/build.sh ---------
FROM runtime-base AS prebuilt
COPY dist/src/ dist/src/
COPY dist/spec.json dist/
COPY node_modules/ node_modules/
COPY package.json package-lock.json spec.json ./
# Fail the build now, not in a sync, if the application is incomplete.
RUN /usr/local/bin/node /airbyte/integration_code/dist/src/bin/source-intercom.js spec > /dev/null

# ---- runtime (the default target): the application from the build stage ---------------
FROM runtime-base AS runtime
COPY --from=build /out/ ./
RUN /usr/local/bin/node /airbyte/integration_code/dist/src/bin/source-intercom.js spec > /dev/null
