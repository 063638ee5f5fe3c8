/** The Airbyte protocol messages this connector speaks (a subset of airbyte_protocol.yaml v0). */

export type JsonObject = { [key: string]: unknown };
export type JsonSchema = JsonObject;

export type FailureType = 'system_error' | 'config_error' | 'transient_error';
export type LogLevel = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';
export type StreamStatus = 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';
export type SyncMode = 'full_refresh' | 'incremental';
export type DestinationSyncMode = 'append' | 'overwrite' | 'append_dedup' | 'update' | 'soft_delete';

export interface StreamDescriptor {
  name: string;
  namespace?: string;
}

export interface AirbyteStream {
  name: string;
  json_schema: JsonSchema;
  supported_sync_modes: SyncMode[];
  source_defined_cursor?: boolean;
  default_cursor_field?: string[];
  source_defined_primary_key?: string[][];
  is_resumable?: boolean;
}

export interface ConfiguredAirbyteStream {
  stream: AirbyteStream;
  sync_mode: SyncMode;
  destination_sync_mode: DestinationSyncMode;
  cursor_field?: string[];
  primary_key?: string[][];
}

export interface ConfiguredAirbyteCatalog {
  streams: ConfiguredAirbyteStream[];
}

export interface StreamStateMessage {
  type: 'STREAM';
  stream: { stream_descriptor: StreamDescriptor; stream_state: JsonObject | null };
  sourceStats?: { recordCount: number };
}

export type AirbyteMessage =
  | { type: 'RECORD'; record: { stream: string; data: JsonObject; emitted_at: number } }
  | { type: 'STATE'; state: StreamStateMessage }
  | { type: 'LOG'; log: { level: LogLevel; message: string; stack_trace?: string } }
  | { type: 'SPEC'; spec: JsonObject }
  | { type: 'CONNECTION_STATUS'; connectionStatus: { status: 'SUCCEEDED' | 'FAILED'; message?: string } }
  | { type: 'CATALOG'; catalog: { streams: AirbyteStream[] } }
  | { type: 'TRACE'; trace: TraceMessage };

export type TraceMessage =
  | {
      type: 'ERROR';
      emitted_at: number;
      error: {
        message: string;
        internal_message?: string;
        stack_trace?: string;
        failure_type: FailureType;
        stream_descriptor?: StreamDescriptor;
      };
    }
  | {
      type: 'STREAM_STATUS';
      emitted_at: number;
      stream_status: { stream_descriptor: StreamDescriptor; status: StreamStatus };
    }
  | {
      type: 'ESTIMATE';
      emitted_at: number;
      estimate: { name: string; type: 'STREAM'; row_estimate: number };
    }
  | {
      type: 'ANALYTICS';
      emitted_at: number;
      analytics: { type: string; value?: string };
    };
