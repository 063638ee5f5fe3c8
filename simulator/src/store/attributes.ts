/**
 * Custom attribute definitions (the GET /data_attributes and GET
 * /conversations/attributes catalogues) and the derivation of their values.
 *
 * The definitions deliberately include the awkward cases a connector must
 * survive: names with spaces, punctuation and capitals, a pair that collides
 * once normalised ("account-id" / "account_id"), an archived attribute, and a
 * small fraction of values that do not match the declared type.
 */
import { derive, deriveIndex, deriveUnit } from '../rng.js';
import type { Json } from './rows.js';

export type DataType = 'string' | 'integer' | 'float' | 'boolean' | 'date';
export type CustomValue = string | number | boolean | null;

export interface ValueContext {
  /** The row's derivation seed. */
  h: number;
  createdAt: number;
  anchor: number;
}

export interface CustomAttributeDef {
  id: number;
  name: string;
  label: string;
  description: string;
  dataType: DataType;
  options?: string[];
  archived: boolean;
  /** Days before the anchor the attribute was created. */
  ageDays: number;
  /** Derives the value for one row; undefined means the row has no value. */
  value(ctx: ValueContext, k: number): CustomValue | undefined;
}

const DAY = 86400;

/** Present with probability p, else absent. */
function present(ctx: ValueContext, k: number, p: number): boolean {
  return deriveUnit(ctx.h, k) < p;
}

/** With a small probability, a value of the wrong type (real workspaces have these). */
function mismatch(ctx: ValueContext, k: number, p: number): boolean {
  return deriveUnit(ctx.h, k + 7919) < p;
}

function money(ctx: ValueContext, k: number, max: number): number {
  return Math.round(deriveUnit(ctx.h, k + 17) * max * 100) / 100;
}

function dateAfterCreation(ctx: ValueContext, k: number, spanDays: number): number {
  return Math.floor(ctx.createdAt + deriveUnit(ctx.h, k + 31) * spanDays * DAY);
}

function choose(ctx: ValueContext, k: number, options: readonly string[]): string {
  return options[deriveIndex(ctx.h, k + 53, options.length)] ?? '';
}

const PLAN_OPTIONS = ['free', 'starter', 'pro', 'enterprise'];
const TIER_OPTIONS = ['Tier 1', 'Tier 2', 'Tier 3'];
const SIGNUP_SOURCES = ['web', 'mobile', 'api', 'import', 'partner'];

