/**
 * metadata.yaml against Airbyte's official schema (the copy in vendor/airbyte-metadata),
 * and the Dockerfile, package.json, spec.json and the connector's code against
 * metadata.yaml: the Docker image contract Airbyte checks (labels, AIRBYTE_ENTRYPOINT,
 * user, /airbyte), the version, the allowed hosts and the suggested streams.
 * The image itself is built and run in image.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { NODE_ENVIRONMENT, NODE_FLAGS } from '../../src/bin/node-flags.js';
import { REGION_HOSTS } from '../../src/config/config.js';
import { createAjv } from '../../src/util/ajv.js';
import { STREAMS } from '../../src/streams/registry.js';
import { findRepoRoot, vendorFile } from '../support/vendor.js';
import { all, allAlong, lineage, parseDockerfile, parsePairs } from './dockerfile.js';

const root = findRepoRoot();
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

interface Metadata {
  metadataSpecVersion: unknown;
  data: {
    dockerRepository: string;
    dockerImageTag: string;
    documentationUrl: string;
    protocolVersion?: string;
    allowedHosts?: { hosts?: string[] };
    suggestedStreams?: { streams?: string[] };
    maxSecondsBetweenMessages?: number;
    tags?: string[];
    [key: string]: unknown;
  };
}

const metadata = parseYaml(read('metadata.yaml')) as Metadata;
const pkg = JSON.parse(read('package.json')) as { version: string; bin: Record<string, string>; engines: { node: string } };
const spec = JSON.parse(read('spec.json')) as {
  documentationUrl: string;
  protocol_version: string;
  connectionSpecification: { properties: Record<string, { maximum?: number }> };
};
const dockerfile = parseDockerfile(read('Dockerfile'));

/** The official metadata schema, loaded as vendor/airbyte-metadata/README.md shows. */
function metadataValidator(): ValidateFunction {
  const dir = vendorFile('airbyte-metadata');
  const base = 'https://airbyte-metadata.local/v0/';
  const jsonTypes = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
  // Upstream quirk: ConnectorMetrics.yaml uses `type: ConnectorMetric`, which is no JSON type.
  const dropBadTypes = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(dropBadTypes);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record['type'] === 'string' && !jsonTypes.has(record['type'])) delete record['type'];
    Object.values(record).forEach(dropBadTypes);
  };
  const ajv = createAjv({ strict: true });
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    const schema = parseYaml(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    // The upstream $id values do not resolve the bare-file-name $refs; a common base does.
    schema['$id'] = base + file;
    dropBadTypes(schema);
    ajv.addSchema(schema);
  }
  const validate = ajv.getSchema(base + 'ConnectorMetadataDefinitionV0.yaml');
  if (!validate) throw new Error(`No ConnectorMetadataDefinitionV0.yaml in ${dir}`);
  return validate;
}

t.test('metadata.yaml is valid against Airbyte’s metadata schema', async (t) => {
  const validate = metadataValidator();
  t.ok(validate(metadata), 'metadata.yaml validates');
  t.same(validate.errors ?? [], [], 'no schema errors');

  // The validator must be able to fail, or the check above proves nothing.
  const broken = structuredClone(metadata);
  broken.data['definitionId'] = 'not-a-uuid';
  broken.data['unknownKey'] = true;
  t.notOk(validate(broken), 'a bad uuid and an unknown key are rejected');
  t.equal(typeof metadata.metadataSpecVersion, 'string', 'metadataSpecVersion is a string (quoted)');
});

