/**
 * src/util/zoned-day.ts: the instants at which calendar days start in an IANA
 * zone. Contact search compares dates by calendar day in the workspace zone
 * (reference: intercom-api.md section 2), so a wrong day start loses records.
 * Expected instants are written out by hand from each zone's published rules;
 * the property tests check against an Intl-only oracle (test/unit/helpers.ts).
 */
import t, { type Test } from 'tap';
import { assertTimeZone, startOfNextZonedDay, startOfZonedDay, zonedDate } from '../../src/util/zoned-day.js';
import { at, isDayStart, localDate, offsetChanges, oracleDayStart, rng, randInt } from './helpers.js';

const H = 3600;

interface DayCase {
  zone: string;
  /** Instants that lie on the day. */
  inside: string[];
  date: string;
  start: string;
  next: string;
  hours: number;
}


function checkDay(tt: Test, c: DayCase): void {
  for (const iso of c.inside) {
    const x = at(iso);
    tt.equal(startOfZonedDay(x, c.zone), at(c.start), `${c.zone} ${iso}: the day starts at ${c.start}`);
    tt.equal(startOfNextZonedDay(x, c.zone), at(c.next), `${c.zone} ${iso}: the next day starts at ${c.next}`);
    tt.equal(zonedDate(x, c.zone), c.date, `${c.zone} ${iso} is on ${c.date}`);
  }
  tt.equal((at(c.next) - at(c.start)) / H, c.hours, `${c.zone} ${c.date} lasts ${c.hours} hours`);
  tt.equal(zonedDate(at(c.start), c.zone), c.date, 'the first second belongs to the day');
  tt.not(zonedDate(at(c.start) - 1, c.zone), c.date, 'the second before the start belongs to the day before');
  tt.equal(zonedDate(at(c.next) - 1, c.zone), c.date, 'the last second belongs to the day');
  tt.not(zonedDate(at(c.next), c.zone), c.date, 'the next start belongs to the next day');
}

t.test('America/Los_Angeles, DST starts 2026-03-08 02:00 PST -> 03:00 PDT: a 23-hour day', (tt) => {
  checkDay(tt, {
    zone: 'America/Los_Angeles',
    inside: ['2026-03-08T00:00:00-08:00', '2026-03-08T01:59:59-08:00', '2026-03-08T03:00:00-07:00', '2026-03-08T23:59:59-07:00'],
    date: '2026-03-08',
    start: '2026-03-08T00:00:00-08:00',
    next: '2026-03-09T00:00:00-07:00',
    hours: 23,
  });
  checkDay(tt, {
    zone: 'America/Los_Angeles',
    inside: ['2026-03-07T12:00:00-08:00', '2026-03-07T23:59:59-08:00'],
    date: '2026-03-07',
    start: '2026-03-07T00:00:00-08:00',
    next: '2026-03-08T00:00:00-08:00',
    hours: 24,
  });
  tt.end();
});

t.test('America/Los_Angeles, DST ends 2026-11-01 02:00 PDT -> 01:00 PST: a 25-hour day', (tt) => {
  checkDay(tt, {
    zone: 'America/Los_Angeles',
    // 01:30 happens twice: once in PDT, once in PST.
    inside: ['2026-11-01T00:00:00-07:00', '2026-11-01T01:30:00-07:00', '2026-11-01T01:30:00-08:00', '2026-11-01T23:59:59-08:00'],
    date: '2026-11-01',
    start: '2026-11-01T00:00:00-07:00',
    next: '2026-11-02T00:00:00-08:00',
    hours: 25,
  });
  checkDay(tt, {
    zone: 'America/Los_Angeles',
    inside: ['2026-11-02T00:00:00-08:00', '2026-11-02T18:00:00-08:00'],
    date: '2026-11-02',
    start: '2026-11-02T00:00:00-08:00',
    next: '2026-11-03T00:00:00-08:00',
    hours: 24,
  });
  tt.end();
});

t.test('Asia/Kolkata (UTC+05:30): days start at 18:30 UTC', (tt) => {
  checkDay(tt, {
    zone: 'Asia/Kolkata',
    inside: ['2026-03-07T18:30:00Z', '2026-03-08T00:00:00Z', '2026-03-08T18:29:59Z'],
    date: '2026-03-08',
    start: '2026-03-07T18:30:00Z',
    next: '2026-03-08T18:30:00Z',
    hours: 24,
  });
  tt.equal(zonedDate(at('2026-03-07T18:29:59Z'), 'Asia/Kolkata'), '2026-03-07');
  tt.end();
});

