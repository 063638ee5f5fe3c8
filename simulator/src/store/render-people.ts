/**
 * Contacts and companies rendered exactly as the API returns them (2.16).
 */
import {
  COMPANY_CUSTOM_ATTRIBUTES,
  CONTACT_CUSTOM_ATTRIBUTES,
  customAttributes,
} from './attributes.js';
import type { Catalog, SegmentDef } from './catalog.js';
import { companyProfile, contactProfile, inSegment, type ContactProfile } from './profile.js';
import type { CompanyRow, ContactRow, Json } from './rows.js';

/** The API embeds at most this many tags, companies and notes in a contact. */
export const EMBEDDED_LIST_LIMIT = 10;

export interface PeopleContext {
  appId: string;
  anchor: number;
  catalog: Catalog;
  company(seq: number): CompanyRow | undefined;
  companyDomain(seq: number): string;
  companyUserCount(seq: number): number;
}

export function profileOf(row: ContactRow, ctx: PeopleContext): ContactProfile {
  const first = row.companies[0];
  return contactProfile({
    h: row.h,
    seq: row.seq,
    role: row.role,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    companyDomain: first === undefined ? null : ctx.companyDomain(first),
    adminCount: ctx.catalog.admins.length,
  });
}

/** Tag seqs of a contact, in the order they were applied. */
export function contactTagSeqs(row: ContactRow): number[] {
  const out: number[] = [];
  for (let i = 0; i < row.tags.length; i += 2) out.push(row.tags[i] ?? 0);
  return out;
}

function embeddedList(items: Json[], url: string): Json {
  return {
    type: 'list',
    data: items.slice(0, EMBEDDED_LIST_LIMIT),
    url,
    total_count: items.length,
    has_more: items.length > EMBEDDED_LIST_LIMIT,
  };
}

