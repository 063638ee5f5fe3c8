import { SystemError } from '../protocol/errors.js';
import type { JsonObject, JsonSchema } from '../protocol/types.js';

/**
 * How a stream's rows relate over time, which decides how history mode and
 * deletes treat them:
 * - snapshot: every sync returns the whole current set (admins, tags);
 * - versioned: rows change and carry `updated_at`; each sync returns new versions;
 * - events: rows are written once and never change (activity logs).
 */
export type History = 'snapshot' | 'versioned' | 'events';

/** Airbyte's CDC columns: a record with `_ab_cdc_deleted_at` set is a tombstone. */
export const CDC_DELETED_AT = '_ab_cdc_deleted_at';
export const CDC_UPDATED_AT = '_ab_cdc_updated_at';

/**
 * Where a versioned stream learns of deletes (snapshot streams always learn
 * them by comparing the whole set with the previous sync's keys):
 * - deleted-list: `GET /conversations/deleted`;
 * - vanished: a record found by the scan whose child call answers 404;
 * - webhook-relay: `*.deleted` webhooks kept by the relay.
 */
export type DeleteProducer = 'deleted-list' | 'vanished' | 'webhook-relay';

/** Which data-attribute model types a stream's `custom_attributes`. */
export type CustomAttributeModel = 'contact' | 'company' | 'conversation';

/** Where Intercom puts the next page of a list. */
export type Pagination =
  | 'none'
  /** `pages.next` as `{starting_after}` (cursor_pages) or a URL (pages_link), or page numbers. */
  | 'pages';

/** A GET endpoint whose pages are read in order. */
export interface ListSource {
  kind: 'list';
  name: string;
  path: string;
  query?: Record<string, string | number | boolean>;
  /** JSONPath of the records in the response envelope, e.g. `$.data[*]`. */
  recordsPath: string;
  pagination: Pagination;
  /** Filtered client-side on this field when the endpoint cannot filter. */
  cursorField?: string;
}

/** POST /{contacts,conversations,tickets}/search, scanned in windows that each fit in one page. */
export interface SearchSource {
  kind: 'search';
  name: string;
  path: string;
  recordsPath: string;
  cursorField: 'updated_at';
  /** Contact search compares dates by calendar day in the workspace time zone. */
  dateResolution: 'day' | 'second';
  /** Whether the endpoint accepts `sort` (only contacts do). */
  sortable: boolean;
  /** Characters ids are made of, for the last-resort split by the end of the id. */
  idAlphabet: string;
}

/** GET /companies/scroll: one scroll per app, not resumable, unfiltered. */
export interface ScrollSource {
  kind: 'scroll';
  name: string;
  path: string;
  recordsPath: string;
  cursorField: 'updated_at';
}

/** An endpoint filtered by a created_at range, read in windows of `activity_logs_time_step` days. */
export interface TimeWindowSource {
  kind: 'time-windows';
  name: string;
  path: string;
  recordsPath: string;
  cursorField: 'created_at';
  afterParam: string;
  beforeParam: string;
}

export type Source = ListSource | SearchSource | ScrollSource | TimeWindowSource;

/** A list of deleted ids with their deletion times, newest first, by page number (GET /conversations/deleted). */
export interface DeletedListSource {
  /** The stream whose records it deletes; it runs after that stream's scan. */
  stream: string;
  path: string;
  /** JSONPath of the entries; each has `id` and `deleted_at` (Unix seconds). */
  recordsPath: string;
  perPage: number;
  /** The first API version that serves it. */
  sinceApiVersion: string;
}

/** What the connector does with one webhook topic kept by the relay. */
export interface WebhookTopic {
  /** The stream it writes into. */
  stream: string;
  /** delete: a tombstone for `item.id`; reread: GET `path` ({id} = item.id) and write what Intercom returns. */
  action: 'delete' | 'reread';
  path?: string;
}

/**
 * What a mapper may do beyond reshaping its record: the engine does the I/O,
 * so retries, priorities and the policy for vanished parents live in one place.
 */
export interface MapperContext {
  /**
   * GETs a child resource of a record (a path or a full URL). A parent deleted
   * since the scan answers 404: that is logged and null is returned.
   */
  fetchChild(path: string, what: string): Promise<JsonObject | null>;
  /** Every page of a list, following its `pages.next` links; null when the list is gone (404). */
  fetchPages(url: string, what: string): Promise<JsonObject[] | null>;
  /** Logs a warning once per key for the whole sync. */
  warnOnce(key: string, message: string): void;
  log(message: string): void;
  /**
   * The record being mapped no longer exists (its child call answered 404):
   * the source's own stream, when it takes such deletes, gets a tombstone.
   */
  recordGone(): void;
}

/** Turns one record of the source into this stream's records. */
export type RecordMapper = (parent: JsonObject, ctx: MapperContext) => Iterable<JsonObject> | Promise<Iterable<JsonObject>>;

/**
 * A stream, declared. The shared machinery derives its catalog entry, reads
 * its source, maps, types, projects and checkpoints it.
 */
export interface StreamDefinition {
  name: string;
  source: Source;
  /** Top-level fields; more than one for link tables. */
  primaryKey: string[];
  /**
   * Top-level field the destination can order versions by. Defaults to the
   * source's cursor for streams that emit the source's records as they are;
   * absent for snapshot-only streams.
   */
  cursorField?: string;
  /** For link tables: which parent stream a row belongs to (see `linkStream`). */
  link?: LinkDeclaration;
  history: History;
  /** Versioned streams only: the producers of its tombstones. Events are never deleted. */
  deletes?: readonly DeleteProducer[];
  schema: JsonSchema;
  customAttributes?: CustomAttributeModel;
  /** Default: the source record itself. Runs only when the stream is selected. */
  records?: RecordMapper;
}

/** A link table's parent, for destinations that keep only a parent's current links. */
export interface LinkDeclaration {
  /** The parent stream's name; its primary key is `id`. */
  parent: string;
  /** The column holding the parent's id. */
  parentKey: string;
  /** The column holding the parent's cursor value when the link was read; absent for snapshot parents. */
  parentCursor?: string;
}

/** The cursor field of the source itself, when it has one. */
export function sourceCursor(source: Source): string | undefined {
  return 'cursorField' in source ? source.cursorField : undefined;
}

/**
 * The field a stream's records are ordered by: `_ab_cdc_updated_at` (the
 * sync's start) for snapshots, else declared, or the source's own for
 * pass-through streams.
 */
export function streamCursor(def: StreamDefinition): string | undefined {
  if (def.history === 'snapshot') return CDC_UPDATED_AT;
  return def.cursorField ?? (def.records ? undefined : sourceCursor(def.source));
}

/** Whether the stream's schema declares the CDC columns: the history alone decides who may get tombstones. */
export function carriesDeletes(def: StreamDefinition): boolean {
  return def.history === 'snapshot' || (def.history === 'versioned' && (def.deletes?.length ?? 0) > 0);
}

export function defineStream(definition: StreamDefinition): StreamDefinition {
  if (definition.deletes?.length && definition.history !== 'versioned') {
    throw new SystemError(`Stream '${definition.name}': only versioned streams declare delete producers (snapshots compare their sets, events are never deleted).`);
  }
  return definition;
}
