import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { BodyTooLargeError, readBody } from './body.js';
import { Counters, type RejectionReason } from './counters.js';
import { parseEnvelope } from './envelope.js';
import { RelayConfigError } from './errors.js';
import { EventStore } from './log/store.js';
import { DEFAULT_PAGE, DEFAULTS, MAX_PAGE, type RelayOptions } from './options.js';
import { isWellFormedSignature, secretsEqual, verifySignature } from './signature.js';
import { RELAY_VERSION } from './version.js';

export interface RunningRelay {
  /** Base URL, e.g. http://127.0.0.1:40123 (https when TLS is on). */
  url: string;
  port: number;
  counters: Counters;
  /** Stops accepting, lets in-flight requests and their fsyncs finish, closes the log. */
  close(): Promise<void>;
}

const WEBHOOK_PATH = '/intercom/webhooks';
const EVENTS_PATH = '/v1/events';
const HEALTH_PATH = '/healthz';
/** After this long, close() cuts connections that are still open. */
const SHUTDOWN_GRACE_MS = 10_000;

function stderrLog(line: string): void {
  process.stderr.write(`intercom-webhook-relay: ${line}\n`);
}

function validate(options: RelayOptions): void {
  if (options.clientSecret.length === 0) throw new RelayConfigError('the client secret is empty');
  if (options.readToken.length === 0) throw new RelayConfigError('the read token is empty');
  if (options.dataDir.length === 0) throw new RelayConfigError('the data directory is empty');
}

