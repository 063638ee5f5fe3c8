/**
 * The HTTP front of the simulator. Each request goes through, in order:
 * authentication (401, without rate-limit headers), the rate limit (429),
 * the Intercom-Version header (400), routing (404), scopes (403), fault
 * injection, the test hook, and finally the route handler. Latency is added
 * before any response is written.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import { ApiError, errorList } from './errors.js';
import type { FaultInjector } from './faults.js';
import type { FaultKind, Latency } from './options.js';
import { rateLimitHeaders, type RateLimiter } from './rate-limit.js';
import { Rng } from './rng.js';
import { matchRoute, type RouteMatch } from './router.js';
import type { RequestContext, RouteResult, SimState } from './routes/context.js';
import type { RequestStats } from './stats.js';

export type RequestHook = (req: {
  method: string;
  route: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** The nth call of this route (this one included). */
  count: number;
}) => void | Promise<void>;

/** Settings that tests may change while the server runs. */
export interface LiveSettings {
  latency: Latency | null;
  hook: RequestHook | null;
}

export interface ServerDeps {
  sim: SimState;
  stats: RequestStats;
  limiter: RateLimiter;
  faults: FaultInjector;
  live: LiveSettings;
  tokens: Record<string, string[]>;
  seed: number;
}

const VALID_VERSIONS = new Set([
  '1.0', '1.1', '1.2', '1.3', '1.4',
  '2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '2.9', '2.10', '2.11', '2.12', '2.13', '2.14', '2.15', '2.16',
  'Unstable',
]);

const SCROLL_ROUTE = 'GET /companies/scroll';
const SCROLL_FAILURE = 'Request failed due to an internal network error. Please restart the scroll operation.';
const MAX_BODY_BYTES = 1 << 20;

const HTML_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';
const HTML_503 = '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n';
const NOT_JSON = '<!DOCTYPE html><html><head><title>Intercom</title></head><body><p>We&#39;ll be right back.</p></body></html>';

interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
}

function jsonReply(status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': requestId, ...headers },
    text: JSON.stringify(body),
  };
}

