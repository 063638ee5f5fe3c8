/**
 * Calendar days in an IANA time zone, for the simulator's own use (Unix seconds).
 *
 * Intercom compares contact-search dates by calendar day in the workspace time
 * zone, and the generator places records around zoned midnights. The simulator
 * keeps this logic to itself, so that it stays an independent oracle for the
 * connector. Reads wall clocks through Intl, so DST changes are followed.
 */

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

function clockOf(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (clock === undefined) {
    clock = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    clocks.set(timeZone, clock);
  }
  return clock;
}

function wallClock(unixSeconds: number, timeZone: string): WallClock {
  const reading: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of clockOf(timeZone).formatToParts(new Date(Math.floor(unixSeconds) * 1000))) {
    if (part.type in reading) reading[part.type as keyof WallClock] = Number(part.value);
  }
  return reading;
}

/** The wall-clock date as one comparable number, YYYYMMDD. */
function dateNumber(unixSeconds: number, timeZone: string): number {
  const { year, month, day } = wallClock(unixSeconds, timeZone);
  return year * 10000 + month * 100 + day;
}

/** Throws a RangeError when Intl does not know the zone. */
export function assertTimeZone(timeZone: string): void {
  clockOf(timeZone);
}

/** How far the zone's wall clock is ahead of UTC at the instant, in seconds. */
export function zoneOffsetSeconds(unixSeconds: number, timeZone: string): number {
  const w = wallClock(unixSeconds, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000 - Math.floor(unixSeconds);
}

/** The first second of the zoned calendar day that contains the instant. */
export function startOfZonedDay(unixSeconds: number, timeZone: string): number {
  const t = Math.floor(unixSeconds);
  const today = dateNumber(t, timeZone);
  const w = wallClock(t, timeZone);
  const midnightOnUtcClock = Date.UTC(w.year, w.month - 1, w.day) / 1000;
  const isFirstSecond = (s: number): boolean =>
    s <= t && dateNumber(s, timeZone) === today && dateNumber(s - 1, timeZone) !== today;
  // Wall-clock midnight under the offset in force now, then under the offset in force then.
  const underNow = midnightOnUtcClock - zoneOffsetSeconds(t, timeZone);
  if (isFirstSecond(underNow)) return underNow;
  const underThen = midnightOnUtcClock - zoneOffsetSeconds(underNow, timeZone);
  if (isFirstSecond(underThen)) return underThen;
  // Midnight itself was skipped (a DST jump at 00:00): bisect for the day's first second.
  // A day lasts at most 25 hours, so 26 hours back is surely the day before.
  let before = t - 26 * 3600;
  let within = t;
  while (within - before > 1) {
    const mid = before + Math.floor((within - before) / 2);
    if (dateNumber(mid, timeZone) === today) within = mid;
    else before = mid;
  }
  return within;
}

/** The first second of the zoned calendar day after the one that contains the instant. */
export function startOfNextZonedDay(unixSeconds: number, timeZone: string): number {
  // Days last 23 to 25 hours, so 27 hours after a day's start is inside the next day.
  return startOfZonedDay(startOfZonedDay(unixSeconds, timeZone) + 27 * 3600, timeZone);
}
