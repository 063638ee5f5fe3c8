import { ConnectorError } from '../protocol/errors.js';
import type { FailureType } from '../protocol/types.js';

/** What Intercom said in an `error.list` body, when it said anything. */
export interface IntercomErrorDetail {
  code?: string;
  message?: string;
  requestId?: string;
}

/** Intercom answered with a non-2xx status the client does not retry (or stopped retrying). */
export class IntercomApiError extends ConnectorError {
  constructor(
    message: string,
    failureType: FailureType,
    readonly status: number,
    readonly route: string,
    readonly detail: IntercomErrorDetail,
  ) {
    super(message, failureType, `HTTP ${status} on ${route}${detail.code ? ` (${detail.code})` : ''}${detail.requestId ? ` request_id=${detail.requestId}` : ''}`);
  }
}

/** 401: the token is missing, revoked or wrong. */
export class AuthenticationError extends IntercomApiError {}

/** 403: the token works but lacks a scope (permission) the request needs. */
export class PermissionError extends IntercomApiError {
  /** The scope Intercom named, e.g. `read_tickets`, when it named one. */
  get scope(): string | undefined {
    return /required scope \(([^)]+)\)/.exec(this.detail.message ?? '')?.[1];
  }
}

/** 404 or 410: the object is gone (deleted, merged) or the route does not exist. */
export class NotFoundError extends IntercomApiError {}

/** 429s or 5xx that outlasted every retry. */
export class UnavailableError extends IntercomApiError {}

/** The connection failed, timed out or returned a body that is not JSON, on every attempt. */
export class TransportError extends ConnectorError {
  constructor(
    message: string,
    readonly route: string,
    readonly reason?: string,
  ) {
    super(message, 'transient_error', reason);
  }
}

/** Intercom answered 200 with a body that is not the envelope the endpoint documents, on every attempt. */
export class UnexpectedResponseError extends ConnectorError {
  constructor(
    message: string,
    readonly route: string,
    readonly reason?: string,
  ) {
    super(message, 'system_error', reason);
  }
}