function errorReply(status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, errorList(code, message, requestId), requestId, headers);
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new ApiError(413, 'request_too_large', 'Request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export class SimulatorServer {
  readonly server: http.Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly latencyRng: Rng;
  private closed = false;

  constructor(private readonly deps: ServerDeps) {
    this.latencyRng = new Rng(deps.seed ^ 0x1a7e);
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // Only reached for failures while writing; the socket is beyond saving.
        if (!res.headersSent && !res.writableEnded) {
          const reply = errorReply(500, 'server_error', error instanceof Error ? error.message : 'Server Error', randomUUID());
          res.writeHead(reply.status, reply.headers).end(reply.text);
        }
      });
    });
    // Clients keep connections alive between requests; do not close idle sockets under them.
    this.server.keepAliveTimeout = 60_000;
    this.server.headersTimeout = 61_000;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private latencyMs(): number {
    const latency = this.deps.live.latency;
    if (!latency) return 0;
    return Math.max(0, latency.mean + (this.latencyRng.next() * 2 - 1) * latency.jitter);
  }

  private async send(res: http.ServerResponse, reply: Reply): Promise<void> {
    await this.sleep(this.latencyMs());
    this.deps.stats.countStatus(reply.status);
    if (this.closed || res.destroyed) return;
    res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(Buffer.byteLength(reply.text)) });
    res.end(reply.text);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { sim, stats, limiter } = this.deps;
    const requestId = randomUUID();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const match = matchRoute(method, path);
    const count = stats.countRoute(match?.label ?? `${method} (unmatched)`);

    let rawBody: string;
    try {
      rawBody = await readBody(req);
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(400, 'bad_request', 'Unreadable request body');
      return this.send(res, errorReply(e.status, e.code, e.message, requestId));
    }

    const token = bearerToken(req.headers.authorization);
    const scopes = token === null ? undefined : this.deps.tokens[token];
    if (token === null || !scopes) return this.send(res, errorReply(401, 'unauthorized', 'Access Token Invalid', requestId));

    const decision = limiter.take(token, sim.now());
    const limitHeaders = decision ? rateLimitHeaders(decision) : {};
    if (decision && !decision.allowed) {
      return this.send(res, errorReply(429, 'rate_limit_exceeded', `Exceeded rate limit of ${decision.limit} in 10_seconds`, requestId, limitHeaders));
    }
    const reply = (status: number, code: string, message: string, extra: Record<string, string> = {}): Promise<void> =>
      this.send(res, errorReply(status, code, message, requestId, { ...limitHeaders, ...extra }));

    const version = req.headers['intercom-version'];
    const versionText = Array.isArray(version) ? version.join(',') : version;
    if (versionText !== undefined && !VALID_VERSIONS.has(versionText)) {
      return reply(400, 'intercom_version_invalid', 'Requested API version is invalid');
    }
    if (!match) return reply(404, 'not_found', 'Resource Not Found');
    if (match.route.scope !== null && !scopes.includes(match.route.scope)) {
      return reply(403, 'forbidden', `You do not have the required scope (${match.route.scope}) to access this resource`);
    }

    let body: unknown = undefined;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody) as unknown;
      } catch {
        return reply(400, 'bad_request', 'The request body is not valid JSON');
      }
    }

    const ctx: RequestContext = {
      method,
      path,
      params: match.params,
      query: url.searchParams,
      body,
      token,
      baseUrl: `http://${req.headers.host ?? '127.0.0.1'}`,
      dryRun: false,
    };

    const fault = this.deps.faults.draw(path);
    if (fault) return this.fault(fault, res, match, ctx, requestId, limitHeaders);

    const hook = this.deps.live.hook;
    if (hook) {
      try {
        await hook({ method, route: match.label, path, query: url.searchParams, body, count });
      } catch (error) {
        // A hook may answer for the route by throwing an ApiError; anything else it throws is a 500.
        if (error instanceof ApiError) return reply(error.status, error.code, error.message, error.headers);
        return reply(500, 'server_error', `request hook failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return this.send(res, this.run(match, ctx, requestId, limitHeaders));
  }

  /** Runs a handler and turns its result or ApiError into a reply. */
  private run(match: RouteMatch, ctx: RequestContext, requestId: string, limitHeaders: Record<string, string>): Reply {
    let result: RouteResult;
    try {
      result = match.route.handler(ctx, this.deps.sim);
    } catch (error) {
      if (error instanceof ApiError) return errorReply(error.status, error.code, error.message, requestId, { ...limitHeaders, ...error.headers });
      return errorReply(500, 'server_error', error instanceof Error ? error.message : 'Server Error', requestId, limitHeaders);
    }
    return jsonReply(result.status ?? 200, result.body, requestId, { ...limitHeaders, ...result.headers });
  }

  /** An injected fault. Nothing about the store or a scroll changes, except that a 500 kills the scroll. */
  private async fault(
    kind: FaultKind,
    res: http.ServerResponse,
    match: RouteMatch,
    ctx: RequestContext,
    requestId: string,
    limitHeaders: Record<string, string>,
  ): Promise<void> {
    const html = (status: number, text: string): Reply => ({ status, headers: { 'Content-Type': 'text/html' }, text });
    switch (kind) {
      case '500': {
        const onScroll = match.label === SCROLL_ROUTE;
        if (onScroll) this.deps.sim.scrolls.kill(ctx.token);
        return this.send(res, errorReply(500, 'server_error', onScroll ? SCROLL_FAILURE : 'Server Error', requestId, limitHeaders));
      }
      case '502':
        return this.send(res, html(502, HTML_502));
      case '503':
        return this.send(
          res,
          this.deps.faults.coin() ? html(503, HTML_503) : errorReply(503, 'service_unavailable', 'Service Unavailable', requestId, limitHeaders),
        );
      case 'invalid_json':
        return this.send(res, { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8', ...limitHeaders }, text: NOT_JSON });
      case 'truncated': {
        const full = this.run(match, { ...ctx, dryRun: true }, requestId, limitHeaders);
        await this.sleep(this.latencyMs());
        this.deps.stats.countStatus(full.status);
        if (this.closed || res.destroyed) return;
        const bytes = Buffer.from(full.text);
        // Announce the full length, send half, then drop the connection.
        res.writeHead(full.status, { ...full.headers, 'Content-Length': String(bytes.length) });
        res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
        return;
      }
      case 'reset': {
        await this.sleep(this.latencyMs());
        this.deps.stats.countStatus(0);
        res.socket?.destroy();
        return;
      }
      case 'stall': {
        this.deps.stats.countStatus(0);
        const socket: Socket | null = res.socket;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          socket?.destroy();
        }, this.deps.faults.stallSeconds * 1000);
        this.timers.add(timer);
        return;
      }
    }
  }
}
