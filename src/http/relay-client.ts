import got, { HTTPError, RequestError } from 'got';
import { ConfigError, TransientError } from '../protocol/errors.js';
import type { JsonObject } from '../protocol/types.js';

/** One webhook notification as the relay keeps it. */
export interface RelayEvent {
  seq: number;
  app_id: string | null;
  id: string;
  topic: string;
  created_at: unknown;
  received_at: unknown;
  item: JsonObject;
}

export interface RelayPage {
  events: RelayEvent[];
  /** The sequence to ask for next (`after=next`). */
  next: number;
}

/**
 * The read API of the webhook relay: `GET {url}/v1/events?after=SEQ&limit=N`
 * with the bearer token. Errors name what failed (the URL or the token) and
 * never the token itself.
 */
export class RelayClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  async events(after: number, limit: number): Promise<RelayPage> {
    const body = await this.get(`${this.base}/v1/events?after=${after}&limit=${limit}`);
    return parsePage(body, this.base);
  }

  private async get(url: string): Promise<unknown> {
    try {
      return await got(url, {
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
        timeout: { request: this.timeoutMs },
        retry: { limit: 2, methods: ['GET'] },
        responseType: 'json',
      }).json();
    } catch (err) {
      if (err instanceof HTTPError && (err.response.statusCode === 401 || err.response.statusCode === 403)) {
        throw new ConfigError(`The webhook relay at ${this.base} refused the token (HTTP ${err.response.statusCode}): check webhook_relay.token.`);
      }
      if (err instanceof HTTPError) {
        const status = err.response.statusCode;
        const what = status === 404 ? 'has no /v1/events (is webhook_relay.url the relay?)' : `answered HTTP ${status}`;
        throw new (status === 404 ? ConfigError : TransientError)(`The webhook relay at ${this.base} ${what}.`);
      }
      if (err instanceof RequestError && err.name === 'ParseError') {
        throw new ConfigError(`The webhook relay at ${this.base} did not answer with JSON: check webhook_relay.url.`);
      }
      const reason = err instanceof RequestError ? (err.code ?? err.message) : String(err);
      throw new TransientError(`The webhook relay at ${this.base} could not be reached (${reason}): check webhook_relay.url and that the relay runs.`);
    }
  }
}

function parsePage(body: unknown, base: string): RelayPage {
  const bad = (why: string): never => {
    throw new ConfigError(`The webhook relay at ${base} answered an unexpected body (${why}): check webhook_relay.url.`);
  };
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return bad('not an object');
  const { events, next } = body as JsonObject;
  if (!Array.isArray(events)) return bad('no events array');
  if (typeof next !== 'number' || !Number.isFinite(next)) return bad('no numeric next');
  const parsed = events.map((e): RelayEvent => {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) return bad('an event is not an object');
    const o = e as JsonObject;
    if (typeof o.seq !== 'number' || typeof o.topic !== 'string') return bad('an event lacks seq or topic');
    const item = o.item !== null && typeof o.item === 'object' && !Array.isArray(o.item) ? (o.item as JsonObject) : {};
    return {
      seq: o.seq,
      app_id: typeof o.app_id === 'string' ? o.app_id : null,
      id: String(o.id ?? ''),
      topic: o.topic,
      created_at: o.created_at,
      received_at: o.received_at,
      item,
    };
  });
  return { events: parsed, next };
}
