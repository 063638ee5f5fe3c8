import http from 'node:http';
import https from 'node:https';
import got, { type Got, RequestError } from 'got';
import { ConfigError } from '../protocol/errors.js';
import { backoffDelayMs, sleep } from './backoff.js';
import {
  AuthenticationError,
  IntercomApiError,
  NotFoundError,
  PermissionError,
  TransportError,
  UnavailableError,
  UnexpectedResponseError,
  type IntercomErrorDetail,
} from './errors.js';
import type { GovernorStats, Priority, RateLimitHeaders, RequestGovernor } from './governor.js';

export interface ClientOptions {
  baseUrl: string;
  token: string;
  apiVersion: string;
  governor: RequestGovernor;
  timeoutMs?: number;
  /** Attempts for 5xx, connection errors, timeouts and unreadable bodies. */
  maxAttempts?: number;
  /** Attempts a single request gets when Intercom keeps answering 429. */
  maxRateLimitedAttempts?: number;
  onRetry?: (info: RetryInfo) => void;
}

export interface ClientStats extends GovernorStats {
  /** Attempts repeated after a 429, a 5xx, a connection failure or an unreadable body. */
  retries: number;
  /** What callers are sleeping on right now (retry backoffs, a busy scroll), soonest end first. */
  waits: Array<{ reason: string; untilMs: number }>;
}

export interface RetryInfo {
  route: string;
  attempt: number;
  reason: string;
  delayMs: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  priority?: Priority;
  /**
   * Checks the parsed body against the envelope the caller expects and names
   * what is wrong, or returns null. A mismatch is retried like a corrupt body.
   */
  expect?: (body: unknown) => string | null;
  /**
   * False for requests that must not be repeated as they are, because the
   * server may have acted on a failed attempt (a scroll page moves the
   * scroll): the first failure is thrown. 429s are still waited out, since
   * Intercom did not serve them.
   */
  retry?: boolean;
}

type Method = 'GET' | 'POST';

interface Attempt {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A retryable failure of one attempt. */
class RetryableFailure extends Error {
  constructor(
    readonly reason: string,
    readonly status: number | null,
    /** The body parsed but is not the envelope the caller expects. */
    readonly unexpected = false,
  ) {
    super(reason);
  }
}

/**
 * Intercom's REST API over keep-alive connections: bearer auth, the
 * `Intercom-Version` header, JSON bodies, retries with backoff and jitter for
 * whatever may succeed on another try, and a governor that decides when each
 * request may go.
 */
export class IntercomClient {
  private readonly origin: string;
  /** The path a proxy serves the API under ('' for Intercom itself). */
  private readonly basePath: string;
  private retries = 0;
  private readonly waits = new Set<{ reason: string; untilMs: number }>();
  private readonly http: Got;
  private readonly maxAttempts: number;
  private readonly maxRateLimitedAttempts: number;

  constructor(private readonly options: ClientOptions) {
    const base = new URL(options.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
    const agentOptions = { keepAlive: true, maxSockets: 128, scheduling: 'lifo' as const };
    this.http = got.extend({
      prefixUrl: '',
      throwHttpErrors: false,
      retry: { limit: 0 },
      followRedirect: false,
      responseType: 'text',
      timeout: { request: options.timeoutMs ?? 60_000 },
      agent: { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) },
      headers: {
        authorization: `Bearer ${options.token}`,
        accept: 'application/json',
        'intercom-version': options.apiVersion,
        'user-agent': 'source-intercom (Airbyte connector)',
      },
    });
    this.maxAttempts = options.maxAttempts ?? 6;
    this.maxRateLimitedAttempts = options.maxRateLimitedAttempts ?? 30;
  }

  /** Requests sent, retries, 429s and the current ceiling, for progress reports. */
  stats(): ClientStats {
    return {
      ...this.options.governor.stats(),
      retries: this.retries,
      waits: [...this.waits].sort((a, b) => a.untilMs - b.untilMs),
    };
  }

  /** Sleeps, telling progress reports what for. */
  async wait(reason: string, ms: number): Promise<void> {
    const entry = { reason, untilMs: Date.now() + ms };
    this.waits.add(entry);
    try {
      await sleep(ms);
    } finally {
      this.waits.delete(entry);
    }
  }

