import type { Config } from '../config/config.js';
import { AuthenticationError } from '../http/errors.js';
import { asConnectorError, ConfigError, SystemError, type ConnectorError } from '../protocol/errors.js';
import type { Output } from '../protocol/output.js';
import type { ConfiguredAirbyteCatalog, ConfiguredAirbyteStream, JsonObject } from '../protocol/types.js';
import { sourceCursor, streamCursor, type Source, type StreamDefinition } from './definition.js';
import { CustomAttributeTyper } from '../transform/custom-attributes.js';
import { projectorFor } from '../transform/project.js';
import { conformerFor } from '../transform/conform.js';
import { nowSeconds } from '../util/time.js';
import type { IntercomClient } from '../http/client.js';
import { readCursor } from './cursor-state.js';
import { loadAttributes, type AttributeCatalog } from './discover.js';
import { runFamily, type FamilyEnvironment, type Member } from './family.js';
import { readerFor, type SourceReaders } from './readers.js';
import { ProgressReporter } from './progress.js';
import { StreamSink } from './sink.js';
import { fetchWorkspace } from './workspace.js';

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
export async function runRead({ config, catalog, state, output, client, streams, readers, checkpointEvery }: ReadInput): Promise<boolean> {
  const upperBound = nowSeconds();
  const { selected, ok: catalogOk } = selectStreams(catalog, streams, output);
  let ok = catalogOk;
  for (const s of selected) output.streamStatus(s.def.name, 'STARTED');
  if (selected.length === 0) return ok;

  const fail = (streams: Selected[], err: ConnectorError): void => {
    for (const s of streams) {
      output.error(err, s.def.name);
      output.streamStatus(s.def.name, 'INCOMPLETE');
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
  try {
    workspace = await fetchWorkspace(client);
    attributes = await loadAttributes(client, selected.map((s) => s.def), (m) => output.log('WARN', m));
  } catch (err) {
    fail(selected, asConnectorError(err));
    return false;
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
  };

  const families = groupBySource(selected);

  const progress = new ProgressReporter(output, client, selected.map((s) => s.def.name));
  progress.begin();
  let authFailed: ConnectorError | null = null;
  await Promise.all(
    [...families.values()].map(async ({ source, streams }) => {
      const members = streams.map((s) => member(s, config, state, attributes, output, warnOnce));
      for (const s of streams) output.streamStatus(s.def.name, 'RUNNING');
      try {
        if (authFailed) throw authFailed;
        const failed = await runFamily(source, readerFor(readers, source), members, env);
        for (const s of streams) {
          const err = failed.get(s.def.name);
          if (err) fail([s], err);
          else output.streamStatus(s.def.name, 'COMPLETE');
        }
      } catch (err) {
        const e = asConnectorError(err);
        if (e instanceof AuthenticationError) authFailed = e;
        fail(streams, e);
      }
    }),
  );
  progress.end();
  output.log('INFO', `Sync ${ok ? 'finished' : 'ended with errors'}: ${progress.summary()}`);
  return ok;
}

/** Matches the catalog to the streams this connector offers; reports every stream it cannot read. */
function selectStreams(
  catalog: ConfiguredAirbyteCatalog,
  streams: readonly StreamDefinition[],
  output: Output,
): { selected: Selected[]; ok: boolean } {
  const selected: Selected[] = [];
  let ok = true;
  const reject = (name: string, message: string): void => {
    output.error(new ConfigError(message), name || undefined);
    ok = false;
  };
  for (const configured of catalog.streams) {
    const name = configured.stream.name;
    const def = streams.find((s) => s.name === name);
    if (!def) {
      reject(name, `The catalog asks for stream '${name}', which this connector does not offer. Run discover and refresh the catalog.`);
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
  return { selected, ok };
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

function member(
  { def, configured }: Selected,
  config: Config,
  state: Map<string, JsonObject>,
  attributes: AttributeCatalog,
  output: Output,
  warnOnce: (key: string, message: string) => void,
): Member {
  const previousState = state.get(def.name) ?? {};
  const cursorKey = sourceCursor(def.source);
  const previousCursor = configured.sync_mode === 'incremental' && cursorKey ? readCursor(previousState, cursorKey) : null;
  const lowerBound = previousCursor === null ? config.startDate : Math.max(config.startDate, previousCursor - config.lookbackDays * 86400);
  const typer = def.customAttributes
    ? new CustomAttributeTyper(def.schema, attributes.get(def.customAttributes) ?? [], config.customAttributes, (name, value, kind) =>
        warnOnce(
          `${def.name}:${name}`,
          `${def.name}: custom attribute '${name}' is declared ${kind} but a record has ${JSON.stringify(value).slice(0, 80)}; such values are passed through unchanged.`,
        ),
      )
    : null;
  return {
    def,
    sink: new StreamSink(
      def.name,
      output,
      projectorFor(configured.stream.json_schema),
      typer,
      conformerFor(def.schema, (path, value, expected) =>
        warnOnce(
          `${def.name}:type:${path}`,
          `${def.name}: field '${path}' is declared ${expected} but a record has ${JSON.stringify(value).slice(0, 80)}, which cannot be converted without loss; such values are passed through unchanged.`,
        ),
      ),
    ),
    lowerBound,
    previousCursor,
    previousState: configured.sync_mode === 'incremental' ? previousState : {},
  };
}
