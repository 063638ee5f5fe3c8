import type { Config } from '../config/config.js';
import type { IntercomClient } from '../http/client.js';
import { PermissionError } from '../http/errors.js';
import type { AirbyteStream, JsonSchema } from '../protocol/types.js';
import { streamCursor, type CustomAttributeModel, type StreamDefinition } from './definition.js';
import { flattenedColumnsFor, withCustomAttributes, type CustomAttribute } from '../transform/custom-attributes.js';
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
  const custom = def.customAttributes ? (attributes.get(def.customAttributes) ?? []) : [];
  const typed = def.customAttributes ? describeCustomAttributes(withCustomAttributes(declared, custom, config.customAttributes), declared, custom, config) : declared;
  // Only the declared columns are standard timestamps; custom attributes keep their own types.
  const schema = config.timestampFormat === 'iso8601' ? isoTimestampSchema(typed, timestampPlan(declared)) : typed;
  const link = def.link && {
    parent: def.link.parent,
    parent_key: def.link.parentKey,
    ...(def.link.parentCursor ? { parent_cursor: def.link.parentCursor } : {}),
  };
  return { ...describeConnectorColumns(schema), 'x-history': def.history, ...(link ? { 'x-link': link } : {}) };
}

/** What the columns the connector adds to Intercom's records mean (the CDC columns of the Airbyte convention). */
const CONNECTOR_COLUMNS: Record<string, string> = {
  _ab_cdc_deleted_at: 'When the record was deleted in Intercom (ISO-8601 UTC); null while it exists.',
  _ab_cdc_updated_at: 'When this version of the record was read or deleted (ISO-8601 UTC): the cursor of snapshot streams.',
};

function describeConnectorColumns(schema: JsonSchema): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties || !Object.keys(CONNECTOR_COLUMNS).some((k) => k in properties && !properties[k]!.description)) return schema;
  const described: Record<string, JsonSchema> = { ...properties };
  for (const [name, description] of Object.entries(CONNECTOR_COLUMNS)) {
    if (described[name] && !described[name]!.description) described[name] = { description, ...described[name] };
  }
  return { ...schema, properties: described };
}

/** Each custom attribute column (flattened) or property (nested) says which workspace attribute it holds. */
function describeCustomAttributes(schema: JsonSchema, declared: JsonSchema, attributes: CustomAttribute[], config: Config): JsonSchema {
  const properties = { ...(schema.properties as Record<string, JsonSchema>) };
  const text = (a: CustomAttribute): string => `Custom attribute '${a.name}' of the workspace${a.kind === 'unknown' ? '' : ` (${a.kind})`}.`;
  if (config.customAttributes === 'flattened') {
    const columns = flattenedColumnsFor(declared, attributes);
    for (const a of attributes) {
      const column = columns.get(a.name)!;
      properties[column] = { description: text(a), ...properties[column] };
    }
  } else if (properties.custom_attributes) {
    const nested = { ...((properties.custom_attributes.properties as Record<string, JsonSchema> | undefined) ?? {}) };
    for (const a of attributes) if (nested[a.name]) nested[a.name] = { description: text(a), ...nested[a.name] };
    properties.custom_attributes = {
      description: "The workspace's custom attributes, typed as its data attributes declare them.",
      ...properties.custom_attributes,
      properties: nested,
    };
  }
  return { ...schema, properties };
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
