import type { Config } from '../config/config.js';
import type { IntercomClient } from '../http/client.js';
import { PermissionError } from '../http/errors.js';
import type { AirbyteStream, JsonSchema } from '../protocol/types.js';
import { carriesDeletes, CDC_DELETED_AT, CDC_UPDATED_AT, streamCursor, type CustomAttributeModel, type StreamDefinition } from './definition.js';
import { flattenedColumnsFor, withCustomAttributes, type CustomAttribute } from '../transform/custom-attributes.js';
import { compileHashPlans, type HashPlan } from '../transform/hashing.js';
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

/** Declared by every stream that can carry deletes: Airbyte destinations apply deletes only then. */
const CDC_COLUMNS: JsonSchema = {
  [CDC_DELETED_AT]: { type: ['null', 'string'], format: 'date-time', description: 'When the record was deleted in Intercom (ISO-8601 UTC); null while it exists.' },
  [CDC_UPDATED_AT]: {
    type: ['null', 'string'],
    format: 'date-time',
    description: 'When this version of the record was read or deleted (ISO-8601 UTC): the cursor of snapshot streams.',
  },
};

/**
 * A stream's schema as its records look before hashing: custom attributes
 * typed and described, timestamps in the configured format, no generator
 * comments. Hashing is compiled against it.
 */
function typedSchema(def: StreamDefinition, attributes: AttributeCatalog, config: Config): JsonSchema {
  const { $comment: _comment, ...declared } = def.schema;
  const custom = def.customAttributes ? (attributes.get(def.customAttributes) ?? []) : [];
  const typed = def.customAttributes ? describeCustomAttributes(withCustomAttributes(declared, custom, config.customAttributes), declared, custom, config) : declared;
  // Only the declared columns are standard timestamps; custom attributes keep their own types.
  return config.timestampFormat === 'iso8601' ? isoTimestampSchema(typed, timestampPlan(declared)) : typed;
}

/**
 * The hash plans of the given streams (`offered`: every stream the connector
 * has, to tell a misspelt stream from one not read this time).
 */
export function hashPlansFor(
  streams: readonly StreamDefinition[],
  offered: readonly StreamDefinition[],
  attributes: AttributeCatalog,
  config: Config,
  warn: (message: string) => void,
): Map<string, HashPlan> {
  if (config.hashing.fields.length === 0) return new Map();
  const targets = streams.map((def) => {
    const cursor = streamCursor(def);
    return { name: def.name, schema: typedSchema(def, attributes, config), primaryKey: def.primaryKey, ...(cursor ? { cursor } : {}) };
  });
  return compileHashPlans(targets, offered.map((def) => def.name), config.hashing, warn);
}

/**
 * A stream's schema with its custom attributes typed and its hashed fields
 * declared as strings, annotated with its history semantics (`x-history`)
 * and, for link tables, its parent (`x-link`), so a destination can keep
 * history and current links without knowing Intercom.
 */
export function streamSchema(def: StreamDefinition, attributes: AttributeCatalog, config: Config, hashing?: HashPlan): JsonSchema {
  const typed = typedSchema(def, attributes, config);
  const schema = hashing ? hashing.schema(typed) : typed;
  const link = def.link && {
    parent: def.link.parent,
    parent_key: def.link.parentKey,
    ...(def.link.parentCursor ? { parent_cursor: def.link.parentCursor } : {}),
  };
  const withCdc = carriesDeletes(def) ? { ...schema, properties: { ...(schema.properties as JsonSchema), ...CDC_COLUMNS } } : schema;
  return { ...withCdc, 'x-history': def.history, ...(link ? { 'x-link': link } : {}) };
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
export function airbyteStream(def: StreamDefinition, attributes: AttributeCatalog, config: Config, hashing?: HashPlan): AirbyteStream {
  const cursor = streamCursor(def);
  return {
    name: def.name,
    json_schema: streamSchema(def, attributes, config, hashing),
    supported_sync_modes: cursor ? ['full_refresh', 'incremental'] : ['full_refresh'],
    ...(cursor ? { source_defined_cursor: true, default_cursor_field: [cursor] } : {}),
    source_defined_primary_key: def.primaryKey.map((key) => [key]),
    // A snapshot is read whole each time; only scans with a record cursor resume.
    is_resumable: cursor !== undefined && def.history !== 'snapshot',
  };
}

export async function discoverStreams(
  client: IntercomClient,
  config: Config,
  streams: readonly StreamDefinition[],
  warn: (message: string) => void,
  attributes?: AttributeCatalog,
): Promise<AirbyteStream[]> {
  attributes ??= await loadAttributes(client, streams, warn);
  const hashing = hashPlansFor(streams, streams, attributes, config, warn);
  return streams.map((def) => airbyteStream(def, attributes, config, hashing.get(def.name)));
}