t.test('Australia/Lord_Howe: a 30-minute DST shift gives 24.5- and 23.5-hour days', (tt) => {
  // DST ends on the first Sunday of April at 02:00 (+11:00) -> 01:30 (+10:30).
  checkDay(tt, {
    zone: 'Australia/Lord_Howe',
    inside: ['2026-04-05T00:00:00+11:00', '2026-04-05T01:45:00+11:00', '2026-04-05T01:45:00+10:30', '2026-04-05T23:59:59+10:30'],
    date: '2026-04-05',
    start: '2026-04-05T00:00:00+11:00',
    next: '2026-04-06T00:00:00+10:30',
    hours: 24.5,
  });
  // DST starts on the first Sunday of October at 02:00 (+10:30) -> 02:30 (+11:00).
  checkDay(tt, {
    zone: 'Australia/Lord_Howe',
    inside: ['2026-10-04T00:00:00+10:30', '2026-10-04T01:59:59+10:30', '2026-10-04T02:30:00+11:00', '2026-10-04T23:59:59+11:00'],
    date: '2026-10-04',
    start: '2026-10-04T00:00:00+10:30',
    next: '2026-10-05T00:00:00+11:00',
    hours: 23.5,
  });
  tt.end();
});

t.test('UTC: days are the UTC calendar days', (tt) => {
  const random = rng(1);
  for (let i = 0; i < 2000; i++) {
    const x = randInt(random, 0, 2_100_000_000);
    const start = Math.floor(x / 86400) * 86400;
    tt.equal(startOfZonedDay(x, 'UTC'), start);
    tt.equal(startOfNextZonedDay(x, 'UTC'), start + 86400);
    tt.equal(zonedDate(x, 'UTC'), new Date(x * 1000).toISOString().slice(0, 10));
  }
  tt.end();
});

t.test('fractional seconds belong to the second they are in', (tt) => {
  const x = at('2026-03-08T23:59:59Z') + 0.75;
  tt.equal(startOfZonedDay(x, 'UTC'), at('2026-03-08T00:00:00Z'));
  tt.equal(startOfNextZonedDay(x, 'UTC'), at('2026-03-09T00:00:00Z'));
  tt.equal(zonedDate(x, 'UTC'), '2026-03-08');
  tt.end();
});

t.test('assertTimeZone accepts IANA names and throws a RangeError for unknown ones', (tt) => {
  tt.doesNotThrow(() => assertTimeZone('Australia/Lord_Howe'));
  tt.doesNotThrow(() => assertTimeZone('UTC'));
  tt.throws(() => assertTimeZone('Mars/Olympus_Mons'), RangeError);
  tt.end();
});

// Zones whose DST changes (where they have any) happen away from local midnight,
// or skip midnight (the day then starts at 01:00), from 2015 on.
const ZONES = [
  'UTC',
  'America/Los_Angeles',
  'America/New_York',
  'America/St_Johns',
  'America/Sao_Paulo',
  'America/Santiago',
  'America/Asuncion',
  'America/Mexico_City',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Chisinau',
  'Africa/Cairo',
  'Africa/Casablanca',
  'Asia/Beirut',
  'Asia/Tehran',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Australia/Lord_Howe',
  'Australia/Adelaide',
  'Pacific/Chatham',
  'Pacific/Auckland',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];

/** Random instants: half uniform over 2015-2037, half within two days of an offset change in 2025-2028. */
function instants(zone: string, seed: number, n: number): number[] {
  const random = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < n / 2; i++) out.push(randInt(random, at('2015-01-01T00:00:00Z'), at('2037-01-01T00:00:00Z')));
  const changes = offsetChanges(zone, at('2025-01-01T00:00:00Z'), at('2029-01-01T00:00:00Z'));
  for (let i = 0; out.length < n; i++) {
    const centre = changes.length > 0 ? changes[i % changes.length]! : randInt(random, at('2025-01-01T00:00:00Z'), at('2029-01-01T00:00:00Z'));
    out.push(centre + randInt(random, -48 * H, 48 * H));
  }
  return out;
}

