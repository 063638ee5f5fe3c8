import type { Config } from '../config/config.js';
import type { IntercomClient } from '../http/client.js';
import { PermissionError } from '../http/errors.js';
import type { AirbyteStream, JsonSchema } from '../protocol/types.js';
import { streamCursor, type CustomAttributeModel, type StreamDefinition } from './definition.js';
import { withCustomAttributes, type CustomAttribute } from '../transform/custom-attributes.js';
import { isoTimestampSchema, timestampPlan } from '../transform/timestamps.js';
import { fetchCustomAttributes } from './workspace.js';

export type AttributeCatalog = Map<CustomAttributeModel, CustomAttribute[]>;

/**
 * The custom attributes of every model the given streams use. A token that
 * may not read a model's attributes leaves it untyped (with a warning)
 * rather than failing.
 */
export async function loadAttributes(
  client: IntercomClient,
  streams: readonly StreamDefinition[],
  warn: (message: string) => void,
): Promise<AttributeCatalog> {
  const models = [...new Set(streams.map((s) => s.customAttributes).filter((m): m is CustomAttributeModel => m !== undefined))];
  const catalog: AttributeCatalog = new Map();
  await Promise.all(
    models.map(async (model) => {
      try {
        catalog.set(model, await fetchCustomAttributes(client, model));
      } catch (err) {
        if (!(err instanceof PermissionError)) throw err;
        warn(`Custom attributes of ${model}s are left untyped: ${err.message}`);
        catalog.set(model, []);
      }
    }),
  );
  return catalog;
}

/**
 * A stream's schema with its custom attributes typed, without generator
 * comments, annotated with its history semantics (`x-history`) and, for link
 * tables, its parent (`x-link`), so a destination can keep history and
 * current links without knowing Intercom.
 */
export function streamSchema(def: StreamDefinition, attributes: AttributeCatalog, config: Config): JsonSchema {
  const { $comment: _comment, ...declared } = def.schema;
  const typed = def.customAttributes ? withCustomAttributes(declared, attributes.get(def.customAttributes) ?? [], config.customAttributes) : declared;
  // Only the declared columns are standard timestamps; custom attributes keep their own types.
  const schema = config.timestampFormat === 'iso8601' ? isoTimestampSchema(typed, timestampPlan(declared)) : typed;
  const link = def.link && {
    parent: def.link.parent,
    parent_key: def.link.parentKey,
    ...(def.link.parentCursor ? { parent_cursor: def.link.parentCursor } : {}),
  };
  return { ...schema, 'x-history': def.history, ...(link ? { 'x-link': link } : {}) };
}

/** The catalog entry derived from a stream's declaration. */
export function airbyteStream(def: StreamDefinition, attributes: AttributeCatalog, config: Config): AirbyteStream {
  const cursor = streamCursor(def);
  return {
    name: def.name,
    json_schema: streamSchema(def, attributes, config),
    supported_sync_modes: cursor ? ['full_refresh', 'incremental'] : ['full_refresh'],
    ...(cursor ? { source_defined_cursor: true, default_cursor_field: [cursor] } : {}),
    source_defined_primary_key: def.primaryKey.map((key) => [key]),
    is_resumable: cursor !== undefined,
  };
}

export async function discoverStreams(
  client: IntercomClient,
  config: Config,
  streams: readonly StreamDefinition[],
  warn: (message: string) => void,
): Promise<AirbyteStream[]> {
  const attributes = await loadAttributes(client, streams, warn);
  return streams.map((def) => airbyteStream(def, attributes, config));
}