/** Applies updateContact patches: nested objects merge, everything else replaces. */
function applyOverrides(target: Json, overrides: Readonly<Json> | null): void {
  if (!overrides) return;
  for (const [key, value] of Object.entries(overrides)) {
    const current = target[key];
    if (isPlainObject(value) && isPlainObject(current)) target[key] = { ...current, ...value };
    else target[key] = value;
  }
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function renderContact(row: ContactRow, ctx: PeopleContext): Json {
  const p = profileOf(row, ctx);
  const owner = p.ownerIndex === null ? null : (ctx.catalog.admins[p.ownerIndex]?.id ?? null);
  const subscriptions = (): Json => ({ type: 'list', data: [], url: `/contacts/${row.id}/subscriptions`, total_count: 0, has_more: false });
  const ios = p.mobile === 'ios';
  const android = p.mobile === 'android';
  const contact: Json = {
    type: 'contact',
    id: row.id,
    workspace_id: ctx.appId,
    external_id: p.externalId,
    role: row.role,
    email: p.email,
    email_domain: p.emailDomain,
    phone: p.phone,
    name: p.name,
    avatar: p.avatarUrl === null ? null : { type: 'avatar', image_url: p.avatarUrl },
    owner_id: owner,
    social_profiles: { type: 'list', data: p.twitter ? [{ type: 'social_profile', name: 'Twitter', url: p.twitter }] : [] },
    has_hard_bounced: p.hasHardBounced,
    marked_email_as_spam: p.markedEmailAsSpam,
    unsubscribed_from_emails: p.unsubscribedFromEmails,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    signed_up_at: p.signedUpAt,
    last_seen_at: p.lastSeenAt,
    last_replied_at: p.lastRepliedAt,
    last_contacted_at: p.lastContactedAt,
    last_email_opened_at: p.lastEmailOpenedAt,
    last_email_clicked_at: p.lastEmailClickedAt,
    language_override: p.languageOverride,
    browser: p.browser,
    browser_version: p.browserVersion,
    browser_language: p.browserLanguage,
    os: p.os,
    location: {
      type: 'location',
      country: p.place.country,
      region: p.place.region,
      city: p.place.city,
      country_code: p.place.countryCode,
      continent_code: p.place.continentCode,
    },
    android_app_name: android ? 'Acme Android' : null,
    android_app_version: android ? '5.2.0' : null,
    android_device: android ? 'Pixel 8' : null,
    android_os_version: android ? '14' : null,
    android_sdk_version: android ? '34' : null,
    android_last_seen_at: android ? p.lastSeenAt : null,
    ios_app_name: ios ? 'Acme iOS' : null,
    ios_app_version: ios ? '5.2.1' : null,
    ios_device: ios ? 'iPhone 15' : null,
    ios_os_version: ios ? '17.5' : null,
    ios_sdk_version: ios ? '17.0.1' : null,
    ios_last_seen_at: ios ? p.lastSeenAt : null,
    custom_attributes: customAttributes(CONTACT_CUSTOM_ATTRIBUTES, { h: row.h, createdAt: row.createdAt, anchor: ctx.anchor }),
    tags: embeddedList(
      contactTagSeqs(row).map((seq) => {
        const id = ctx.catalog.tags[seq]?.id ?? String(seq);
        return { type: 'tag', id, url: `/tags/${id}` };
      }),
      `/contacts/${row.id}/tags`,
    ),
    notes: embeddedList([], `/contacts/${row.id}/notes`),
    companies: embeddedList(
      row.companies.flatMap((seq) => {
        const company = ctx.company(seq);
        if (company && company.status !== 'live') return [];
        const id = company?.id ?? '';
        return [{ type: 'company', id, url: `/companies/${id}` }];
      }),
      `/contacts/${row.id}/companies`,
    ),
    opted_out_subscription_types: subscriptions(),
    opted_in_subscription_types: subscriptions(),
    utm_campaign: p.utmSource ? 'spring-launch' : null,
    utm_content: null,
    utm_medium: p.utmSource ? 'cpc' : null,
    utm_source: p.utmSource,
    utm_term: null,
    referrer: p.utmSource ? 'https://www.google.com/' : null,
    enabled_push_messaging: p.mobile === null ? null : true,
  };
  applyOverrides(contact, row.overrides);
  return contact;
}

/** The tags of a contact as GET /contacts/{id}/tags lists them (with who applied them and when). */
export function renderContactTags(row: ContactRow, ctx: PeopleContext): Json[] {
  const out: Json[] = [];
  for (let i = 0; i < row.tags.length; i += 2) {
    const tag = ctx.catalog.tags[row.tags[i] ?? -1];
    if (!tag) continue;
    const admins = ctx.catalog.admins;
    const admin = admins[(row.h + i) % admins.length];
    out.push({ type: 'tag', id: tag.id, name: tag.name, applied_at: row.tags[i + 1] ?? row.createdAt, applied_by: { type: 'admin', id: admin?.id ?? '0' } });
  }
  return out;
}

export function renderSegment(segment: SegmentDef, count: number | null): Json {
  const out: Json = {
    type: 'segment',
    id: segment.id,
    name: segment.name,
    created_at: segment.createdAt,
    updated_at: segment.updatedAt,
    person_type: segment.personType,
  };
  if (count !== null) out['count'] = count;
  return out;
}

export function contactSegmentIndexes(row: ContactRow, catalog: Catalog): number[] {
  const out: number[] = [];
  catalog.segments.forEach((s, i) => {
    if (inSegment(row.h, row.role, i, s.personType, s.share)) out.push(i);
  });
  return out;
}

/** Companies belong to user segments by a derived share, like contacts do. */
export function companySegmentIndexes(row: CompanyRow, catalog: Catalog): number[] {
  const out: number[] = [];
  catalog.segments.forEach((s, i) => {
    if (i >= 2 && s.personType === 'user' && inSegment(row.h, 'user', i + 100, 'user', 0.2)) out.push(i);
  });
  return out;
}

export function renderCompany(row: CompanyRow, ctx: PeopleContext, userCount = ctx.companyUserCount(row.seq)): Json {
  const p = companyProfile(row.h, row.seq, row.createdAt, ctx.catalog.tags.length);
  const company: Json = {
    type: 'company',
    company_id: p.companyId,
    id: row.id,
    app_id: ctx.appId,
    name: p.name,
    remote_created_at: p.remoteCreatedAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    last_request_at: row.lastRequestAt,
    monthly_spend: p.monthlySpend,
    session_count: p.sessionCount,
    user_count: userCount,
    size: p.size,
    website: p.website,
    industry: p.industry,
    tags: {
      type: 'tag.list',
      tags: p.tagIndexes.map((i) => {
        const tag = ctx.catalog.tags[i];
        return { type: 'tag', id: tag?.id ?? String(i), name: tag?.name ?? '' };
      }),
    },
    segments: {
      type: 'segment.list',
      segments: companySegmentIndexes(row, ctx.catalog).map((i) => {
        const segment = ctx.catalog.segments[i];
        return segment ? renderSegment(segment, null) : {};
      }),
    },
    // An empty object, not null, when the company has no plan (as the API sends it).
    plan: p.plan ? { type: 'plan', id: p.plan.id, name: p.plan.name } : {},
    custom_attributes: customAttributes(COMPANY_CUSTOM_ATTRIBUTES, { h: row.h, createdAt: row.createdAt, anchor: ctx.anchor }),
  };
  applyOverrides(company, row.overrides);
  return company;
}
