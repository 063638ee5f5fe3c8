/**
 * Calendar-day arithmetic in an IANA time zone, in Unix seconds.
 *
 * Intercom's contact search compares dates by calendar day in the workspace
 * time zone, so both the connector and the simulator need the exact instant a
 * zoned day starts. Built on Intl only, so it follows DST transitions.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError for a name Intl does not know. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** Offset of the zone from UTC at the given instant, in seconds (east positive). */
export function zoneOffsetSeconds(unixSeconds: number, timeZone: string): number {
  // Intl is slow and a read asks once per record: remember each six-hour UTC span whose
  // offset is the same at its first and last second (no zone changes offset twice in six hours).
  const span = Math.floor(unixSeconds / SPAN_SECONDS);
  const key = `${timeZone} ${span}`;
  const known = steadySpans.get(key);
  if (known !== undefined) return known;
  const offset = exactOffsetSeconds(unixSeconds, timeZone);
  if (steadySpans.size >= 10_000) steadySpans.clear();
  const start = span * SPAN_SECONDS;
  if (exactOffsetSeconds(start, timeZone) === offset && exactOffsetSeconds(start + SPAN_SECONDS - 1, timeZone) === offset) steadySpans.set(key, offset);
  return offset;
}

const SPAN_SECONDS = 6 * 3600;
const steadySpans = new Map<string, number>();

function exactOffsetSeconds(unixSeconds: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(unixSeconds * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round(asUtc / 1000 - Math.floor(unixSeconds));
}

/** The instant (Unix seconds) at which the zoned calendar day containing `unixSeconds` begins. */
export function startOfZonedDay(unixSeconds: number, timeZone: string): number {
  const t = Math.floor(unixSeconds);
  const date = zonedDate(t, timeZone);
  const offset = zoneOffsetSeconds(t, timeZone);
  // Midnight if the offset held all day, which it almost always did.
  const guess = Math.floor((t + offset) / 86400) * 86400 - offset;
  if (guess <= t && zonedDate(guess, timeZone) === date && zonedDate(guess - 1, timeZone) < date) return guess;
  // The offset changed during the day (DST at or near midnight): find the day's first second.
  let before = t - 30 * 3600;
  let at = t;
  while (at - before > 1) {
    const mid = Math.floor((before + at) / 2);
    if (zonedDate(mid, timeZone) >= date) at = mid;
    else before = mid;
  }
  return at;
}

/** The instant at which the zoned day after the one containing `unixSeconds` begins. */
export function startOfNextZonedDay(unixSeconds: number, timeZone: string): number {
  const start = startOfZonedDay(unixSeconds, timeZone);
  // Days last 23 to 25 hours around DST changes; 26 hours always lands in the next day.
  return startOfZonedDay(start + 26 * 3600, timeZone);
}

/** The zoned calendar date (YYYY-MM-DD) containing the instant. */
export function zonedDate(unixSeconds: number, timeZone: string): string {
  const offset = zoneOffsetSeconds(unixSeconds, timeZone);
  return new Date((Math.floor(unixSeconds) + offset) * 1000).toISOString().slice(0, 10);
}
