import { defineStream, type SearchSource } from '../engine/definition.js';
import { column, extendSchema } from '../schemas/index.js';
import { embeddedListItems } from './embedded-list.js';
import { idsOf, linkStream } from './links.js';

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
  history: 'versioned',
  deletes: ['webhook-relay'],
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

const contactParent = { stream: 'contacts', column: 'contact' };

export const contactCompanies = linkStream({
  name: 'contact_companies',
  source: contactSearch,
  parent: contactParent,
  child: 'company',
  ids: async (contact, ctx) => idsOf(await embeddedListItems(contact, 'companies', ctx)),
});

export const contactTags = linkStream({
  name: 'contact_tags',
  source: contactSearch,
  parent: contactParent,
  child: 'tag',
  ids: async (contact, ctx) => idsOf(await embeddedListItems(contact, 'tags', ctx)),
});