  get(path: string, options: RequestOptions = {}): Promise<unknown> {
    return this.request('GET', path, options);
  }

  post(path: string, body: unknown, options: RequestOptions = {}): Promise<unknown> {
    return this.request('POST', path, { ...options, body });
  }

  /** Sends a request and returns its parsed JSON body, or throws a typed error. */
  async request(method: Method, pathOrUrl: string, options: RequestOptions = {}): Promise<unknown> {
    const url = this.resolve(pathOrUrl, options.query);
    const route = `${method} ${url.pathname}`;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      try {
        const attempt = await this.attempt(method, url, options);
        if (attempt.status === 429) {
          rateLimited += 1;
          if (rateLimited >= this.maxRateLimitedAttempts) throw this.apiError(route, attempt);
          // The governor has already paused every caller until the window resets.
          this.retries += 1;
          this.options.onRetry?.({ route, attempt: rateLimited, reason: 'HTTP 429 rate limited', delayMs: 0 });
          continue;
        }
        if (attempt.status >= 200 && attempt.status < 300) {
          const body = parseJson(attempt.text);
          const problem = options.expect?.(body) ?? null;
          if (problem !== null) throw new RetryableFailure(`unexpected response: ${problem}`, attempt.status, true);
          return body;
        }
        throw this.apiError(route, attempt);
      } catch (err) {
        if (!(err instanceof RetryableFailure)) throw err;
        failures += 1;
        if (failures >= this.maxAttempts || options.retry === false) throw this.exhausted(route, err, failures);
        const delayMs = backoffDelayMs(failures - 1);
        this.retries += 1;
        this.options.onRetry?.({ route, attempt: failures, reason: err.reason, delayMs });
        await this.wait(`a retry of ${route} after ${err.reason}`, delayMs);
      }
    }
  }

  private async attempt(method: Method, url: URL, options: RequestOptions): Promise<Attempt> {
    const permit = await this.options.governor.acquire(options.priority ?? 0);
    let status: number | null = null;
    let headers: RateLimitHeaders | null = null;
    try {
      const response = await this.http(url, {
        method,
        ...(options.body === undefined ? {} : { json: options.body }),
      });
      status = response.statusCode;
      headers = readRateLimit(response.headers);
      if (status >= 500) {
        const said = readErrorDetail(response.body).message;
        throw new RetryableFailure(`HTTP ${status}${said ? `: ${said}` : ''}`, status);
      }
      if (status >= 200 && status < 300) {
        // Truncated or garbled bodies are retried like any other transient failure.
        if (!isJsonText(response.body)) throw new RetryableFailure('response body is not valid JSON', status);
      }
      return { status, headers: response.headers, text: response.body };
    } catch (err) {
      if (err instanceof RetryableFailure) throw err;
      // A header Node refuses to send fails the same way on every attempt: the config must change.
      if (err instanceof RequestError && HEADER_ERRORS.has(err.code)) {
        throw new ConfigError(
          "The 'access_token' or 'api_version' in the config holds a character that cannot be sent in an HTTP header. Copy the value again, without line breaks or special characters.",
          err.code,
        );
      }
      if (err instanceof RequestError) throw new RetryableFailure(describeRequestError(err), null);
      throw err;
    } finally {
      this.options.governor.complete(permit, { status, headers });
    }
  }