export const CONTACT_CUSTOM_ATTRIBUTES: readonly CustomAttributeDef[] = [
  {
    id: 12878, name: 'plan', label: 'Plan', description: 'Billing plan of the user', dataType: 'string',
    options: PLAN_OPTIONS, archived: false, ageDays: 700,
    value: (c, k) => (present(c, k, 0.9) ? choose(c, k, PLAN_OPTIONS) : undefined),
  },
  {
    id: 12879, name: 'Plan Tier', label: 'Plan Tier', description: 'Support tier', dataType: 'string',
    options: TIER_OPTIONS, archived: false, ageDays: 650,
    value: (c, k) => (present(c, k, 0.7) ? choose(c, k, TIER_OPTIONS) : undefined),
  },
  {
    id: 12880, name: 'MRR ($)', label: 'MRR ($)', description: 'Monthly recurring revenue in USD', dataType: 'float',
    archived: false, ageDays: 600,
    value: (c, k) => (present(c, k, 0.6) ? money(c, k, 2500) : undefined),
  },
  {
    id: 12881, name: 'seats', label: 'Seats', description: 'Licensed seats', dataType: 'integer', archived: false, ageDays: 590,
    value: (c, k) => {
      if (!present(c, k, 0.7)) return undefined;
      return mismatch(c, k, 0.03) ? 'n/a' : 1 + (derive(c.h, k + 3) % 500);
    },
  },
  {
    id: 12882, name: 'is_vip', label: 'VIP', description: 'Flagged as VIP by the account team', dataType: 'boolean',
    archived: false, ageDays: 580,
    value: (c, k) => {
      if (!present(c, k, 0.8)) return undefined;
      return mismatch(c, k, 0.02) ? 'yes' : deriveUnit(c.h, k + 5) < 0.1;
    },
  },
  {
    id: 12883, name: 'trial_ends_at', label: 'Trial ends at', description: 'End of the free trial', dataType: 'date',
    archived: false, ageDays: 560,
    value: (c, k) => {
      if (!present(c, k, 0.5)) return undefined;
      return mismatch(c, k, 0.02) ? '2026-03-01' : dateAfterCreation(c, k, 30);
    },
  },
  {
    id: 12884, name: 'account-id', label: 'Account ID (legacy CRM)', description: 'Account id from the old CRM', dataType: 'string',
    archived: false, ageDays: 540,
    value: (c, k) => (present(c, k, 0.6) ? `ACC-${1000 + (derive(c.h, k + 9) % 9000)}` : undefined),
  },
  {
    id: 12885, name: 'account_id', label: 'Account ID', description: 'Account id from the billing system', dataType: 'string',
    archived: false, ageDays: 300,
    value: (c, k) => (present(c, k, 0.4) ? `acc_${(derive(c.h, k + 11) % 1_000_000).toString(36)}` : undefined),
  },
  {
    id: 12886, name: 'nps_score', label: 'NPS score', description: 'Last NPS answer (0-10)', dataType: 'integer',
    archived: false, ageDays: 280,
    value: (c, k) => {
      if (!present(c, k, 0.3)) return undefined;
      // Survey tool once wrote half points into this integer attribute.
      return mismatch(c, k, 0.05) ? 7.5 : derive(c.h, k + 13) % 11;
    },
  },
  {
    id: 12887, name: 'last_order_at', label: 'Last order at', description: 'Time of the last order', dataType: 'date',
    archived: false, ageDays: 250,
    value: (c, k) => (present(c, k, 0.4) ? Math.min(c.anchor - 1, dateAfterCreation(c, k, 200)) : undefined),
  },
  {
    id: 12888, name: 'Signup Source', label: 'Signup Source', description: 'Where the contact signed up', dataType: 'string',
    options: SIGNUP_SOURCES, archived: false, ageDays: 200,
    value: (c, k) => (present(c, k, 0.75) ? choose(c, k, SIGNUP_SOURCES) : undefined),
  },
  {
    id: 12889, name: 'legacy_segment', label: 'Legacy segment', description: 'Archived: replaced by segments', dataType: 'string',
    archived: true, ageDays: 900,
    value: () => undefined,
  },
];

const COMPANY_TIERS = ['SMB', 'Mid-market', 'Enterprise'];
const REGIONS = ['EMEA', 'AMER', 'APAC'];

