/**
 * Seeded generation of companies and contacts, including the hard cases a
 * connector must handle:
 * - a bulk import: more than 200 contacts created and updated on one single
 *   day of the workspace time zone;
 * - contacts updated minutes before and after a zoned midnight (and one at
 *   the UTC midnight of that date, which is not a day boundary here), plus a
 *   pair around the midnight after a DST change;
 * - contacts with more than 10 tags and more than 10 companies, so the
 *   embedded lists are truncated;
 * - companies without any contact (list endpoints leave those out).
 */
import type { GenerationOptions } from '../options.js';
import { Rng } from '../rng.js';
import { startOfNextZonedDay, startOfZonedDay, zoneOffsetSeconds } from '../calendar.js';
import type { ObjectIdScheme } from './ids.js';
import type { CompanyRow, ContactRow } from './rows.js';

const DAY = 86400;
const EMPTY: readonly number[] = Object.freeze([]);

export interface PeopleLandmarks {
  /** Start of the zoned day of the bulk import. */
  bulkImportDay: number;
  bulkImportCount: number;
  /** The zoned midnight around which contacts were updated. */
  midnight: number;
  /** A zoned midnight just after a DST change, when the history contains one. */
  dstMidnight: number | null;
}

export interface People {
  companies: CompanyRow[];
  contacts: ContactRow[];
  landmarks: PeopleLandmarks;
}

/** Bulk import size: above 200 whenever the workspace is big enough, never most of it. */
export function bulkImportSize(contacts: number): number {
  if (contacts >= 600) return Math.max(220, Math.floor(contacts * 0.05));
  return Math.floor(contacts * 0.37);
}

/** Seconds within [from, to), biased towards `to` when bias < 1 (recent activity is denser). */
function timeBetween(rng: Rng, from: number, to: number, bias = 1): number {
  return Math.floor(from + Math.pow(rng.next(), bias) * Math.max(1, to - from));
}

export function generateCompanies(options: GenerationOptions, scheme: ObjectIdScheme): CompanyRow[] {
  const rng = new Rng(options.seed ^ 0xc0ff1e);
  const n = options.size.companies;
  const historyStart = options.anchor - options.historyDays * DAY;
  const created = new Float64Array(n);
  for (let i = 0; i < n; i++) created[i] = timeBetween(rng, historyStart, options.anchor - DAY, 0.9);
  created.sort();
  const rows: CompanyRow[] = new Array<CompanyRow>(n);
  for (let seq = 0; seq < n; seq++) {
    const createdAt = created[seq] ?? historyStart;
    const updatedAt = Math.min(options.anchor - 1, createdAt + Math.floor(rng.exponential(40 * DAY)));
    const lastRequestAt = timeBetween(rng, createdAt, options.anchor - 1, 0.5);
    rows[seq] = {
      seq,
      id: scheme.make(createdAt, seq),
      h: rng.nextUint32() & 0x3fffffff,
      createdAt,
      updatedAt,
      lastRequestAt,
      writtenAt: 0,
      status: 'live',
      overrides: null,
    };
  }
  return rows;
}

interface ContactPlan {
  createdAt: number;
  updatedAt: number;
  role: 'user' | 'lead';
  /** Whether this contact belongs to the bulk import. */
  imported: boolean;
}

/** The first zoned midnight after a change of the zone's UTC offset within [from, to), if any. */
function midnightAfterDstChange(from: number, to: number, timezone: string): number | null {
  let previous = zoneOffsetSeconds(from, timezone);
  for (let t = from + DAY; t < to; t += DAY) {
    const offset = zoneOffsetSeconds(t, timezone);
    if (offset !== previous) {
      const midnight = startOfNextZonedDay(t, timezone);
      return midnight < to ? midnight : null;
    }
    previous = offset;
  }
  return null;
}

