import { defineStream, sourceCursor, type MapperContext, type Source, type StreamDefinition } from '../engine/definition.js';
import type { JsonObject } from '../protocol/types.js';
import { tableSchema, type ColumnType } from '../schemas/index.js';

export interface LinkSpec {
  name: string;
  source: Source;
  /** The parent stream, and the singular that prefixes its columns (`contact` → `contact_id`, `contact_updated_at`). */
  parent: { stream: string; column: string };
  /** The singular of the linked record (`tag` → `tag_id`). */
  child: string;
  /** The ids of the records the parent links to. Runs only when the stream is selected. */
  ids(parent: JsonObject, ctx: MapperContext): Iterable<unknown> | Promise<Iterable<unknown>>;
}

/**
 * A link table: one row per (parent, linked record), keyed by both ids. When
 * the parent's source has a cursor, every row carries the parent's cursor value
 * as `<parent>_<cursor>`: all the current links of a parent share its latest
 * value, so a link read with an older one is no longer current.
 */
export function linkStream(spec: LinkSpec): StreamDefinition {
  const parentKey = `${spec.parent.column}_id`;
  const childKey = `${spec.child}_id`;
  const cursor = sourceCursor(spec.source);
  const parentCursor = cursor ? `${spec.parent.column}_${cursor}` : undefined;
  return defineStream({
    name: spec.name,
    source: spec.source,
    primaryKey: [parentKey, childKey],
    ...(parentCursor ? { cursorField: parentCursor } : {}),
    history: parentCursor ? 'versioned' : 'snapshot',
    schema: tableSchema({
      [parentKey]: ['string', `The id of the ${spec.parent.column} (the ${spec.parent.stream} stream's id).`],
      [childKey]: ['string', `The id of a ${spec.child.replace(/_/g, ' ')} linked to the ${spec.parent.column}.`],
      ...(parentCursor
        ? { [parentCursor]: ['integer', `The ${spec.parent.column}'s ${cursor} when this link was read: the link is current while it equals the ${spec.parent.column}'s latest ${cursor}.`] as [ColumnType, string] }
        : {}),
    }),
    link: { parent: spec.parent.stream, parentKey, ...(parentCursor ? { parentCursor } : {}) },
    records: async (parent, ctx) =>
      [...(await spec.ids(parent, ctx))].map((id) => ({
        [parentKey]: String(parent.id),
        [childKey]: String(id),
        ...(parentCursor && cursor ? { [parentCursor]: parent[cursor] } : {}),
      })),
  });
}

/** The ids of an array of objects (embedded lists), skipping entries without one. */
export function idsOf(items: readonly JsonObject[]): unknown[] {
  return items.map((item) => item.id).filter((id) => id !== undefined && id !== null);
}
