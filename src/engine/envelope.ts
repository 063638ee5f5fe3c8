import type { JsonObject } from '../protocol/types.js';

/** What a source's responses must hold besides their records. */
export type EnvelopeKind = 'list' | 'search' | 'scroll';

const SIMPLE = /^\$((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\[\*\]$/;

/**
 * A check of a response body against the envelope its source expects, for
 * the client's `expect` option: the records field is present and an array,
 * a search also says `total_count` and `pages`, a scroll page with records
 * carries its `scroll_param`. Anything else is not an empty page: reading it
 * as one would move the cursor past records never seen.
 */
export function envelopeCheck(recordsPath: string, kind: EnvelopeKind = 'list'): (body: unknown) => string | null {
  const keys = SIMPLE.exec(recordsPath)?.[1]?.slice(1).split('.') ?? null;
  return (body) => {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the body is not a JSON object';
    const envelope = body as JsonObject;
    let records: unknown = envelope;
    if (keys) {
      for (const key of keys) records = records !== null && typeof records === 'object' && !Array.isArray(records) ? (records as JsonObject)[key] : undefined;
      const field = keys.join('.');
      if (records === undefined) return `the records field '${field}' is missing`;
      if (!Array.isArray(records)) return `the records field '${field}' is ${records === null ? 'null' : typeof records}, not an array`;
      if (records.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) return `the records field '${field}' holds something other than objects`;
    }
    if (kind === 'search') {
      if (typeof envelope.total_count !== 'number') return "'total_count' is missing or not a number";
      if (!('pages' in envelope)) return "'pages' is missing";
    }
    if (kind === 'scroll' && Array.isArray(records) && records.length > 0 && (typeof envelope.scroll_param !== 'string' || envelope.scroll_param === '')) {
      return "a page with records has no 'scroll_param'";
    }
    return null;
  };
}