  /** Absolute URLs (Intercom's `next` links) must stay on the configured host: the token goes only there. */
  private resolve(pathOrUrl: string, query: RequestOptions['query']): URL {
    const url = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(this.basePath + pathOrUrl.replace(/^\/?/, '/'), this.origin);
    if (url.origin !== this.origin) {
      throw new TransportError(`Refusing to follow a link to ${url.origin}: only ${this.origin} receives the token`, url.pathname);
    }
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  private apiError(route: string, attempt: Attempt): IntercomApiError {
    const detail = readErrorDetail(attempt.text);
    const said = detail.message ? `: ${detail.message}` : '';
    switch (attempt.status) {
      case 401:
        return new AuthenticationError(
          `Intercom rejected the access token (401${detail.code ? ` ${detail.code}` : ''}). Check that the token is current and belongs to this workspace and region.`,
          'config_error',
          401,
          route,
          detail,
        );
      case 403: {
        const scope = /required scope \(([^)]+)\)/.exec(detail.message ?? '')?.[1];
        return new PermissionError(
          scope
            ? `The access token lacks the '${scope}' permission needed for ${route}. Grant it to the Intercom app and reauthorize.`
            : `Intercom refused ${route} (403)${said}`,
          'config_error',
          403,
          route,
          detail,
        );
      }
      case 400:
        if (detail.code === 'intercom_version_invalid' || /\bversion\b/i.test(detail.message ?? '')) {
          return new IntercomApiError(
            `Intercom rejected the API version '${this.options.apiVersion}' set in the config field 'api_version'${said}. Use a version Intercom offers, such as 2.16.`,
            'config_error',
            400,
            route,
            detail,
          );
        }
        return new IntercomApiError(`Intercom answered ${route} with HTTP 400${said}`, 'system_error', 400, route, detail);
      case 407:
        return new IntercomApiError(
          `The proxy at the config field 'api_base_url' asks for proxy authentication (407)${said}. Use a proxy that needs none, or the region's Intercom host.`,
          'config_error',
          407,
          route,
          detail,
        );
      case 431:
        return new IntercomApiError(
          `Intercom refused the request headers as too large (431)${said}. Check the config field 'access_token': it should be one token, not several pasted together.`,
          'config_error',
          431,
          route,
          detail,
        );
      case 404:
      case 410:
        return new NotFoundError(`Intercom has no ${route} (${attempt.status})${said}`, 'system_error', attempt.status, route, detail);
      case 429:
        return new UnavailableError(`Intercom kept rate limiting ${route}${said}`, 'transient_error', 429, route, detail);
      default:
        return new IntercomApiError(`Intercom answered ${route} with HTTP ${attempt.status}${said}`, 'system_error', attempt.status, route, detail);
    }
  }

  private exhausted(route: string, err: RetryableFailure, attempts: number): Error {
    const message = `${route} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${err.reason}`;
    if (err.unexpected) return new UnexpectedResponseError(message, route, err.reason);
    if (err.status !== null) return new UnavailableError(message, 'transient_error', err.status, route, {});
    return new TransportError(message, route, err.reason);
  }
}

/** got's codes for a header value Node will not send. */
const HEADER_ERRORS = new Set(['ERR_INVALID_CHAR', 'ERR_INVALID_HEADER_VALUE', 'ERR_HTTP_INVALID_HEADER_VALUE']);

function readRateLimit(headers: Record<string, string | string[] | undefined>): RateLimitHeaders | null {
  const limit = Number(headers['x-ratelimit-limit']);
  const remaining = Number(headers['x-ratelimit-remaining']);
  const resetAt = Number(headers['x-ratelimit-reset']);
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(resetAt)) return null;
  if (headers['x-ratelimit-limit'] === undefined) return null;
  return { limit, remaining, resetAt };
}

function readErrorDetail(text: string): IntercomErrorDetail {
  try {
    const body = JSON.parse(text) as { errors?: Array<{ code?: unknown; message?: unknown }>; request_id?: unknown };
    const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
    return {
      ...(typeof first?.code === 'string' ? { code: first.code } : {}),
      ...(typeof first?.message === 'string' ? { message: first.message } : {}),
      ...(typeof body.request_id === 'string' ? { requestId: body.request_id } : {}),
    };
  } catch {
    return {};
  }
}

function isJsonText(text: string): boolean {
  const trimmed = text.trimEnd();
  const last = trimmed[trimmed.length - 1];
  // Cheap test first: every JSON document Intercom sends is an object or an array.
  return last === '}' || last === ']';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RetryableFailure('response body is not valid JSON', 200);
  }
}

function describeRequestError(err: RequestError): string {
  const host = err.options?.url instanceof URL ? err.options.url.host : '';
  const code = err.code ?? 'ERROR';
  if (code === 'ETIMEDOUT') return `timed out waiting for ${host}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `could not resolve host ${host} (${code})`;
  if (code === 'ECONNREFUSED') return `connection to ${host} refused (${code})`;
  return `${code} talking to ${host}: ${err.message}`;
}