function planContacts(options: GenerationOptions, rng: Rng): { plans: ContactPlan[]; landmarks: PeopleLandmarks } {
  const n = options.size.contacts;
  const tz = options.timezone;
  const { anchor } = options;
  const historyStart = anchor - options.historyDays * DAY;
  const plans: ContactPlan[] = [];

  const bulkCount = bulkImportSize(n);
  const bulkDay = startOfZonedDay(anchor - Math.min(options.historyDays - 1, 60 + rng.int(0, 40)) * DAY, tz);
  const bulkEnd = startOfNextZonedDay(bulkDay, tz);
  for (let i = 0; i < bulkCount; i++) {
    const createdAt = timeBetween(rng, bulkDay + 3600, bulkEnd - 7200);
    // Updated by the import's second pass, still the same zoned day.
    const updatedAt = Math.min(bulkEnd - 1, createdAt + rng.int(0, 3600));
    plans.push({ createdAt, updatedAt, role: 'user', imported: true });
  }

  const midnight = startOfZonedDay(anchor - Math.min(options.historyDays - 1, 20) * DAY, tz);
  const utcMidnight = Math.floor(midnight / DAY) * DAY;
  const aroundMidnight = [-240, -90, -1, 0, 1, 120, 300, utcMidnight - midnight];
  const dstMidnight = midnightAfterDstChange(historyStart + DAY, anchor - DAY, tz);
  const aroundDst = dstMidnight === null ? [] : [dstMidnight - 60, dstMidnight + 60];
  const special = [...aroundMidnight.map((d) => midnight + d), ...aroundDst];
  for (const updatedAt of special) {
    if (plans.length >= n) break;
    const createdAt = timeBetween(rng, historyStart, updatedAt - DAY);
    plans.push({ createdAt, updatedAt, role: rng.chance(0.5) ? 'user' : 'lead', imported: false });
  }

  while (plans.length < n) {
    const createdAt = timeBetween(rng, historyStart, anchor - 60, 0.8);
    const untouched = rng.chance(0.2);
    const gap = untouched ? 0 : Math.floor(rng.exponential(45 * DAY));
    const updatedAt = Math.min(anchor - 1, createdAt + gap);
    plans.push({ createdAt, updatedAt, role: rng.chance(0.7) ? 'user' : 'lead', imported: false });
  }
  plans.sort((a, b) => a.createdAt - b.createdAt);
  return {
    plans,
    landmarks: { bulkImportDay: bulkDay, bulkImportCount: bulkCount, midnight, dstMidnight },
  };
}

/** Company picks skewed towards the first companies, so some have many contacts; the last tenth stays empty. */
function pickCompany(rng: Rng, usable: number): number {
  return Math.floor(Math.pow(rng.next(), 1.6) * usable);
}

export function generateContacts(
  options: GenerationOptions,
  scheme: ObjectIdScheme,
  companyCount: number,
  tagCount: number,
): { contacts: ContactRow[]; landmarks: PeopleLandmarks } {
  const rng = new Rng(options.seed ^ 0xc0417ac7);
  const { plans, landmarks } = planContacts(options, rng);
  const usableCompanies = companyCount > 1 ? Math.max(1, Math.floor(companyCount * 0.9)) : companyCount;
  const contacts: ContactRow[] = new Array<ContactRow>(plans.length);
  for (let seq = 0; seq < plans.length; seq++) {
    const plan = plans[seq];
    if (!plan) continue;
    const heavy = seq % 53 === 7;
    contacts[seq] = {
      seq,
      id: scheme.make(plan.createdAt, seq),
      h: rng.nextUint32() & 0x3fffffff,
      role: plan.role,
      createdAt: plan.createdAt,
      updatedAt: plan.updatedAt,
      tags: generateTags(rng, plan, tagCount, heavy),
      companies: generateCompanyLinks(rng, plan, usableCompanies, heavy),
      writtenAt: 0,
      status: 'live',
      mergedInto: null,
      overrides: null,
    };
  }
  return { contacts, landmarks };
}

function generateTags(rng: Rng, plan: ContactPlan, tagCount: number, heavy: boolean): readonly number[] {
  if (tagCount === 0) return EMPTY;
  let count: number;
  if (heavy && tagCount > 10) count = rng.int(11, Math.min(tagCount, 16));
  else if (plan.imported) count = 1;
  else count = rng.chance(0.45) ? 0 : rng.int(1, Math.min(3, tagCount));
  if (count === 0) return EMPTY;
  // Imported contacts all carry the import's tag ("Migrated" when the workspace has it).
  const picked = plan.imported ? [Math.min(19, tagCount - 1)] : rng.sample(tagCount, count);
  const flat: number[] = [];
  for (const tag of picked) flat.push(tag, timeBetween(rng, plan.createdAt, plan.updatedAt + 1));
  // slice() copies into an exactly sized backing store: push leaves spare capacity on 500k arrays.
  return flat.slice();
}

function generateCompanyLinks(rng: Rng, plan: ContactPlan, usable: number, heavy: boolean): readonly number[] {
  if (usable === 0) return EMPTY;
  let count: number;
  if (heavy && usable > 10) count = rng.int(11, Math.min(usable, 14));
  else if (plan.role === 'user') count = rng.chance(0.2) ? 0 : rng.chance(0.9) ? 1 : rng.int(2, Math.min(3, usable));
  else count = rng.chance(0.1) ? 1 : 0;
  if (count === 0) return EMPTY;
  if (count >= 11) return rng.sample(usable, count).slice();
  const picked = new Set<number>();
  while (picked.size < count) picked.add(pickCompany(rng, usable));
  return [...picked].slice();
}
