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

/** What `lastStates` found in a read's output. */
export interface CollectedStates {
  /** Per-stream state messages, as `read --state` takes them. */
  states: JsonObject[];
  /** Lines that were not JSON (a read's stdout has none; a merged stderr has). */
  skipped: number;
}

/**
 * The last STATE of every stream in a read's output (NDJSON lines), without
 * sourceStats: the input state of the next read. A stream whose last state
 * is null is left out, as Airbyte resets it.
 */
export function lastStates(lines: Iterable<string>): CollectedStates {
  const last = new Map<string, JsonObject | null>();
  let skipped = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      skipped += 1;
      continue;
    }
    if (!isObject(message) || message.type !== 'STATE' || !isObject(message.state)) continue;
    const state = message.state;
    if (state.type === 'STREAM' && isObject(state.stream) && isObject(state.stream.stream_descriptor)) {
      const name = state.stream.stream_descriptor.name;
      if (typeof name !== 'string') continue;
      const blob = state.stream.stream_state;
      last.delete(name); // keep the order of the latest states
      last.set(name, isObject(blob) ? blob : null);
    }
  }
  const states: JsonObject[] = [];
  for (const [name, blob] of last) {
    if (blob) states.push({ type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: blob } });
  }
  return { states, skipped };
}