function checkInstants(tt: Test, zone: string, xs: number[]): void {
  let bad = 0;
  for (const x of xs) {
    const start = startOfZonedDay(x, zone);
    const next = startOfNextZonedDay(x, zone);
    const day = localDate(x, zone);
    const problems: string[] = [];
    if (!(start <= x && x < next)) problems.push('t outside [start, next)');
    if (localDate(start, zone) !== day || !isDayStart(start, zone)) problems.push(`start ${start} is not the first second of ${day}`);
    if (localDate(next - 1, zone) !== day || !isDayStart(next, zone)) problems.push(`next ${next} is not the first second after ${day}`);
    if (zonedDate(start - 1, zone) === zonedDate(start, zone)) problems.push('zonedDate does not change at start');
    if (zonedDate(next - 1, zone) === zonedDate(next, zone)) problems.push('zonedDate does not change at next');
    if (zonedDate(x, zone) !== day) problems.push(`zonedDate ${zonedDate(x, zone)} != ${day}`);
    if (next - start < 23 * H || next - start > 25 * H) problems.push(`day lasts ${(next - start) / H} h`);
    if (problems.length > 0) {
      bad += 1;
      if (bad <= 3) tt.fail(`${zone} t=${x} (${new Date(x * 1000).toISOString()}): ${problems.join('; ')}`);
    }
  }
  tt.equal(bad, 0, `${zone}: every one of ${xs.length} instants lies in a day bounded by two local midnights`);
}

t.test('property: start <= t < next, both are local midnights, days last 23 to 25 hours', (tt) => {
  ZONES.forEach((zone, i) => checkInstants(tt, zone, instants(zone, 100 + i, 400)));
  tt.end();
});

t.test('property: independent oracle agrees on the day start', (tt) => {
  const random = rng(7);
  for (let i = 0; i < 600; i++) {
    const zone = ZONES[i % ZONES.length]!;
    const x = randInt(random, at('2015-01-01T00:00:00Z'), at('2037-01-01T00:00:00Z'));
    tt.equal(startOfZonedDay(x, zone), oracleDayStart(x, zone), `${zone} ${x}`);
  }
  tt.end();
});

/*
 * Zones whose clocks fall back from 01:00 to 00:00, so local midnight happens
 * twice: the day starts at the FIRST midnight (the first second whose local
 * date is the new day). Atlantic/Azores (EU rule: last Sunday of October,
 * 01:00 UTC, +00:00 -> -01:00) and America/Havana (first Sunday of November,
 * 01:00 CDT -> 00:00 CST).
 */
t.test('Atlantic/Azores, 2026-10-25: midnight happens twice, the day starts at the first', (tt) => {
  checkDay(tt, {
    zone: 'Atlantic/Azores',
    inside: ['2026-10-25T00:00:00+00:00', '2026-10-25T00:30:00+00:00', '2026-10-25T00:30:00-01:00', '2026-10-25T12:00:00-01:00'],
    date: '2026-10-25',
    start: '2026-10-25T00:00:00+00:00',
    next: '2026-10-26T00:00:00-01:00',
    hours: 25,
  });
  checkDay(tt, {
    zone: 'Atlantic/Azores',
    inside: ['2026-10-24T12:00:00+00:00', '2026-10-24T23:59:59+00:00'],
    date: '2026-10-24',
    start: '2026-10-24T00:00:00+00:00',
    next: '2026-10-25T00:00:00+00:00',
    hours: 24,
  });
  tt.end();
});

t.test('Atlantic/Azores, 2026-03-29: midnight is skipped, the day starts at 01:00', (tt) => {
  checkDay(tt, {
    zone: 'Atlantic/Azores',
    inside: ['2026-03-29T01:00:00+00:00', '2026-03-29T12:00:00+00:00'],
    date: '2026-03-29',
    start: '2026-03-29T01:00:00+00:00',
    next: '2026-03-30T00:00:00+00:00',
    hours: 23,
  });
  tt.end();
});

t.test('America/Havana, 2026-11-01: midnight happens twice, the day starts at the first', (tt) => {
  checkDay(tt, {
    zone: 'America/Havana',
    inside: ['2026-11-01T00:00:00-04:00', '2026-11-01T00:30:00-05:00', '2026-11-01T12:00:00-05:00'],
    date: '2026-11-01',
    start: '2026-11-01T00:00:00-04:00',
    next: '2026-11-02T00:00:00-05:00',
    hours: 25,
  });
  checkDay(tt, {
    zone: 'America/Havana',
    inside: ['2026-10-31T12:00:00-04:00'],
    date: '2026-10-31',
    start: '2026-10-31T00:00:00-04:00',
    next: '2026-11-01T00:00:00-04:00',
    hours: 24,
  });
  tt.end();
});

t.test('property: zones with DST changes at midnight (Atlantic/Azores, America/Havana)', (tt) => {
  for (const [i, zone] of ['Atlantic/Azores', 'America/Havana'].entries()) checkInstants(tt, zone, instants(zone, 200 + i, 400));
  tt.end();
});
