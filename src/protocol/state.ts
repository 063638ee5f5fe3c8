import { ConfigError } from './errors.js';
import type { JsonObject } from './types.js';

/**
 * The input state as a map from stream name to that stream's state blob.
 *
 * Accepted: Airbyte's per-stream array (`[{type: "STREAM", stream: {...}}]`),
 * a GLOBAL state message, legacy messages carrying `data`, and the legacy
 * single object (`{"contacts": {"updated_at": 1676462031}, ...}`), so a user
 * switching from another connector keeps their cursors.
 */
export function parseInputState(raw: unknown, fileName = 'state'): Map<string, JsonObject> {
  const states = new Map<string, JsonObject>();
  if (raw === null || raw === undefined) return states;
  const messages = Array.isArray(raw) ? raw : isStateMessage(raw) ? [raw] : null;
  if (messages === null) {
    if (!isObject(raw)) throw invalid(fileName, 'expected an array of state messages or an object of per-stream states');
    addLegacy(states, isObject(raw.data) && !('type' in raw) && Object.keys(raw).length === 1 ? raw.data : raw, fileName);
    return states;
  }
  messages.forEach((message, i) => {
    if (!isObject(message)) throw invalid(fileName, `item ${i} is not an object`);
    const type = message.type ?? 'LEGACY';
    if (type === 'STREAM') {
      const stream = message.stream;
      const name = isObject(stream) && isObject(stream.stream_descriptor) ? stream.stream_descriptor.name : undefined;
      if (typeof name !== 'string') throw invalid(fileName, `item ${i} has no stream.stream_descriptor.name`);
      const blob = (stream as JsonObject).stream_state;
      if (blob === null || blob === undefined) states.delete(name);
      else if (isObject(blob)) states.set(name, blob);
      else throw invalid(fileName, `stream_state of '${name}' is not an object`);
    } else if (type === 'GLOBAL') {
      const global = message.global;
      const list = isObject(global) ? global.stream_states : undefined;
      if (!Array.isArray(list)) throw invalid(fileName, `item ${i} is GLOBAL but has no global.stream_states`);
      for (const s of list) {
        const name = isObject(s) && isObject(s.stream_descriptor) ? s.stream_descriptor.name : undefined;
        if (typeof name === 'string' && isObject((s as JsonObject).stream_state)) states.set(name, (s as JsonObject).stream_state as JsonObject);
      }
    } else if (type === 'LEGACY') {
      if (!isObject(message.data)) throw invalid(fileName, `item ${i} is LEGACY but has no data object`);
      addLegacy(states, message.data, fileName);
    } else {
      throw invalid(fileName, `item ${i} has unknown state type '${String(type)}'`);
    }
  });
  return states;
}

function addLegacy(states: Map<string, JsonObject>, data: unknown, fileName: string): void {
  if (!isObject(data)) throw invalid(fileName, 'legacy state must be an object keyed by stream name');
  for (const [name, blob] of Object.entries(data)) {
    if (isObject(blob)) states.set(name, blob);
  }
}

function isStateMessage(value: unknown): boolean {
  return isObject(value) && (value.type === 'STREAM' || value.type === 'GLOBAL' || value.type === 'LEGACY');
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function invalid(fileName: string, problem: string): ConfigError {
  return new ConfigError(`The state file ${fileName} is not valid: ${problem}.`);
}
