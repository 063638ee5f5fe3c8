import type { IntercomClient } from '../http/client.js';
import type { JsonObject, LogLevel } from '../protocol/types.js';
import type { StreamDefinition } from './definition.js';
import type { Deletion } from './tombstones.js';

/**
 * A producer of deletes that is not the scan itself (`GET /conversations/deleted`,
 * the webhook relay). It runs after its family's scan has written every
 * record, so its tombstones arrive after any version the scan read, and it
 * saves its own cursor in the state of the streams it writes into.
 */
export interface DeleteFeed {
  /** For logs and errors: what the feed reads. */
  name: string;
  /** The source (family) whose streams it writes into. */
  family: string;
  run(ctx: FeedContext): Promise<void>;
}

export interface FeedContext {
  client: IntercomClient;
  /** The workspace's app id (`GET /me` app.id_code): webhooks of other workspaces are not ours. */
  appId: string;
  /** The config's api_version. */
  apiVersion: string;
  /** Sync start and the config's start date, Unix seconds. */
  upperBound: number;
  startDate: number;
  /** How far the search index may lag writes, seconds. */
  lagSeconds: number;
  lookbackDays: number;
  /** The family's stream of that name, when it is selected in incremental mode (tombstones mean nothing to a full refresh). */
  target(stream: string): FeedTarget | null;
  log(level: LogLevel, message: string): void;
  warnOnce(key: string, message: string): void;
}

export interface FeedTarget {
  readonly def: StreamDefinition;
  /** The feed cursor the previous sync saved in this stream's state under `key`. */
  saved(key: string): unknown;
  /** Writes a tombstone through the one tombstone path. */
  tombstone(deletion: Deletion): void;
  /** Writes a record as Intercom returned it (a re-read). */
  record(record: JsonObject): void;
  /** Moves the feed's cursor; it is saved with the stream's next state, after what was written before it. */
  advance(key: string, value: number): void;
  /** Resolves when everything written so far has left. */
  flush(): Promise<void>;
}
