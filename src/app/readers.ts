import type { Config } from '../config/config.js';
import type { DeleteFeed } from '../engine/delete-feed.js';
import type { DeletedListSource, StreamDefinition, WebhookTopic } from '../engine/definition.js';
import type { ReadInput } from '../engine/read.js';
import type { SourceReaders } from '../engine/readers.js';
import { deletedListFeed } from '../engine/sources/deleted-list.js';
import { webhookRelayFeeds } from '../engine/sources/webhook-relay.js';
import { RelayClient } from '../http/relay-client.js';
import { SystemError } from '../protocol/errors.js';
import { readList } from '../engine/sources/list.js';
import { readScroll } from '../engine/sources/scroll.js';
import { scanSearch } from '../engine/sources/search.js';
import { readTimeWindows } from '../engine/sources/time-windows.js';
import { DELETED_LISTS, STREAMS, WEBHOOK_TOPICS } from '../streams/registry.js';

/** A reader per source kind, with the settings each kind takes from the config. */
export function sourceReaders(config: Config): SourceReaders {
  return {
    list: readList,
    search: (source, ctx) => scanSearch(source, ctx),
    scroll: (source, ctx) => readScroll(source, ctx, { fullResyncDays: config.companiesFullResyncDays }),
    'time-windows': (source, ctx) => readTimeWindows(source, ctx, config.activityLogsStepDays),
  };
}

/** The producers of deletes beyond the scans: the deleted lists, and the webhook relay when the config names one. */
export function deleteFeeds(
  config: Config,
  streams: readonly StreamDefinition[],
  lists: readonly DeletedListSource[],
  topics: Record<string, WebhookTopic>,
): DeleteFeed[] {
  const familyOf = (stream: string): string => {
    const def = streams.find((s) => s.name === stream);
    if (!def) throw new SystemError(`A delete producer names stream '${stream}', which is not declared; this is a bug in the connector.`);
    return def.source.name;
  };
  const feeds = lists.map((list) => deletedListFeed(list, familyOf(list.stream)));
  if (config.webhookRelay) {
    feeds.push(...webhookRelayFeeds(relayClient(config), topics, familyOf));
  }
  return feeds;
}

/** The relay's read API client; only for a config that names a relay. */
export function relayClient(config: Config): RelayClient {
  const relay = config.webhookRelay!;
  return new RelayClient(relay.url, relay.token, config.requestTimeoutMs);
}

/** Source records between checkpoints; SOURCE_INTERCOM_CHECKPOINT_RECORDS overrides it (the tests use small values). */
export function checkpointEvery(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.SOURCE_INTERCOM_CHECKPOINT_RECORDS) || 1000;
}

/** Everything `read` takes from the composition root besides the config, catalog, state and output. */
export function readBindings(config: Config): Pick<ReadInput, 'streams' | 'readers' | 'checkpointEvery' | 'feeds'> {
  return {
    streams: STREAMS,
    readers: sourceReaders(config),
    checkpointEvery: checkpointEvery(),
    feeds: deleteFeeds(config, STREAMS, DELETED_LISTS, WEBHOOK_TOPICS),
  };
}
