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

const subscriptionList = (which: string): ReturnType<typeof column> => column('object', `The subscription types the contact has opted ${which} (a list object with data and total_count).`);

export const contacts = defineStream({
  name: 'contacts',
  source: contactSearch,
  primaryKey: ['id'],
  history: 'versioned',
  deletes: ['webhook-relay'],
  // Fields Intercom sends that its 2.16 component schema leaves out.
  schema: extendSchema('contact', {
    opted_in_subscription_types: subscriptionList('in to'),
    opted_out_subscription_types: subscriptionList('out of'),
    utm_campaign: column('string', 'The UTM campaign of the visit that created the contact.'),
    utm_content: column('string', 'The UTM content of the visit that created the contact.'),
    utm_medium: column('string', 'The UTM medium of the visit that created the contact.'),
    utm_source: column('string', 'The UTM source of the visit that created the contact.'),
    utm_term: column('string', 'The UTM term of the visit that created the contact.'),
    referrer: column('string', 'The page that referred the contact.'),
    sms_consent: column('boolean', 'Whether the contact consented to SMS messages.'),
    unsubscribed_from_sms: column('boolean', 'Whether the contact unsubscribed from SMS messages.'),
    enabled_push_messaging: column('boolean', 'Whether the contact enabled push messages.'),
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
