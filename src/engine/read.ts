import type { Config } from '../config/config.js';
import { AuthenticationError } from '../http/errors.js';
import { asConnectorError, ConfigError, SystemError, type ConnectorError } from '../protocol/errors.js';
import type { Output } from '../protocol/output.js';
import type { ConfiguredAirbyteCatalog, ConfiguredAirbyteStream, JsonObject, JsonSchema } from '../protocol/types.js';
import { carriesDeletes, CDC_DELETED_AT, sourceCursor, streamCursor, type Source, type StreamDefinition } from './definition.js';
import { CustomAttributeTyper } from '../transform/custom-attributes.js';
import { projectorFor } from '../transform/project.js';
import { timestampPlan } from '../transform/timestamps.js';
import { conformerFor } from '../transform/conform.js';
import { nowSeconds } from '../util/time.js';
import type { IntercomClient } from '../http/client.js';
import { readCursor } from './cursor-state.js';
import type { HashPlan } from '../transform/hashing.js';
import { hashPlansFor, loadAttributes, streamSchema, type AttributeCatalog } from './discover.js';
import type { DeleteFeed } from './delete-feed.js';
import { SnapshotKeys } from './snapshot-keys.js';
import { runFamily, type FamilyEnvironment, type Member } from './family.js';
import { readerFor, type SourceReaders } from './readers.js';
import { ProgressReporter, type StreamOutcome } from './progress.js';
import { StreamSink } from './sink.js';
import { fetchWorkspace, type Workspace } from './workspace.js';

export interface ReadInput {
  config: Config;
  catalog: ConfiguredAirbyteCatalog;
  state: Map<string, JsonObject>;
  output: Output;
  client: IntercomClient;
  /** Every stream the connector offers. */
  streams: readonly StreamDefinition[];
  /** A reader per source kind, with its settings bound. */
  readers: SourceReaders;
  /** A checkpoint STATE at most every this many source records. */
  checkpointEvery: number;
  /** Producers of deletes beyond the scans, each run after its family's scan. */
  feeds?: readonly DeleteFeed[];
  /**
   * What `sync` asked for before the read, while it discovered: the custom
   * attributes its catalog was built from (the read asks again for none), and
   * the workspace, requested beside them. A failure of either fails the read
   * as its own request would.
   */
  preloaded?: { attributes: AttributeCatalog; workspace: Promise<Workspace> };
}

interface Selected {
  def: StreamDefinition;
  configured: ConfiguredAirbyteStream;
}

/**
 * `read`: every configured stream gets STARTED, RUNNING and then COMPLETE or
 * INCOMPLETE. Streams that share a source are read together from one scan;
 * sources run concurrently. A failing source fails only its own streams.
 * Resolves true when every stream completed.
 */