/** Starts the relay: recovers the log in dataDir, then listens. */
export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  validate(options);
  const log = options.log ?? stderrLog;
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
  const retentionDays = options.retentionDays ?? DEFAULTS.retentionDays;
  const headersTimeout = options.headersTimeoutMs ?? DEFAULTS.headersTimeoutMs;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs, headersTimeout);
  const counters = new Counters();
  const store = await EventStore.open({
    dir: options.dataDir,
    retentionDays,
    segmentMaxBytes: options.segmentMaxBytes ?? DEFAULTS.segmentMaxBytes,
    segmentMaxAgeMs: options.segmentMaxAgeMs ?? DEFAULTS.segmentMaxAgeMs,
    now,
    log,
  });

  // Once closing, every answer ends its connection, so busy keep-alive clients let the server stop.
  let shuttingDown = false;
  const endConnectionIfClosing = (res: ServerResponse): void => {
    if (shuttingDown && !res.headersSent) res.setHeader('Connection', 'close');
  };

  const reject = (res: ServerResponse, status: number, reason: RejectionReason, message: string, close = false): void => {
    counters.reject(reason);
    if (close) res.setHeader('Connection', 'close');
    sendJson(res, status, { error: message });
  };

  const handleWebhook = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counters.received += 1;
    const signature = req.headers['x-hub-signature'];
    const header = Array.isArray(signature) ? undefined : signature;
    if (!isWellFormedSignature(header)) {
      reject(res, 401, 'bad_signature', 'missing or malformed X-Hub-Signature (expected sha1=<40 hex>)', true);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
      endConnectionIfClosing(res);
    } catch (error) {
      if (error instanceof BodyTooLargeError) reject(res, 413, 'too_large', `the body is over ${maxBodyBytes} bytes`, true);
      else counters.reject('bad_request');
      return;
    }
    if (!verifySignature(options.clientSecret, body, header)) {
      reject(res, 401, 'bad_signature', 'the signature does not match the body');
      return;
    }
    const parsed = parseEnvelope(body);
    if (!parsed.ok) {
      reject(res, 400, parsed.reason, parsed.message);
      return;
    }
    try {
      const result = await store.append(parsed.event);
      endConnectionIfClosing(res);
      if (result.duplicate) counters.duplicate += 1;
      else counters.stored += 1;
      sendJson(res, 200, { seq: result.seq, duplicate: result.duplicate });
    } catch {
      endConnectionIfClosing(res);
      reject(res, 503, 'unavailable', 'the event store cannot write; retry later');
    }
  };

  const handleRead = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void => {
    if (!bearerMatches(req.headers.authorization, options.readToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      reject(res, 401, 'unauthorized', 'the read API needs Authorization: Bearer <RELAY_READ_TOKEN>');
      return;
    }
    const after = parseCount(query.get('after'), 0);
    const limit = parseCount(query.get('limit'), DEFAULT_PAGE);
    if (after === null || limit === null || limit < 1 || limit > MAX_PAGE) {
      reject(res, 400, 'bad_request', `after must be a non-negative integer and limit an integer from 1 to ${MAX_PAGE}`);
      return;
    }
    const appId = query.get('app_id') ?? undefined;
    counters.reads += 1;
    let page;
    try {
      page = store.read(after, limit, appId);
    } catch (error) {
      log(`read: ${(error as Error).message}`);
      sendJson(res, 500, { error: 'the event log failed to verify; see the relay log' });
      return;
    }
    // The stored JSON is spliced in as is: it was verified against its checksum just now.
    const payload = `{"events":[${page.events.join(',')}],"next":${page.next}}`;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), 'Cache-Control': 'no-store' });
    res.end(payload);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    endConnectionIfClosing(res);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://relay.invalid');
    } catch {
      reject(res, 400, 'bad_request', 'the request target is not a valid URL', true);
      return;
    }
    const method = req.method ?? '';
    if (url.pathname === WEBHOOK_PATH) {
      if (method === 'HEAD') {
        res.writeHead(200, { 'Content-Length': 0 });
        res.end();
      } else if (method === 'POST') {
        void handleWebhook(req, res);
      } else {
        res.setHeader('Allow', 'HEAD, POST');
        reject(res, 405, 'method_not_allowed', `${WEBHOOK_PATH} accepts HEAD and POST`, true);
      }
    } else if (url.pathname === EVENTS_PATH) {
      if (method === 'GET') handleRead(req, res, url.searchParams);
      else {
        res.setHeader('Allow', 'GET');
        reject(res, 405, 'method_not_allowed', `${EVENTS_PATH} accepts GET`, true);
      }
    } else if (url.pathname === HEALTH_PATH && (method === 'GET' || method === 'HEAD')) {
      const healthy = store.healthy;
      sendJson(res, healthy ? 200 : 503, {
        status: healthy ? 'ok' : 'store_unavailable',
        version: RELAY_VERSION,
        last_seq: store.lastSeq,
        events: store.eventCount,
        commits: store.commits,
        counters: counters.toJSON(),
      });
    } else {
      reject(res, 404, 'not_found', 'no such endpoint', true);
    }
  };

  const serverOptions = {
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: Math.min(1_000, Math.max(100, Math.floor(headersTimeout / 4))),
  };
  const server: Server = options.tls
    ? createHttpsServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key }, handle)
    : createHttpServer(serverOptions, handle);

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    counters.reject(timedOut ? 'timeout' : 'bad_request');
    if (socket.writable && !socket.destroyed) {
      socket.end(timedOut ? 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n' : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
    socket.destroy();
  });

  const host = options.host ?? DEFAULTS.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULTS.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`listening on ${url} (data dir ${options.dataDir}: ${store.eventCount} events, last seq ${store.lastSeq})`);

  const statsIntervalMs = options.statsIntervalMs ?? DEFAULTS.statsIntervalMs;
  const statsTimer = statsIntervalMs > 0 ? setInterval(() => log(counters.line()), statsIntervalMs) : null;
  statsTimer?.unref();
  const retentionTimer = setInterval(() => {
    store.applyRetention().catch((error: unknown) => log(`retention: ${(error as Error).message}`));
  }, options.retentionIntervalMs ?? DEFAULTS.retentionIntervalMs);
  retentionTimer.unref();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      if (statsTimer) clearInterval(statsTimer);
      clearInterval(retentionTimer);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      force.unref();
      await stopped;
      clearTimeout(force);
      await store.close();
      log(counters.line());
      log('stopped');
    })();
    return closing;
  };

  return { url, port, counters, close };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const match = header === undefined ? null : /^Bearer (\S+)$/i.exec(header);
  // Compare even when there is no header, so the answer takes the same time.
  return secretsEqual(match?.[1] ?? '', token) && match !== null;
}

function parseCount(value: string | null, fallback: number): number | null {
  if (value === null) return fallback;
  if (!/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
