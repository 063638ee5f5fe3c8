/**
 * Static attributes derived from a row's seed. Deriving instead of storing
 * keeps a contact row to a handful of fields; the same seed always yields the
 * same profile, so rendering is deterministic.
 */
import { derive, deriveIndex, derivePick, deriveUnit } from '../rng.js';
import {
  BROWSERS,
  COMPANY_PREFIXES,
  COMPANY_SUFFIXES,
  FIRST_NAMES,
  FREE_EMAIL_DOMAINS,
  INDUSTRIES,
  LANGUAGES,
  LAST_NAMES,
  OPERATING_SYSTEMS,
  PLACES,
  PLANS,
  type Place,
} from './vocab.js';

/** Derivation slots, so two attributes never read the same derived number. */
const K = {
  first: 1, last: 2, phone: 3, phoneDigits: 4, owner: 5, ownerPick: 6, place: 7, browser: 8, browserVersion: 9,
  os: 10, lang: 11, avatar: 12, bounced: 13, spam: 14, unsub: 15, signup: 16, seen: 17, seenFrac: 18,
  replied: 19, repliedFrac: 20, contacted: 21, contactedFrac: 22, opened: 23, openedFrac: 24, clicked: 25,
  clickedFrac: 26, langOverride: 27, mobile: 28, mobileKind: 29, nameless: 30, freeMail: 31, utm: 32, social: 33,
  companyPrefix: 40, companySuffix: 41, industry: 42, plan: 43, planPick: 44, size: 45, spend: 46, sessions: 47,
  remote: 48, companyTags: 49, companyTagPick: 50, companyNotes: 51,
} as const;

export interface ContactProfile {
  name: string | null;
  firstName: string;
  lastName: string;
  email: string;
  emailDomain: string;
  phone: string | null;
  externalId: string | null;
  ownerIndex: number | null;
  place: Place;
  browser: string | null;
  browserVersion: string | null;
  browserLanguage: string | null;
  os: string | null;
  languageOverride: string | null;
  avatarUrl: string | null;
  hasHardBounced: boolean;
  markedEmailAsSpam: boolean;
  unsubscribedFromEmails: boolean;
  signedUpAt: number | null;
  lastSeenAt: number | null;
  lastRepliedAt: number | null;
  lastContactedAt: number | null;
  lastEmailOpenedAt: number | null;
  lastEmailClickedAt: number | null;
  mobile: 'ios' | 'android' | null;
  utmSource: string | null;
  twitter: string | null;
}

export interface ContactProfileInput {
  h: number;
  seq: number;
  role: 'user' | 'lead';
  createdAt: number;
  updatedAt: number;
  /** Website domain of the contact's first company, if any (users then get a work email). */
  companyDomain: string | null;
  adminCount: number;
}

function between(h: number, k: number, from: number, to: number, bias = 1): number {
  const f = Math.pow(deriveUnit(h, k), bias);
  return Math.floor(from + f * Math.max(0, to - from));
}

function asciiSlug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