export const COMPANY_CUSTOM_ATTRIBUTES: readonly CustomAttributeDef[] = [
  {
    id: 13001, name: 'Segment', label: 'Segment', description: 'Sales segment', dataType: 'string', options: COMPANY_TIERS,
    archived: false, ageDays: 700,
    value: (c, k) => (present(c, k, 0.85) ? choose(c, k, COMPANY_TIERS) : undefined),
  },
  {
    id: 13002, name: 'ARR', label: 'ARR', description: 'Annual recurring revenue in USD', dataType: 'integer', archived: false, ageDays: 690,
    value: (c, k) => (present(c, k, 0.7) ? 1000 * (1 + (derive(c.h, k + 3) % 900)) : undefined),
  },
  {
    id: 13003, name: 'Health Score', label: 'Health Score', description: 'Account health, 0 to 1', dataType: 'float',
    archived: false, ageDays: 500,
    value: (c, k) => (present(c, k, 0.6) ? Math.round(deriveUnit(c.h, k + 5) * 1000) / 1000 : undefined),
  },
  {
    id: 13004, name: 'churned', label: 'Churned', description: 'Customer has churned', dataType: 'boolean', archived: false, ageDays: 480,
    value: (c, k) => (present(c, k, 0.9) ? deriveUnit(c.h, k + 7) < 0.08 : undefined),
  },
  {
    id: 13005, name: 'renewal_date', label: 'Renewal date', description: 'Next contract renewal', dataType: 'date', archived: false, ageDays: 470,
    value: (c, k) => (present(c, k, 0.5) ? dateAfterCreation(c, k, 365) : undefined),
  },
  {
    id: 13006, name: 'employee count', label: 'Employee count', description: 'Self-reported head count', dataType: 'integer',
    archived: false, ageDays: 460,
    value: (c, k) => {
      if (!present(c, k, 0.7)) return undefined;
      return mismatch(c, k, 0.05) ? 'unknown' : 5 + (derive(c.h, k + 9) % 5000);
    },
  },
  {
    id: 13007, name: 'crm-id', label: 'CRM id (old)', description: 'Salesforce id before the migration', dataType: 'string',
    archived: false, ageDays: 450,
    value: (c, k) => (present(c, k, 0.5) ? `001${(derive(c.h, k + 11) >>> 4).toString(36).toUpperCase()}` : undefined),
  },
  {
    id: 13008, name: 'crm_id', label: 'CRM id', description: 'Current Salesforce id', dataType: 'string', archived: false, ageDays: 120,
    value: (c, k) => (present(c, k, 0.5) ? `001${(derive(c.h, k + 13) >>> 4).toString(36).toUpperCase()}` : undefined),
  },
  {
    id: 13009, name: 'Region (EMEA/AMER/APAC)', label: 'Region (EMEA/AMER/APAC)', description: 'Sales region', dataType: 'string',
    options: REGIONS, archived: false, ageDays: 100,
    value: (c, k) => (present(c, k, 0.8) ? choose(c, k, REGIONS) : undefined),
  },
];

/** Derives the custom_attributes object of one row. */
export function customAttributes(defs: readonly CustomAttributeDef[], ctx: ValueContext): Json {
  const out: Json = {};
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i];
    if (!def) continue;
    const value = def.value(ctx, 1000 + i * 16);
    if (value !== undefined) out[def.name] = value;
  }
  return out;
}

export interface StandardAttribute {
  name: string;
  fullName: string;
  label: string;
  description: string;
  dataType: DataType;
  apiWritable: boolean;
}

export const CONTACT_STANDARD_ATTRIBUTES: readonly StandardAttribute[] = [
  { name: 'id', fullName: 'id', label: 'ID', description: 'The Intercom defined id representing the contact', dataType: 'string', apiWritable: false },
  { name: 'external_id', fullName: 'external_id', label: 'User ID', description: 'A unique identifier for the contact', dataType: 'string', apiWritable: true },
  { name: 'role', fullName: 'role', label: 'Role', description: 'user or lead', dataType: 'string', apiWritable: true },
  { name: 'name', fullName: 'name', label: 'Name', description: "The contact's name", dataType: 'string', apiWritable: true },
  { name: 'email', fullName: 'email', label: 'Email', description: "The contact's email", dataType: 'string', apiWritable: true },
  { name: 'email_domain', fullName: 'email_domain', label: 'Email domain', description: "The contact's email domain", dataType: 'string', apiWritable: false },
  { name: 'phone', fullName: 'phone', label: 'Phone', description: "The contact's phone number", dataType: 'string', apiWritable: true },
  { name: 'owner_id', fullName: 'owner_id', label: 'Owner', description: 'The admin who owns the contact', dataType: 'integer', apiWritable: true },
  { name: 'created_at', fullName: 'created_at', label: 'Created at', description: 'When the contact was created', dataType: 'date', apiWritable: false },
  { name: 'updated_at', fullName: 'updated_at', label: 'Updated at', description: 'When the contact was last updated', dataType: 'date', apiWritable: false },
  { name: 'signed_up_at', fullName: 'signed_up_at', label: 'Signed up', description: 'When the user signed up', dataType: 'date', apiWritable: true },
  { name: 'last_seen_at', fullName: 'last_seen_at', label: 'Last seen', description: 'When the contact was last seen', dataType: 'date', apiWritable: true },
  { name: 'last_contacted_at', fullName: 'last_contacted_at', label: 'Last contacted', description: 'When the contact was last messaged', dataType: 'date', apiWritable: false },
  { name: 'last_replied_at', fullName: 'last_replied_at', label: 'Last heard from', description: 'When the contact last messaged in', dataType: 'date', apiWritable: false },
  { name: 'unsubscribed_from_emails', fullName: 'unsubscribed_from_emails', label: 'Unsubscribed from emails', description: 'Email opt-out', dataType: 'boolean', apiWritable: true },
  { name: 'city_name', fullName: 'location_data.city_name', label: 'City', description: 'The city of the contact', dataType: 'string', apiWritable: false },
  { name: 'country_name', fullName: 'location_data.country_name', label: 'Country', description: 'The country of the contact', dataType: 'string', apiWritable: false },
  { name: 'browser', fullName: 'browser', label: 'Browser', description: 'The browser of the contact', dataType: 'string', apiWritable: false },
  { name: 'os', fullName: 'os', label: 'OS', description: 'The operating system of the contact', dataType: 'string', apiWritable: false },
  { name: 'name', fullName: 'companies.name', label: 'Company name', description: 'The name of a company the contact belongs to', dataType: 'string', apiWritable: false },
];

