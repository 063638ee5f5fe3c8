/** The few Airbyte protocol messages this destination reads and writes. */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface StreamDescriptor {
  name: string;
  namespace?: string | null;
}

export interface AirbyteRecord {
  stream: string;
  namespace?: string | null;
  data: JsonObject;
  emitted_at: number;
}

export interface AirbyteStateMessage {
  type?: 'STREAM' | 'GLOBAL' | 'LEGACY';
  stream?: { stream_descriptor: StreamDescriptor; stream_state?: JsonValue };
  global?: JsonObject;
  data?: JsonValue;
  sourceStats?: { recordCount?: number };
  destinationStats?: { recordCount?: number };
}

export interface AirbyteTrace {
  type: 'ERROR' | 'ESTIMATE' | 'STREAM_STATUS' | 'ANALYTICS';
  emitted_at: number;
  error?: { message: string; internal_message?: string; failure_type?: FailureType; stack_trace?: string };
  analytics?: { type: string; value: string };
  stream_status?: JsonObject;
}

export type FailureType = 'system_error' | 'config_error' | 'transient_error';

export type AirbyteMessage =
  | { type: 'RECORD'; record: AirbyteRecord }
  | { type: 'STATE'; state: AirbyteStateMessage }
  | { type: 'TRACE'; trace: AirbyteTrace }
  | { type: 'LOG'; log: { level: LogLevel; message: string } }
  | { type: 'SPEC'; spec: JsonObject }
  | { type: 'CONNECTION_STATUS'; connectionStatus: { status: 'SUCCEEDED' | 'FAILED'; message?: string } }
  | { type: 'CATALOG' | 'CONTROL'; [key: string]: JsonValue };

export type LogLevel = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';

export interface ConfiguredStream {
  stream: {
    name: string;
    namespace?: string | null;
    json_schema: JsonObject;
    source_defined_primary_key?: string[][];
    default_cursor_field?: string[];
  };
  sync_mode: 'full_refresh' | 'incremental';
  destination_sync_mode: 'overwrite' | 'append' | 'append_dedup' | 'overwrite_dedup';
  cursor_field?: string[];
  primary_key?: string[][];
}

export interface ConfiguredCatalog {
  streams: ConfiguredStream[];
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function logMessage(level: LogLevel, message: string): AirbyteMessage {
  return { type: 'LOG', log: { level, message } };
}

export function errorTrace(message: string, failureType: FailureType, internal?: string): AirbyteMessage {
  const error: NonNullable<AirbyteTrace['error']> = { message, failure_type: failureType };
  if (internal !== undefined) error.internal_message = internal;
  return { type: 'TRACE', trace: { type: 'ERROR', emitted_at: Date.now(), error } };
}