t.test('metadata.yaml agrees with package.json, spec.json and the connector', async (t) => {
  const { data } = metadata;
  t.equal(data.dockerImageTag, pkg.version, 'dockerImageTag is the package.json version');
  t.notMatch(data.dockerRepository, /^airbyte\//, 'dockerRepository is not under airbyte/');
  t.equal(data.documentationUrl, spec.documentationUrl, 'documentationUrl is the one spec.json gives');
  t.equal(data.protocolVersion, spec.protocol_version, 'protocolVersion is the one spec.json gives');
  t.ok(data.tags?.includes('language:typescript'), 'tagged language:typescript');

  const hosts = data.allowedHosts?.hosts ?? [];
  for (const [region, url] of Object.entries(REGION_HOSTS)) {
    t.ok(hosts.includes(new URL(url).hostname), `allowedHosts has the ${region} host ${new URL(url).hostname}`);
  }
  for (const host of hosts.filter((h) => h.includes('${'))) {
    // The platform substitutes ${path} with the config value at that path (dotted).
    const path = /^\$\{([\w.]+)\}$/.exec(host)?.[1];
    t.ok(path && path.split('.')[0]! in spec.connectionSpecification.properties, `${host} names a config field`);
  }

  const offered = new Set(STREAMS.map((s) => s.name));
  const suggested = data.suggestedStreams?.streams ?? [];
  t.ok(suggested.length > 0, 'suggestedStreams is not empty');
  for (const name of suggested) t.ok(offered.has(name), `suggested stream ${name} is a stream the connector offers`);

  // Before its first progress line, a read may wait for one request: up to the longest
  // request timeout the spec allows, after a rate-limit window (one minute).
  const longestRequest = spec.connectionSpecification.properties['request_timeout_seconds']?.maximum;
  t.type(longestRequest, 'number', 'spec.json caps request_timeout_seconds');
  t.ok(
    Number.isInteger(data.maxSecondsBetweenMessages) && data.maxSecondsBetweenMessages! > longestRequest! + 60,
    `maxSecondsBetweenMessages (${data.maxSecondsBetweenMessages}) exceeds the longest request (${longestRequest} s) plus a rate-limit window`,
  );
});

/** The targets an image is built from: the default (last stage) and scripts/image/build.sh's. */
const TARGETS = [dockerfile.stages.at(-1)!.name!, 'prebuilt'];

for (const target of TARGETS) {
  t.test(`the Dockerfile target ${target} meets the Airbyte image contract of metadata.yaml`, async (t) => {
    const stages = lineage(dockerfile, target);
    t.ok(stages.length > 0, `target ${target} exists`);
    const last = (keyword: string): string | undefined => allAlong(stages, keyword).at(-1)?.args;

    const labels = new Map(allAlong(stages, 'LABEL').flatMap((i) => [...parsePairs(i.args)]));
    t.equal(labels.get('io.airbyte.name'), metadata.data.dockerRepository, 'label io.airbyte.name is dockerRepository');
    t.equal(labels.get('io.airbyte.version'), metadata.data.dockerImageTag, 'label io.airbyte.version is dockerImageTag');

    const entrypointText = last('ENTRYPOINT') ?? '';
    let entrypoint: unknown;
    try {
      entrypoint = JSON.parse(entrypointText);
    } catch {
      entrypoint = undefined;
    }
    t.ok(Array.isArray(entrypoint), `ENTRYPOINT is in exec (JSON) form: ${entrypointText}`);
    const words = Array.isArray(entrypoint) ? (entrypoint as string[]) : [];
    t.ok(words.length >= 2 && words[0]!.startsWith('/') && words.at(-1)!.startsWith('/'), 'ENTRYPOINT uses absolute paths');
    t.same(words.slice(1, -1), NODE_FLAGS, 'node runs with the flags src/bin/node-flags.ts names');
    const env = new Map(allAlong(stages, 'ENV').flatMap((i) => [...parsePairs(i.args)]));
    t.equal(env.get('AIRBYTE_ENTRYPOINT'), words.join(' '), 'AIRBYTE_ENTRYPOINT is the ENTRYPOINT joined by spaces');
    for (const [name, value] of Object.entries(NODE_ENVIRONMENT)) t.equal(env.get(name), value, `the image sets ${name} as src/bin/node-flags.ts names it`);

    const workdir = last('WORKDIR');
    t.equal(workdir, '/airbyte/integration_code', 'WORKDIR is /airbyte/integration_code');
    t.equal(words.at(-1), `${workdir}/${pkg.bin['source-intercom']}`, 'the ENTRYPOINT runs the package.json bin from WORKDIR');

    t.equal(last('USER'), 'airbyte', 'the image runs as user airbyte');
    const runs = allAlong(stages, 'RUN').map((i) => i.args);
    t.ok(runs.some((r) => /\buseradd\b[^&]*\bairbyte\b/.test(r)), 'a RUN creates the airbyte user');
    t.ok(runs.some((r) => /\bchown\b[^&]*airbyte(:airbyte)?\s+\/airbyte\b/.test(r)), 'a RUN gives /airbyte to airbyte');
  });
}

t.test('the Dockerfile is a multi-stage build that compiles by default', async (t) => {
  const { stages, args } = dockerfile;
  t.ok(stages.length >= 2, `${stages.length} stages`);

  const nodeImage = args.get('NODE_IMAGE') ?? '';
  const major = Number(/^node:(\d+)-slim$/.exec(nodeImage)?.[1]);
  const minimum = Number(/^>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);
  t.ok(major >= minimum, `the base image ${nodeImage} satisfies engines.node ${pkg.engines.node}`);

  // A plain `docker build .` builds the last stage: it must copy the application from a
  // stage that compiles it from source.
  const runtime = lineage(dockerfile, stages.at(-1)!.name ?? '');
  t.equal(runtime[0]?.from, nodeImage, 'the default target starts from the node image');
  const sources = allAlong(runtime, 'COPY').map((i) => /--from=(\S+)/.exec(i.args)?.[1]).filter((s) => s !== undefined);
  t.equal(sources.length, 1, 'the default target copies the application from one other stage');
  const producer = stages.find((s) => s.name === sources[0]);
  t.ok(producer, `stage ${sources[0]} exists`);
  const script = all(producer ?? { from: '', name: undefined, instructions: [] }, 'RUN').map((i) => i.args).join(' && ');
  t.match(script, /\bnpm ci\b/, `${producer?.name} runs npm ci`);
  t.match(script, /\bnpm run build\b/, `${producer?.name} runs npm run build`);
  t.match(script, /npm (prune|ci) --omit=dev/, `${producer?.name} keeps only production dependencies`);

  // scripts/image/build.sh builds --target prebuilt: the same base, the same files.
  const prebuilt = lineage(dockerfile, 'prebuilt');
  t.same(
    prebuilt.slice(0, -1).map((s) => s.name),
    runtime.slice(0, -1).map((s) => s.name),
    'prebuilt and the default target share their base stages',
  );
  const own = prebuilt.at(-1)?.instructions ?? [];
  t.same([...new Set(own.map((i) => i.keyword))].sort(), ['COPY', 'RUN'], 'prebuilt only adds files (and a smoke run)');
  const fromBuild = new Set([...script.matchAll(/cp -R ([^&]+?) \/out\S*/g)].flatMap((m) => m[1]!.trim().split(/\s+/)));
  const fromHost = new Set(
    own
      .filter((i) => i.keyword === 'COPY')
      .flatMap((i) => i.args.split(/\s+/).filter((w) => !w.startsWith('--')).slice(0, -1).map((p) => p.replace(/\/$/, ''))),
  );
  t.same([...fromHost].sort(), [...fromBuild].sort(), 'the build stage and prebuilt provide the same files');
});

t.test('the bin runs with the same node flags and environment as the image', async (t) => {
  const shebang = readFileSync(join(root, 'src', 'bin', 'source-intercom.ts'), 'utf8').split('\n')[0]!;
  const assignments = Object.entries(NODE_ENVIRONMENT).map(([name, value]) => `${name}=${value}`);
  t.equal(shebang, `#!/usr/bin/env -S ${[...assignments, 'node', ...NODE_FLAGS].join(' ')}`);
  // The destination's own bin (`destination-duckdb write`) starts with the same environment.
  const destination = readFileSync(join(root, 'destination-duckdb', 'src', 'cli.ts'), 'utf8').split('\n')[0]!;
  t.equal(destination, `#!/usr/bin/env -S ${[...assignments, 'node'].join(' ')}`);
});
