import { column, extendSchema, tableSchema } from '../schemas/index.js';
import { defineStream, type SearchSource } from './definition.js';
import { embeddedListItems } from './embedded-list.js';

/** Contact search compares dates by calendar day in the workspace time zone, and sorts. */
export const contactSearch: SearchSource = {
  kind: 'search',
  name: 'contacts',
  path: '/contacts/search',
  recordsPath: '$.data[*]',
  cursorField: 'updated_at',
  dateResolution: 'day',
  sortable: true,
  idAlphabet: '0123456789abcdef',
};

const subscriptionList = column('object');

export const contacts = defineStream({
  name: 'contacts',
  source: contactSearch,
  primaryKey: ['id'],
  cursorField: 'updated_at',
  history: 'versioned',
  // Fields Intercom sends that its 2.16 component schema leaves out.
  schema: extendSchema('contact', {
    opted_in_subscription_types: subscriptionList,
    opted_out_subscription_types: subscriptionList,
    utm_campaign: column('string'),
    utm_content: column('string'),
    utm_medium: column('string'),
    utm_source: column('string'),
    utm_term: column('string'),
    referrer: column('string'),
    sms_consent: column('boolean'),
    unsubscribed_from_sms: column('boolean'),
    enabled_push_messaging: column('boolean'),
  }),
  customAttributes: 'contact',
});

export const contactCompanies = defineStream({
  name: 'contact_companies',
  source: contactSearch,
  primaryKey: ['contact_id', 'company_id'],
  cursorField: 'contact_updated_at',
  history: 'versioned',
  schema: tableSchema({ contact_id: 'string', company_id: 'string', contact_updated_at: 'integer' }),
  records: async (contact, ctx) =>
    (await embeddedListItems(contact, 'companies', ctx)).map((company) => ({
      contact_id: contact.id,
      company_id: String(company.id),
      contact_updated_at: contact.updated_at,
    })),
});

export const contactTags = defineStream({
  name: 'contact_tags',
  source: contactSearch,
  primaryKey: ['contact_id', 'tag_id'],
  cursorField: 'contact_updated_at',
  history: 'versioned',
  schema: tableSchema({ contact_id: 'string', tag_id: 'string', contact_updated_at: 'integer' }),
  records: async (contact, ctx) =>
    (await embeddedListItems(contact, 'tags', ctx)).map((tag) => ({
      contact_id: contact.id,
      tag_id: String(tag.id),
      contact_updated_at: contact.updated_at,
    })),
});
