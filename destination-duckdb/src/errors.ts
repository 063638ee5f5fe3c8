import type { FailureType } from './protocol.js';

/** An error with the Airbyte failure type it should be reported as. */
export class DestinationError extends Error {
  constructor(
    message: string,
    readonly failureType: FailureType,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DestinationError';
  }
}

/**
 * Bad input on stdin: names the line and, when known, the stream. A stream
 * missing from the configured catalog is the user's to fix (config_error);
 * a malformed or ill-typed message is the source's fault (system_error).
 */
export class InputError extends DestinationError {
  constructor(
    readonly line: number,
    readonly stream: string | undefined,
    detail: string,
    failureType: FailureType = 'system_error',
  ) {
    super(`input line ${line}${stream === undefined ? '' : ` (stream "${stream}")`}: ${detail}`, failureType);
    this.name = 'InputError';
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
