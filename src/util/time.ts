/**
 * A timestamp from Intercom or from a state file as Unix seconds: integers,
 * numeric strings ("1676286387"), milliseconds and ISO 8601 strings are all
 * accepted. Anything else is null.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

export function toUnixSeconds(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) n = Number(value);
  else if (typeof value === 'string' && ISO_DATE.test(value)) {
    // An ISO string without a zone is UTC, whatever zone this process runs in.
    const ms = Date.parse(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value);
    if (!Number.isFinite(ms)) return null;
    n = ms / 1000;
  } else return null;
  if (!Number.isFinite(n)) return null;
  // Milliseconds: no Intercom second timestamp reaches 10^11 (year 5138).
  if (Math.abs(n) >= 1e11) n = n / 1000;
  return Math.floor(n);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function isoFromSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
