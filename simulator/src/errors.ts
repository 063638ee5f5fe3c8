/**
 * Intercom's error envelope. Every failure the simulator answers with uses the
 * `error.list` body, so clients exercise the same parsing as against the real API.
 */
import { randomUUID } from 'node:crypto';

export interface ErrorListBody {
  type: 'error.list';
  request_id: string;
  errors: Array<{ code: string; message: string }>;
}

export function errorList(code: string, message: string, requestId: string = randomUUID()): ErrorListBody {
  return { type: 'error.list', request_id: requestId, errors: [{ code, message }] };
}

/** Thrown by route handlers; the server turns it into an error.list response. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, code = 'parameter_invalid'): ApiError => new ApiError(400, code, message);

export const notFound = (message = 'Resource Not Found', code = 'not_found'): ApiError => new ApiError(404, code, message);

/** A record the caller asked the store to mutate does not exist (or was deleted or merged). */
export class UnknownRecordError extends Error {
  constructor(kind: string, id: string) {
    super(`no live ${kind} with id ${id}`);
    this.name = 'UnknownRecordError';
  }
}
