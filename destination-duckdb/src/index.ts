export { writeMessages, type WriteOptions, type WriteSummary } from './writer.js';
export { loadSavedState } from './state.js';
export { buildModels, MODEL_NAMES, STAGED_SOURCES } from './models.js';
export { runQuery, formatTable, type QueryResult } from './query.js';
export { checkConfig } from './check.js';
export { parseConfig, SPEC, type DestinationConfig, type CdcDeletionMode } from './config.js';
export { DestinationError, InputError } from './errors.js';
export { modelMetrics, type ModelMetrics } from './cross-check.js';
export type { AirbyteMessage, AirbyteStateMessage, AirbyteRecord, ConfiguredCatalog, ConfiguredStream, LogLevel } from './protocol.js';
