/**
 * A timestamp from Intercom or from a state file as Unix seconds: integers,
 * numeric strings ("1676286387"), milliseconds and ISO 8601 strings are all
 * accepted. Anything else is null.
 */
export function toUnixSeconds(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) n = Number(value);
  else if (typeof value === 'string') {
    const seconds = fromIsoString(value);
    if (seconds === null) return null;
    n = seconds;
  } else return null;
  if (!Number.isFinite(n)) return null;
  // Milliseconds: no Intercom second timestamp reaches 10^11 (year 5138).
  if (Math.abs(n) >= 1e11) n = n / 1000;
  return Math.floor(n);
}

/**
 * An ISO 8601 date or date-time string as Unix seconds, or null. Looser
 * strings ("1", "soon", "version 2") are not dates, whatever Date.parse
 * makes of them; a date-time without a zone is UTC, whatever zone this
 * process runs in.
 */
export function fromIsoString(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const ms = Date.parse(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function isoFromSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