export const COMPANY_STANDARD_ATTRIBUTES: readonly StandardAttribute[] = [
  { name: 'id', fullName: 'id', label: 'ID', description: 'The Intercom defined id representing the company', dataType: 'string', apiWritable: false },
  { name: 'company_id', fullName: 'company_id', label: 'Company ID', description: 'A number identifying a company', dataType: 'string', apiWritable: false },
  { name: 'name', fullName: 'name', label: 'Company name', description: 'The name of a company', dataType: 'string', apiWritable: true },
  { name: 'created_at', fullName: 'created_at', label: 'Created at', description: 'The time the company was added to Intercom', dataType: 'date', apiWritable: false },
  { name: 'updated_at', fullName: 'updated_at', label: 'Updated at', description: 'The last time the company was updated', dataType: 'date', apiWritable: false },
  { name: 'last_request_at', fullName: 'last_request_at', label: 'Company last seen', description: 'The last day anyone from a company visited your site or app', dataType: 'date', apiWritable: false },
  { name: 'remote_created_at', fullName: 'remote_created_at', label: 'Company created at', description: 'The day a company was added to Intercom', dataType: 'date', apiWritable: true },
  { name: 'user_count', fullName: 'user_count', label: 'People', description: 'The number of people in a company', dataType: 'integer', apiWritable: false },
  { name: 'session_count', fullName: 'session_count', label: 'Company web sessions', description: "All visits from anyone in a company to your product's site or app", dataType: 'integer', apiWritable: false },
  { name: 'name', fullName: 'plan.name', label: 'Plan', description: 'A specific plan or level within your product that companies have signed up to', dataType: 'string', apiWritable: false },
  { name: 'monthly_spend', fullName: 'monthly_spend', label: 'Monthly Spend', description: 'The monthly revenue you receive from a company', dataType: 'float', apiWritable: true },
  { name: 'size', fullName: 'size', label: 'Company size', description: 'The number of people employed in this company, expressed as a single number', dataType: 'integer', apiWritable: true },
  { name: 'industry', fullName: 'industry', label: 'Company industry', description: "The category or domain this company belongs to e.g. 'ecommerce' or 'SaaS'", dataType: 'string', apiWritable: true },
  { name: 'website', fullName: 'website', label: 'Company website', description: "The web address for the company's primary marketing site", dataType: 'string', apiWritable: true },
];

export interface RenderDataAttributesInput {
  model: 'contact' | 'company';
  includeArchived: boolean;
  anchor: number;
  adminIds: readonly string[];
}

