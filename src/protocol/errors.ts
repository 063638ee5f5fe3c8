import type { FailureType } from './types.js';

/**
 * An error that knows how Airbyte should classify it. `message` is written for
 * the user (what went wrong, what to fix); it must never contain a secret.
 */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly failureType: FailureType,
    readonly internalMessage?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The user's config, catalog, state or permissions are wrong; retrying will not help. */
export class ConfigError extends ConnectorError {
  constructor(message: string, internalMessage?: string) {
    super(message, 'config_error', internalMessage);
  }
}

/** A temporary condition (rate limits, outages); the next attempt may succeed. */
export class TransientError extends ConnectorError {
  constructor(message: string, internalMessage?: string) {
    super(message, 'transient_error', internalMessage);
  }
}

/** A bug or an unexpected answer from Intercom. */
export class SystemError extends ConnectorError {
  constructor(message: string, internalMessage?: string) {
    super(message, 'system_error', internalMessage);
  }
}

/** Any thrown value as a ConnectorError; unknown errors are system errors. */
export function asConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (err instanceof Error) return new SystemError(`Unexpected error: ${err.message}`, err.stack);
  return new SystemError(`Unexpected error: ${String(err)}`);
}
