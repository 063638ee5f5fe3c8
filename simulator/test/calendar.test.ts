/**
 * The simulator's calendar days agree with a plain scan of wall-clock dates,
 * also on the days a DST change shortens or lengthens, and where midnight is skipped.
 */
import t from 'tap';
import { assertTimeZone, startOfNextZonedDay, startOfZonedDay, zoneOffsetSeconds } from '../src/calendar.js';

const dateIn = (unixSeconds: number, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(unixSeconds * 1000));

/** The oracle: walk back minute by minute, then second by second, while the date holds. */
function scanDayStart(unixSeconds: number, timeZone: string): number {
  const date = dateIn(unixSeconds, timeZone);
  let s = unixSeconds;
  while (dateIn(s - 60, timeZone) === date) s -= 60;
  while (dateIn(s - 1, timeZone) === date) s -= 1;
  return s;
}

const cases: Array<[string, string]> = [
  ['America/Los_Angeles', '2024-03-10T15:00:00Z'], // 23-hour day
  ['America/Los_Angeles', '2024-11-03T20:00:00Z'], // 25-hour day
  ['Europe/Berlin', '2024-06-10T10:00:00Z'],
  ['America/Santiago', '2024-09-08T12:00:00Z'], // DST starts at midnight: 00:00 is skipped
  ['America/Havana', '2024-03-10T12:00:00Z'], // DST at midnight as well
  ['Asia/Kolkata', '2024-01-01T00:00:00Z'], // a half-hour offset
  ['UTC', '2024-02-29T23:59:59Z'],
];

for (const [zone, iso] of cases) {
  t.test(`${zone} ${iso}`, async (t) => {
    const at = Date.parse(iso) / 1000;
    const start = startOfZonedDay(at, zone);
    t.equal(start, scanDayStart(at, zone), 'the day starts where a scan of wall-clock dates says');
    const next = startOfNextZonedDay(at, zone);
    t.equal(next, scanDayStart(next, zone), 'the next day starts on a day boundary');
    t.not(dateIn(next, zone), dateIn(at, zone), 'on another date');
    t.equal(dateIn(next - 1, zone), dateIn(at, zone), 'right after this day ends');
    t.equal(startOfZonedDay(start, zone), start, 'a day start is its own day start');
  });
}

t.test('offsets and zone names', async (t) => {
  t.equal(zoneOffsetSeconds(Date.parse('2024-01-15T12:00:00Z') / 1000, 'America/Los_Angeles'), -8 * 3600);
  t.equal(zoneOffsetSeconds(Date.parse('2024-07-15T12:00:00Z') / 1000, 'America/Los_Angeles'), -7 * 3600);
  t.equal(zoneOffsetSeconds(0, 'Asia/Kolkata'), 5.5 * 3600);
  t.throws(() => assertTimeZone('Mars/Olympus_Mons'), RangeError, 'an unknown zone is a RangeError');
  t.doesNotThrow(() => assertTimeZone('Europe/Berlin'));
});