export function contactProfile(input: ContactProfileInput): ContactProfile {
  const { h, seq, role, createdAt, updatedAt } = input;
  const firstName = derivePick(h, K.first, FIRST_NAMES);
  const lastName = derivePick(h, K.last, LAST_NAMES);
  const isUser = role === 'user';
  // Leads often never gave a name.
  const nameless = !isUser && deriveUnit(h, K.nameless) < 0.35;
  const workMail = isUser && input.companyDomain !== null && deriveUnit(h, K.freeMail) < 0.8;
  const emailDomain = workMail && input.companyDomain ? input.companyDomain : derivePick(h, K.freeMail + 100, FREE_EMAIL_DOMAINS);
  const email = `${asciiSlug(firstName)}.${asciiSlug(lastName)}${seq}@${emailDomain}`;
  const hasBrowser = deriveUnit(h, K.browser) < (isUser ? 0.9 : 0.6);
  const browser = hasBrowser ? BROWSERS[deriveIndex(h, K.browser + 100, BROWSERS.length)] : undefined;
  const mobileRoll = deriveUnit(h, K.mobile);
  const mobile = isUser && mobileRoll < 0.12 ? (deriveUnit(h, K.mobileKind) < 0.5 ? 'ios' : 'android') : null;
  const seen = deriveUnit(h, K.seen) < 0.9;
  const span = Math.max(0, updatedAt - createdAt);
  const maybe = (k: number, p: number, fracK: number): number | null =>
    deriveUnit(h, k) < p ? createdAt + Math.floor(deriveUnit(h, fracK) * span) : null;
  return {
    name: nameless ? null : `${firstName} ${lastName}`,
    firstName,
    lastName,
    email,
    emailDomain,
    phone: deriveUnit(h, K.phone) < 0.4 ? `+1 415 555 ${String(derive(h, K.phoneDigits) % 10000).padStart(4, '0')}` : null,
    externalId: isUser ? `u-${100000 + seq}` : null,
    ownerIndex: deriveUnit(h, K.owner) < 0.3 && input.adminCount > 0 ? deriveIndex(h, K.ownerPick, input.adminCount) : null,
    place: derivePick(h, K.place, PLACES),
    browser: browser ? browser.name : null,
    browserVersion: browser ? derivePick(h, K.browserVersion, browser.versions) : null,
    browserLanguage: hasBrowser ? derivePick(h, K.lang, LANGUAGES) : null,
    os: hasBrowser ? derivePick(h, K.os, OPERATING_SYSTEMS) : null,
    languageOverride: deriveUnit(h, K.langOverride) < 0.05 ? 'fr' : null,
    avatarUrl: deriveUnit(h, K.avatar) < 0.2 ? `https://static.intercomassets.com/avatars/${derive(h, K.avatar + 100)}/square_128/avatar.png` : null,
    hasHardBounced: deriveUnit(h, K.bounced) < 0.02,
    markedEmailAsSpam: deriveUnit(h, K.spam) < 0.01,
    unsubscribedFromEmails: deriveUnit(h, K.unsub) < 0.08,
    signedUpAt: isUser ? Math.min(updatedAt, createdAt + between(h, K.signup, 0, 3600)) : null,
    lastSeenAt: seen ? createdAt + Math.floor(span * (0.7 + 0.3 * deriveUnit(h, K.seenFrac))) : null,
    lastRepliedAt: maybe(K.replied, 0.4, K.repliedFrac),
    lastContactedAt: maybe(K.contacted, 0.5, K.contactedFrac),
    lastEmailOpenedAt: maybe(K.opened, 0.4, K.openedFrac),
    lastEmailClickedAt: maybe(K.clicked, 0.2, K.clickedFrac),
    mobile,
    utmSource: deriveUnit(h, K.utm) < 0.3 ? derivePick(h, K.utm + 100, ['google', 'newsletter', 'twitter', 'partner']) : null,
    twitter: deriveUnit(h, K.social) < 0.1 ? `https://twitter.com/${asciiSlug(firstName)}${seq}` : null,
  };
}

export interface CompanyProfile {
  name: string;
  companyId: string;
  website: string;
  domain: string;
  industry: string;
  plan: { id: string; name: string } | null;
  size: number;
  monthlySpend: number;
  sessionCount: number;
  remoteCreatedAt: number;
  /** Tag positions (into the workspace's tag list). */
  tagIndexes: number[];
}

export function companyProfile(h: number, seq: number, createdAt: number, tagCount: number): CompanyProfile {
  const combos = COMPANY_PREFIXES.length * COMPANY_SUFFIXES.length;
  const combo = seq % combos;
  const prefix = COMPANY_PREFIXES[combo % COMPANY_PREFIXES.length] ?? 'Acme';
  const suffix = COMPANY_SUFFIXES[Math.floor(combo / COMPANY_PREFIXES.length) % COMPANY_SUFFIXES.length] ?? 'Inc';
  const round = Math.floor(seq / combos);
  const name = round === 0 ? `${prefix} ${suffix}` : `${prefix} ${suffix} ${round + 1}`;
  const domain = `${asciiSlug(name)}.example`;
  const tagIndexes: number[] = [];
  const tagsWanted = tagCount > 0 ? derive(h, K.companyTags) % 3 : 0;
  for (let i = 0; i < tagsWanted; i++) {
    const t = deriveIndex(h, K.companyTagPick + i * 100, tagCount);
    if (!tagIndexes.includes(t)) tagIndexes.push(t);
  }
  return {
    name,
    companyId: `cmp-${10000 + seq}`,
    website: `https://www.${domain}`,
    domain,
    industry: derivePick(h, K.industry, INDUSTRIES),
    plan: deriveUnit(h, K.plan) < 0.8 ? derivePick(h, K.planPick, PLANS) : null,
    size: 1 + (derive(h, K.size) % 2000),
    monthlySpend: derive(h, K.spend) % 20000,
    sessionCount: derive(h, K.sessions) % 5000,
    remoteCreatedAt: createdAt - between(h, K.remote, 0, 3 * 365 * 86400),
    tagIndexes: tagIndexes.sort((a, b) => a - b),
  };
}

/** Whether a contact is in a segment: the role must match and the seed falls in the segment's share. */
export function inSegment(h: number, role: 'user' | 'lead', segmentIndex: number, personType: 'user' | 'contact', share: number): boolean {
  if ((personType === 'user') !== (role === 'user')) return false;
  return share >= 1 || deriveUnit(h, 500 + segmentIndex) < share;
}
