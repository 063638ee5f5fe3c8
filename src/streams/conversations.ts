import type { JsonObject } from '../protocol/types.js';
import { defineStream, type DeletedListSource, type SearchSource } from '../engine/definition.js';
import { column, extendSchema, intercomSchemas } from '../schemas/index.js';
import { recordsAt } from '../util/records-path.js';
import { idsOf, linkStream } from './links.js';

/** Conversation search compares dates to the second and does not sort. */
export const conversationSearch: SearchSource = {
  kind: 'search',
  name: 'conversations',
  path: '/conversations/search',
  recordsPath: '$.conversations[*]',
  cursorField: 'updated_at',
  dateResolution: 'second',
  sortable: false,
  idAlphabet: '0123456789',
};

export const conversations = defineStream({
  name: 'conversations',
  source: conversationSearch,
  primaryKey: ['id'],
  history: 'versioned',
  deletes: ['deleted-list', 'vanished', 'webhook-relay'],
  schema: intercomSchemas.conversation,
  customAttributes: 'conversation',
});

/** Deleted conversations with their deletion times, newest first (API 2.15 and later). */
export const deletedConversations: DeletedListSource = {
  stream: 'conversations',
  path: '/conversations/deleted',
  recordsPath: '$.conversations[*]',
  perPage: 60,
  sinceApiVersion: '2.15',
};

const conversationParent = { stream: 'conversations', column: 'conversation' };

export const conversationTags = linkStream({
  name: 'conversation_tags',
  source: conversationSearch,
  parent: conversationParent,
  child: 'tag',
  ids: (c) => idsOf(recordsAt(c.tags, '$.tags[*]')),
});

export const conversationContacts = linkStream({
  name: 'conversation_contacts',
  source: conversationSearch,
  parent: conversationParent,
  child: 'contact',
  ids: (c) => idsOf(recordsAt(c.contacts, '$.contacts[*]')),
});

/**
 * Every part of every conversation that changed, from one GET per changed
 * conversation (parts of unchanged conversations are not fetched again).
 * Intercom returns only the 500 most recent parts; when a conversation has
 * more, the shortfall is reported.
 */
export const conversationParts = defineStream({
  name: 'conversation_parts',
  source: conversationSearch,
  primaryKey: ['id'],
  cursorField: 'updated_at',
  history: 'versioned',
  schema: extendSchema('conversation_part', {
    conversation_id: column('string', 'The id of the conversation the part belongs to.'),
    conversation_created_at: column('integer', 'When the conversation was created (Unix seconds).'),
    conversation_updated_at: column('integer', 'The conversation\'s updated_at when the part was read (Unix seconds).'),
    conversation_total_parts: column('integer', 'How many parts the conversation had when it was read.'),
  }),
  records: async (conversation, ctx) => {
    const id = String(conversation.id);
    const full = await ctx.fetchChild(`/conversations/${encodeURIComponent(id)}`, `conversation ${id}`);
    if (full === null) {
      // Found by the search, gone by now: deleted in between.
      ctx.recordGone();
      return [];
    }
    const parts = recordsAt(full, '$.conversation_parts.conversation_parts[*]');
    const statistics = (full.statistics ?? conversation.statistics) as JsonObject | null | undefined;
    const total = typeof statistics?.count_conversation_parts === 'number' ? statistics.count_conversation_parts : parts.length;
    if (total > parts.length) {
      ctx.warnOnce(
        `parts-cap:${id}`,
        `conversation ${id} has ${total} parts but Intercom returns only the ${parts.length} most recent; the ${total - parts.length} oldest cannot be read through the API.`,
      );
    }
    return parts.map((part) => ({
      ...part,
      conversation_id: id,
      conversation_created_at: full.created_at ?? conversation.created_at,
      conversation_updated_at: full.updated_at ?? conversation.updated_at,
      conversation_total_parts: total,
    }));
  },
});
