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

/** Bad input on stdin: names the line and, when known, the stream. */
export class InputError extends DestinationError {
  constructor(
    readonly line: number,
    readonly stream: string | undefined,
    detail: string,
  ) {
    super(`input line ${line}${stream === undefined ? '' : ` (stream "${stream}")`}: ${detail}`, 'config_error');
    this.name = 'InputError';
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
