import type { DeletedListSource, StreamDefinition } from '../engine/definition.js';
import { activityLogs } from './activity-logs.js';
import { admins, teamAdmins, teams } from './admins.js';
import { companies, companySegments, companyTags } from './companies.js';
import { contactCompanies, contacts, contactTags } from './contacts.js';
import { conversationContacts, conversationParts, conversations, conversationTags, deletedConversations } from './conversations.js';
import { companyAttributes, contactAttributes, conversationAttributes } from './data-attributes.js';
import { articles, helpCenterCollections, helpCenters } from './help-center.js';
import { segments, subscriptionTypes } from './segments.js';
import { tags } from './tags.js';
import { tickets } from './tickets.js';

/** Every stream the connector offers, in catalog order. */
export const STREAMS: readonly StreamDefinition[] = [
  admins,
  teams,
  teamAdmins,
  tags,
  segments,
  subscriptionTypes,
  companyAttributes,
  contactAttributes,
  conversationAttributes,
  companies,
  companyTags,
  companySegments,
  contacts,
  contactCompanies,
  contactTags,
  conversations,
  conversationTags,
  conversationContacts,
  conversationParts,
  tickets,
  activityLogs,
  helpCenters,
  helpCenterCollections,
  articles,
];

/** Lists of deleted records, each read after its stream's scan. */
export const DELETED_LISTS: readonly DeletedListSource[] = [deletedConversations];

export { WEBHOOK_TOPICS } from './webhooks.js';

export function streamByName(name: string): StreamDefinition | undefined {
  return STREAMS.find((s) => s.name === name);
}
