export { startRelay, type RunningRelay } from './server.js';
export type { RelayOptions } from './options.js';
export type { StoredEvent } from './log/entry.js';
export type { BenchResult } from './bench.js';
export { signBody } from './signature.js';
export { RelayConfigError, LogCorruptError } from './errors.js';
export { RELAY_VERSION } from './version.js';
