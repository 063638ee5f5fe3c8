import type { WebhookTopic } from '../engine/definition.js';

/**
 * The webhook topics the relay keeps that the connector acts on. Intercom's
 * `*.deleted` topics carry only the deleted record's ids (`item.id`).
 * An archived contact is not deleted: it is re-read and written as Intercom
 * returns it.
 */
export const WEBHOOK_TOPICS: Record<string, WebhookTopic> = {
  'contact.deleted': { stream: 'contacts', action: 'delete' },
  'company.deleted': { stream: 'companies', action: 'delete' },
  'conversation.deleted': { stream: 'conversations', action: 'delete' },
  'contact.archived': { stream: 'contacts', action: 'reread', path: '/contacts/{id}' },
};
