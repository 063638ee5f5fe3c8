/**
 * Delivers Intercom-style webhook notifications for deletes made in the store:
 * the notification envelope, signed with `X-Hub-Signature: sha1=<hex HMAC-SHA1
 * of the raw body>`, retried with exponential backoff on a non-2xx answer, a
 * timeout or a connection error, up to a bounded number of attempts. Timers
 * are unref'd, so pending retries never keep a process alive; `close()` drops them.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { InvalidOptionError } from './options.js';

export interface WebhookOptions {
  /** Where notifications are POSTed, e.g. http://127.0.0.1:8080/intercom/webhooks */
  url: string;
  /** The app's client secret: the HMAC key of the signatures. Never printed. */
  clientSecret: string;
  /** The envelope's app_id; defaults to the workspace's. */
  appId?: string;
  /** Attempts per notification, the first included (default 12). */
  maxAttempts?: number;
  /** Wait before the first retry; doubles each time up to maxBackoffMs (defaults 100 and 5000). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** An attempt without an answer by then counts as failed (default 5000, Intercom's limit). */
  timeoutMs?: number;
  /** Deliveries in flight at once (default 16). */
  concurrency?: number;
}

export interface WebhookStats {
  queued: number;
  acknowledged: number;
  attempts: number;
  retries: number;
  /** Given up after maxAttempts. */
  dropped: number;
}

export interface WebhookTarget {
  readonly stats: Readonly<WebhookStats>;
  /** Resolves once no delivery is queued, in flight or waiting to retry. */
  idle(): Promise<void>;
}

export interface Notification {
  type: 'notification_event';
  id: string;
  topic: string;
  app_id: string;
  created_at: number;
  delivery_attempts: number;
  first_sent_at: number;
  data: { type: 'notification_event_data'; item: Record<string, unknown> };
}

function webhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidOptionError('webhooks.url is not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidOptionError(`webhooks.url must be http or https, got ${url.protocol}`);
  return url;
}

/** `sha1=<hex>`: the X-Hub-Signature value of a raw body. */
export function hubSignature(secret: string, body: string): string {
  return `sha1=${createHmac('sha1', secret).update(body, 'utf8').digest('hex')}`;
}

export class WebhookSender implements WebhookTarget {
  readonly stats: WebhookStats = { queued: 0, acknowledged: 0, attempts: 0, retries: 0, dropped: 0 };
  private readonly url: URL;
  private readonly maxAttempts: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly waiting: Array<{ note: Notification; attempt: number }> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly requests = new Set<ClientRequest>();
  private idleWaiters: Array<() => void> = [];
  private inFlight = 0;
  private pending = 0;
  private serial = 0;
  private closed = false;

  constructor(
    private readonly options: WebhookOptions,
    private readonly defaultAppId: string,
    private readonly nowSeconds: () => number,
  ) {
    this.url = webhookUrl(options.url);
    if (options.clientSecret === '') throw new InvalidOptionError('webhooks.clientSecret must not be empty');
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 12);
    this.initialBackoffMs = Math.max(1, options.initialBackoffMs ?? 100);
    this.maxBackoffMs = Math.max(this.initialBackoffMs, options.maxBackoffMs ?? 5000);
    this.timeoutMs = Math.max(1, options.timeoutMs ?? 5000);
    this.concurrency = Math.max(1, options.concurrency ?? 16);
  }

  /** Queues one notification of `topic` about `item`. */
  notify(topic: string, item: Record<string, unknown>): void {
    if (this.closed) return;
    const now = this.nowSeconds();
    const note: Notification = {
      type: 'notification_event',
      id: `notif_${randomBytes(6).toString('hex')}_${(++this.serial).toString(36)}`,
      topic,
      app_id: this.options.appId ?? this.defaultAppId,
      created_at: now,
      delivery_attempts: 0,
      first_sent_at: now,
      data: { type: 'notification_event_data', item },
    };
    this.stats.queued++;
    this.pending++;
    this.waiting.push({ note, attempt: 1 });
    this.pump();
  }

  idle(): Promise<void> {
    if (this.pending === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const req of this.requests) req.destroy();
    this.requests.clear();
    this.waiting.length = 0;
    this.settle(true);
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift();
      if (!next) break;
      this.inFlight++;
      void this.attempt(next.note, next.attempt).then((ok) => {
        this.inFlight--;
        if (this.closed) return;
        if (ok) {
          this.stats.acknowledged++;
          this.done();
        } else if (next.attempt >= this.maxAttempts) {
          this.stats.dropped++;
          this.done();
        } else {
          this.stats.retries++;
          this.retryLater(next.note, next.attempt + 1);
        }
        this.pump();
      });
    }
  }

  private retryLater(note: Notification, attempt: number): void {
    const base = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (attempt - 2));
    // Jitter spreads the retries of many deliveries that failed together.
    const delay = base / 2 + Math.random() * (base / 2);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.waiting.push({ note, attempt });
      this.pump();
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  private done(): void {
    this.pending--;
    this.settle(false);
  }

  private settle(force: boolean): void {
    if (!force && this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** One POST; true on a 2xx answer. */
  private attempt(note: Notification, attempt: number): Promise<boolean> {
    this.stats.attempts++;
    const body = JSON.stringify({ ...note, delivery_attempts: attempt });
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let finished = false;
      const finish = (ok: boolean): void => {
        if (finished) return;
        finished = true;
        this.requests.delete(req);
        resolve(ok);
      };
      const req = send(
        this.url,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': String(Buffer.byteLength(body)),
            'User-Agent': 'intercom-simulator-webhooks',
            'X-Hub-Signature': hubSignature(this.options.clientSecret, body),
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => finish(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300));
          res.on('error', () => finish(false));
        },
      );
      this.requests.add(req);
      req.on('timeout', () => req.destroy());
      req.on('error', () => finish(false));
      req.on('close', () => finish(false));
      req.end(body);
    });
  }
}
