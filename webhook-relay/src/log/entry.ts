import { createHash } from 'node:crypto';

/** One stored webhook notification, exactly as the read API returns it. */
export interface StoredEvent {
  seq: number;
  app_id: string;
  id: string;
  topic: string;
  created_at: number;
  received_at: string;
  item: Record<string, unknown>;
}

const CHECKSUM_HEX_LENGTH = 64;

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

/**
 * An entry is one line: the SHA-256 hex of the JSON, a space, the JSON, a newline.
 * JSON.stringify never emits a raw newline, so lines frame entries unambiguously.
 */
export function encodeEntry(event: StoredEvent): { line: Buffer; json: string } {
  const json = JSON.stringify({
    seq: event.seq,
    app_id: event.app_id,
    id: event.id,
    topic: event.topic,
    created_at: event.created_at,
    received_at: event.received_at,
    item: event.item,
  });
  return { line: Buffer.from(`${checksum(json)} ${json}\n`, 'utf8'), json };
}

/** Decodes one line (without its newline); null when the checksum or the shape does not hold. */
export function decodeEntry(line: string): { event: StoredEvent; json: string } | null {
  if (line.length <= CHECKSUM_HEX_LENGTH + 1 || line[CHECKSUM_HEX_LENGTH] !== ' ') return null;
  const json = line.slice(CHECKSUM_HEX_LENGTH + 1);
  if (checksum(json) !== line.slice(0, CHECKSUM_HEX_LENGTH)) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!isStoredEvent(value)) return null;
  return { event: value, json };
}

function isStoredEvent(value: unknown): value is StoredEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(v.seq) &&
    typeof v.app_id === 'string' &&
    typeof v.id === 'string' &&
    typeof v.topic === 'string' &&
    typeof v.created_at === 'number' &&
    typeof v.received_at === 'string' &&
    typeof v.item === 'object' &&
    v.item !== null
  );
}
