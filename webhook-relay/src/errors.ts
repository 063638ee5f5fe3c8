/** A setting or environment variable the operator must fix; the bin prints the message and exits 2. */
export class RelayConfigError extends Error {
  override readonly name = 'RelayConfigError';
}

/** The log on disk is damaged in a way start-up must not silently repair (not a torn tail). */
export class LogCorruptError extends Error {
  override readonly name = 'LogCorruptError';
}

/** The store hit a write or fsync failure and refuses further appends until a restart recovers the log. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