/** The data_attribute objects of one model, standard attributes first (as the API lists them). */
export function renderDataAttributes(input: RenderDataAttributesInput): Json[] {
  const standard = input.model === 'contact' ? CONTACT_STANDARD_ATTRIBUTES : COMPANY_STANDARD_ATTRIBUTES;
  const custom = input.model === 'contact' ? CONTACT_CUSTOM_ATTRIBUTES : COMPANY_CUSTOM_ATTRIBUTES;
  const out: Json[] = standard.map((a) => ({
    type: 'data_attribute',
    name: a.name,
    full_name: a.fullName,
    label: a.label,
    description: a.description,
    data_type: a.dataType,
    api_writable: a.apiWritable,
    ui_writable: false,
    messenger_writable: true,
    custom: false,
    archived: false,
    model: input.model,
  }));
  custom.forEach((def, i) => {
    if (def.archived && !input.includeArchived) return;
    const createdAt = input.anchor - def.ageDays * DAY;
    const attribute: Json = {
      id: def.id,
      type: 'data_attribute',
      name: def.name,
      full_name: `custom_attributes.${def.name}`,
      label: def.label,
      description: def.description,
      data_type: def.dataType,
      api_writable: true,
      ui_writable: true,
      messenger_writable: false,
      custom: true,
      archived: def.archived,
      admin_id: input.adminIds[i % input.adminIds.length] ?? '0',
      created_at: createdAt,
      updated_at: def.archived ? createdAt + 200 * DAY : createdAt,
      model: input.model,
    };
    if (def.options) attribute['options'] = [...def.options];
    out.push(attribute);
  });
  return out;
}

/** Conversation attribute definitions (GET /conversations/attributes, 2.16). */
export interface ConversationAttributeDef {
  id: number;
  name: string;
  description: string;
  dataType: 'string' | 'integer' | 'list' | 'decimal' | 'boolean' | 'datetime';
  options?: string[];
  archived: boolean;
  ageDays: number;
}

export const CONVERSATION_ATTRIBUTES: readonly ConversationAttributeDef[] = [
  { id: 3, name: 'Issue type', description: 'What the conversation is about', dataType: 'list', options: ['Bug', 'Question', 'Billing', 'Feature request'], archived: false, ageDays: 500 },
  { id: 4, name: 'Order number', description: 'Order the customer asks about', dataType: 'string', archived: false, ageDays: 480 },
  { id: 5, name: 'Escalation level', description: '0 = none, 3 = engineering', dataType: 'integer', archived: false, ageDays: 470 },
  { id: 6, name: 'Refund amount', description: 'Refund granted, in USD', dataType: 'decimal', archived: false, ageDays: 300 },
  { id: 7, name: 'Is urgent', description: 'Marked urgent by the customer', dataType: 'boolean', archived: false, ageDays: 290 },
  { id: 8, name: 'Follow-up date', description: 'When to check back in', dataType: 'datetime', archived: false, ageDays: 200 },
  { id: 9, name: 'Old category', description: 'Replaced by Issue type', dataType: 'string', archived: true, ageDays: 800 },
];

/** Stable UUID-shaped option ids derived from the attribute id and option position. */
function optionId(attributeId: number, index: number): string {
  const a = derive(attributeId, index).toString(16).padStart(8, '0');
  const b = derive(attributeId, index + 100).toString(16).padStart(8, '0');
  const c = derive(attributeId, index + 200).toString(16).padStart(8, '0');
  const d = derive(attributeId, index + 300).toString(16).padStart(8, '0');
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

export function renderConversationAttributes(includeArchived: boolean, anchor: number, adminIds: readonly string[]): Json[] {
  return CONVERSATION_ATTRIBUTES.filter((d) => includeArchived || !d.archived).map((def, i) => {
    const createdAt = anchor - def.ageDays * DAY;
    const out: Json = {
      type: 'conversation_attribute',
      id: def.id,
      name: def.name,
      description: def.description,
      data_type: def.dataType,
      required: false,
      visible_to_team_ids: [],
      archived: def.archived,
      created_at: createdAt,
      updated_at: createdAt + (i % 3) * 7 * DAY,
      admin_id: adminIds[i % adminIds.length] ?? '0',
    };
    if (def.dataType === 'string') out['multiline'] = false;
    if (def.options) {
      out['options'] = def.options.map((label, index) => ({ id: optionId(def.id, index), label, archived: false }));
    }
    return out;
  });
}
