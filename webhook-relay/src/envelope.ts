import type { NewEvent } from './log/store.js';

export type EnvelopeResult = { ok: true; event: NewEvent } | { ok: false; reason: 'malformed_json' | 'not_envelope'; message: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Parses an Intercom notification envelope:
 * {type:"notification_event", id, topic, app_id, created_at, data:{item:{…}}}.
 */
export function parseEnvelope(body: Buffer): EnvelopeResult {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed_json', message: 'the body is not valid JSON' };
  }
  if (!isObject(value)) return notEnvelope('the body is not a JSON object');
  if (value.type !== 'notification_event') return notEnvelope('type is not "notification_event"');
  if (!nonEmptyString(value.id)) return notEnvelope('id is missing or not a string');
  if (!nonEmptyString(value.topic)) return notEnvelope('topic is missing or not a string');
  if (!nonEmptyString(value.app_id)) return notEnvelope('app_id is missing or not a string');
  const createdAt = value.created_at;
  if (typeof createdAt !== 'number' || !Number.isSafeInteger(createdAt) || createdAt < 0) {
    return notEnvelope('created_at is not a Unix time in seconds');
  }
  const data = value.data;
  if (!isObject(data) || !isObject(data.item)) return notEnvelope('data.item is missing or not an object');
  return {
    ok: true,
    event: { app_id: value.app_id, id: value.id, topic: value.topic, created_at: createdAt, item: data.item },
  };
}

function notEnvelope(message: string): EnvelopeResult {
  return { ok: false, reason: 'not_envelope', message: `not an Intercom notification: ${message}` };
}