export async function runRead({ config, catalog, state, output, client, streams, readers, checkpointEvery, feeds = [], preloaded }: ReadInput): Promise<boolean> {
  const upperBound = nowSeconds();
  const { selected, rejected } = selectStreams(catalog, streams, output);
  let ok = rejected.length === 0;
  // What the stderr summary reports: every stream of the catalog, and each error with what to fix.
  const outcomes = new Map<string, StreamOutcome>();
  for (const { name, error } of rejected) outcomes.set(name || '(unnamed)', { status: 'NOT READ', errors: [...(outcomes.get(name)?.errors ?? []), error] });
  for (const s of selected) outcomes.set(s.def.name, { status: 'INCOMPLETE', errors: [] });
  for (const s of selected) output.streamStatus(s.def.name, 'STARTED');
  const progress = new ProgressReporter(output, client, selected.map((s) => s.def.name));
  const finish = (): boolean => {
    progress.end();
    // The requests this read made, for a destination's record of the sync (`_airbyte_syncs.requests` in DuckDB).
    output.analytics('intercom_requests', String(client.stats().sent));
    output.log('INFO', `Sync ${ok ? 'finished' : 'ended with errors'}: ${progress.summary()}`);
    output.say(progress.report(outcomes, ok));
    return ok;
  };
  if (selected.length === 0) return finish();

  const fail = (streams: Selected[], err: ConnectorError): void => {
    for (const s of streams) {
      output.error(err, s.def.name);
      output.streamStatus(s.def.name, 'INCOMPLETE');
      outcomes.get(s.def.name)!.errors.push(err);
    }
    ok = false;
  };

  const warned = new Set<string>();
  const warnOnce = (key: string, message: string): void => {
    if (warned.has(key)) return;
    warned.add(key);
    output.log('WARN', message);
  };

  let workspace;
  let attributes: AttributeCatalog;
  let hashing: Map<string, HashPlan>;
  try {
    workspace = await (preloaded?.workspace ?? fetchWorkspace(client));
    attributes = preloaded?.attributes ?? (await loadAttributes(client, selected.map((s) => s.def), (m) => output.log('WARN', m)));
    hashing = hashPlansFor(selected.map((s) => s.def), streams, attributes, config, (m) => output.log('WARN', m));
  } catch (err) {
    fail(selected, asConnectorError(err));
    return finish();
  }
  output.log('INFO', `Reading ${selected.length} streams from Intercom workspace "${workspace.name}" (time zone ${workspace.timeZone}).`);

  const env: FamilyEnvironment = {
    client,
    output,
    timeZone: workspace.timeZone,
    timeZoneKnown: workspace.timeZoneKnown,
    upperBound,
    startDate: config.startDate,
    lagSeconds: config.searchLagSeconds,
    checkpointEvery,
    warnOnce,
    appId: workspace.idCode,
    apiVersion: config.apiVersion,
    lookbackDays: config.lookbackDays,
  };

  const families = groupBySource(selected);

  progress.begin();
  let authFailed: ConnectorError | null = null;
  await Promise.all(
    [...families.values()].map(async ({ source, streams }) => {
      const members = streams.map((s) => member(s, config, state, attributes, hashing.get(s.def.name) ?? null, output, warnOnce));
      for (const s of streams) output.streamStatus(s.def.name, 'RUNNING');
      try {
        if (authFailed) throw authFailed;
        const failed = await runFamily(source, readerFor(readers, source), members, env, feeds.filter((f) => f.family === source.name));
        for (const s of streams) {
          const err = failed.get(s.def.name);
          if (err) {
            fail([s], err);
            continue;
          }
          output.streamStatus(s.def.name, 'COMPLETE');
          outcomes.get(s.def.name)!.status = 'COMPLETE';
        }
      } catch (err) {
        const e = asConnectorError(err);
        if (e instanceof AuthenticationError) authFailed = e;
        fail(streams, e);
      }
    }),
  );
  return finish();
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Matches the catalog to the streams this connector offers; reports every stream it cannot read. */
function selectStreams(
  catalog: ConfiguredAirbyteCatalog,
  streams: readonly StreamDefinition[],
  output: Output,
): { selected: Selected[]; rejected: Array<{ name: string; error: ConnectorError }> } {
  const selected: Selected[] = [];
  const rejected: Array<{ name: string; error: ConnectorError }> = [];
  const reject = (name: string, message: string): void => {
    const error = new ConfigError(message);
    output.error(error, name || undefined);
    rejected.push({ name, error });
  };
  for (const configured of catalog.streams) {
    const name = configured.stream.name;
    const def = streams.find((s) => s.name === name);
    if (!def) {
      reject(name, `The catalog asks for stream '${name}', which this connector does not offer. Run discover and refresh the catalog.`);
    } else if (!isObject(configured.stream.json_schema)) {
      reject(name, `Stream '${name}' in the catalog has no json_schema object. Run discover and copy each stream's json_schema into the configured catalog.`);
    } else if (configured.stream.json_schema.properties !== undefined && !isObject(configured.stream.json_schema.properties)) {
      reject(name, `Stream '${name}' in the catalog has a json_schema whose 'properties' is not an object. Run discover and copy the stream's json_schema again.`);
    } else if (configured.sync_mode !== 'full_refresh' && configured.sync_mode !== 'incremental') {
      reject(name, `Stream '${name}' has sync_mode '${String(configured.sync_mode)}'; use full_refresh or incremental.`);
    } else if (configured.sync_mode === 'incremental' && !streamCursor(def)) {
      reject(name, `Stream '${name}' supports only full_refresh: Intercom gives no cursor for it.`);
    } else if (selected.some((s) => s.def.name === name)) {
      reject(name, `The catalog lists stream '${name}' twice.`);
    } else {
      selected.push({ def, configured });
    }
  }
  return { selected, rejected };
}

/**
 * Streams read from one scan, keyed by the source's name: two declarations of
 * one source must agree, or one scan would serve streams that expect another.
 */
function groupBySource(selected: Selected[]): Map<string, { source: Source; streams: Selected[] }> {
  const families = new Map<string, { source: Source; streams: Selected[] }>();
  for (const s of selected) {
    const family = families.get(s.def.source.name);
    if (!family) {
      families.set(s.def.source.name, { source: s.def.source, streams: [s] });
    } else if (JSON.stringify(family.source) !== JSON.stringify(s.def.source)) {
      throw new SystemError(`Streams '${family.streams[0]!.def.name}' and '${s.def.name}' declare source '${s.def.source.name}' differently.`);
    } else {
      family.streams.push(s);
    }
  }
  return families;
}

/** Whether the configured schema carries the delete marker; a stream that should but does not is told once. */
function declaresDeletes(configured: ConfiguredAirbyteStream, def: StreamDefinition, warnOnce: (key: string, message: string) => void): boolean {
  if (!carriesDeletes(def)) return false;
  const properties = configured.stream.json_schema.properties;
  const declared = properties !== null && typeof properties === 'object' && CDC_DELETED_AT in properties;
  if (!declared) {
    warnOnce(
      `no-cdc:${def.name}`,
      `Stream '${def.name}': the configured catalog has no '${CDC_DELETED_AT}' column, so this sync writes no deletes for it. Refresh the source schema to receive deletes.`,
    );
  }
  return declared;
}

function member(
  { def, configured }: Selected,
  config: Config,
  state: Map<string, JsonObject>,
  attributes: AttributeCatalog,
  hashing: HashPlan | null,
  output: Output,
  warnOnce: (key: string, message: string) => void,
): Member {
  const previousState = state.get(def.name) ?? {};
  const cursorKey = sourceCursor(def.source);
  const previousCursor = configured.sync_mode === 'incremental' && cursorKey ? readCursor(previousState, cursorKey) : null;
  const lowerBound = previousCursor === null ? config.startDate : Math.max(config.startDate, previousCursor - config.lookbackDays * 86400);
  const cursor = streamCursor(def);
  if (def.customAttributes) {
    const missing = missingCustomColumns(streamSchema(def, attributes, config, hashing ?? undefined), def.schema, configured.stream.json_schema);
    if (missing.length > 0) {
      warnOnce(
        `${def.name}:stale-catalog`,
        `${def.name}: the configured catalog lacks ${missing.length} custom-attribute column${missing.length > 1 ? 's' : ''} that discover gives now ` +
          `(${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}); they are not read. Run discover again and refresh the catalog to get them.`,
      );
    }
  }
  // A hashed field's value is never quoted: only its type is.
  const quoted = (field: readonly string[] | null, value: unknown): string =>
    hashing && field && hashing.touches(field) ? `a ${Array.isArray(value) ? 'array' : typeof value} (hashed, not shown)` : JSON.stringify(value).slice(0, 80);
  const shown = (name: string, value: unknown): string => quoted(typer?.fieldOf(name) ?? null, value);
  const typer: CustomAttributeTyper | null = def.customAttributes
    ? new CustomAttributeTyper(def.schema, attributes.get(def.customAttributes) ?? [], config.customAttributes, (name, value, kind) =>
        warnOnce(
          `${def.name}:${name}`,
          `${def.name}: custom attribute '${name}' is declared ${kind} but a record has ${shown(name, value)}; such values are passed through unchanged.`,
        ),
      )
    : null;
  return {
    def,
    // The key and the cursor are kept whatever the catalog selects: without them no row can be placed.
    sink: new StreamSink(
      def.name,
      output,
      projectorFor(configured.stream.json_schema, [...def.primaryKey, ...(cursor ? [cursor] : [])]),
      typer,
      conformerFor(def.schema, (path, value, expected) =>
        warnOnce(
          `${def.name}:type:${path}`,
          `${def.name}: field '${path}' is declared ${expected} but a record has ${quoted(path.replace(/\[\]/g, '').split('.'), value)}, which cannot be converted without loss; such values are passed through unchanged.`,
        ),
      ),
      config.timestampFormat === 'iso8601' ? timestampPlan(def.schema) : null,
      hashing,
    ),
    lowerBound,
    previousCursor,
    previousState: configured.sync_mode === 'incremental' ? previousState : {},
    takesTombstones: configured.sync_mode === 'incremental' && declaresDeletes(configured, def, warnOnce),
    snapshot: configured.sync_mode === 'incremental' && def.history === 'snapshot' ? new SnapshotKeys(def, previousState, nowSeconds()) : null,
  };
}

/**
 * Custom-attribute columns the current discover gives and a configured
 * schema lacks: flattened `custom_*` columns, or keys under a selected
 * `custom_attributes`. Declared columns a user left out are a selection, not
 * a stale catalog, and are not reported.
 */
export function missingCustomColumns(current: JsonSchema, declared: JsonSchema, configured: JsonSchema): string[] {
  const props = (s: unknown): JsonObject => (isObject(s) && isObject(s.properties) ? s.properties : {});
  const now = props(current);
  const given = props(configured);
  const base = props(declared);
  const flattened = Object.keys(now).filter((k) => !(k in base) && !(k in given));
  const nested = 'custom_attributes' in given ? Object.keys(props(now.custom_attributes)).filter((k) => !(k in props(given.custom_attributes))) : [];
  return [...flattened, ...nested.map((k) => `custom_attributes.${k}`)];
}
