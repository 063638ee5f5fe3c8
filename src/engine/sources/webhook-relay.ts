import { NotFoundError } from '../../http/errors.js';
import type { RelayClient, RelayEvent } from '../../http/relay-client.js';
import type { JsonObject } from '../../protocol/types.js';
import { toUnixSeconds } from '../../util/time.js';
import type { DeleteFeed, FeedContext, FeedTarget } from '../delete-feed.js';
import type { WebhookTopic } from '../definition.js';

/** Where each stream keeps the relay sequence it has applied. */
export const RELAY_CURSOR = 'relay_seq';
const PAGE_SIZE = 500;
/** A bound on the pages of one read: the next sync reads on from where this one stopped. */
const MAX_PAGES = 2_000;

/**
 * Turns the webhooks kept by the relay into tombstones (and re-reads), one
 * feed per family of the streams the topics write into. Each stream keeps the
 * relay sequence it has applied; it moves only after the page's tombstones
 * are out, so a sync killed in between reads those events again. Events of
 * other workspaces (the relay serves every workspace that installed the app)
 * are skipped. On a stream's first sync, events older than the scan are
 * skipped: the scan never saw those records.
 */
export function webhookRelayFeeds(relay: RelayClient, topics: Record<string, WebhookTopic>, familyOf: (stream: string) => string): DeleteFeed[] {
  const families = new Map<string, string[]>();
  for (const { stream } of Object.values(topics)) {
    const family = familyOf(stream);
    const streams = families.get(family) ?? [];
    if (!streams.includes(stream)) streams.push(stream);
    families.set(family, streams);
  }
  return [...families].map(([family, streams]) => ({
    name: 'the webhook relay',
    family,
    run: (ctx) => applyRelay(relay, topics, streams, ctx),
  }));
}

async function applyRelay(relay: RelayClient, topics: Record<string, WebhookTopic>, streams: string[], ctx: FeedContext): Promise<void> {
  const targets = new Map<string, { target: FeedTarget; applied: number | null }>();
  for (const stream of streams) {
    const target = ctx.target(stream);
    if (target) targets.set(stream, { target, applied: toSeq(target.saved(RELAY_CURSOR)) });
  }
  if (targets.size === 0) return;
  const firstSyncFloor = ctx.upperBound - ctx.lagSeconds;
  let after = Math.min(...[...targets.values()].map((t) => t.applied ?? 0));
  let applied = 0;
  let deferred = false;
  for (let page = 1; page <= MAX_PAGES && !deferred; page++) {
    const { events, next } = await relay.events(after, PAGE_SIZE);
    let last = after;
    for (const event of events) {
      if (event.seq <= after) continue;
      if (event.app_id !== null && event.app_id !== ctx.appId) continue;
      const topic = topics[event.topic];
      const slot = topic && targets.get(topic.stream);
      if (!topic || !slot || (slot.applied !== null && event.seq <= slot.applied)) continue;
      const at = toUnixSeconds(event.created_at) ?? toUnixSeconds(event.received_at);
      const id = event.item.id;
      if (at === null || id === undefined || id === null) {
        ctx.warnOnce(`relay-event:${event.topic}`, `The webhook relay holds a ${event.topic} event without an item id or a time (seq ${event.seq}); such events are skipped.`);
        continue;
      }
      if (slot.applied === null) {
        // A first sync: older events concern records its scan never saw; later ones wait for the next sync.
        if (at >= firstSyncFloor) {
          deferred = true;
          break;
        }
        last = event.seq;
        continue;
      }
      await applyEvent(topic, slot.target, event, String(id), at, ctx);
      applied += 1;
      last = event.seq;
    }
    if (!deferred) last = events.length > 0 ? Math.max(last, next) : after;
    for (const { target } of targets.values()) await target.flush();
    // Only now that this page's records are out may the streams claim it.
    for (const { target } of targets.values()) target.advance(RELAY_CURSOR, last);
    if (deferred || events.length === 0 || last <= after) break;
    after = last;
  }
  if (applied > 0) ctx.log('INFO', `${streams.join(', ')}: ${applied} events from the webhook relay applied.`);
}

async function applyEvent(topic: WebhookTopic, target: FeedTarget, event: RelayEvent, id: string, at: number, ctx: FeedContext): Promise<void> {
  if (topic.action === 'delete') {
    target.tombstone({ key: { id }, deletedAt: at });
    return;
  }
  // Archived, not deleted: the record is written as Intercom returns it now.
  const path = (topic.path ?? '').replace('{id}', encodeURIComponent(id));
  try {
    target.record((await ctx.client.get(path, { priority: 1 })) as JsonObject);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    ctx.log('INFO', `${target.def.name}: ${id} (${event.topic}) no longer exists; skipped.`);
  }
}

function toSeq(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
