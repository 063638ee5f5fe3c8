/**
 * Conversations: the cursor-paged list (most recently updated first), search,
 * single conversations with their capped parts, and deleted conversation ids.
 */
import { notFound } from '../errors.js';
import { cursorPages, decodeCursor, linkPages, pageNumber, perPage } from '../pagination.js';
import { conversationRenderer, conversationResource } from '../search/fields.js';
import { isLiveConversation } from '../store/generate.js';
import { renderConversation, renderConversationWithParts } from '../store/render-conversations.js';
import type { Route } from './context.js';
import { searchPage } from './search-route.js';

export const conversationRoutes: Route[] = [
  {
    method: 'GET',
    template: '/conversations',
    scope: 'read_conversations',
    handler: (req, sim) => {
      const size = perPage(req.query.get('per_page'), 20, 150);
      const offset = decodeCursor('conversations', req.query.get('starting_after'));
      const table = sim.store.tables.conversations;
      // Most recently updated first: an update during paging moves a conversation to the front.
      const ordered = table.index('updated_at').all().reverse();
      const conversations = ordered.slice(offset, offset + size).flatMap((seq) => {
        const row = table.at(seq);
        return row ? [renderConversation(row, sim.store.conversationContext)] : [];
      });
      return {
        body: { type: 'conversation.list', conversations, total_count: ordered.length, pages: cursorPages('conversations', offset, size, ordered.length) },
      };
    },
  },
  {
    method: 'POST',
    template: '/conversations/search',
    scope: 'read_conversations',
    handler: (req, sim) => {
      const store = sim.store;
      const page = searchPage(req, sim, {
        cursorKind: 'conversations/search',
        defaultPerPage: 20,
        sortable: false,
        target: {
          resource: conversationResource(store),
          table: store.tables.conversations,
          isLive: isLiveConversation,
          render: conversationRenderer(store),
        },
        render: (row) => renderConversation(row, store.conversationContext),
      });
      return { body: { type: 'conversation.list', conversations: page.items, total_count: page.total, pages: page.pages } };
    },
  },
  {
    method: 'GET',
    template: '/conversations/deleted',
    scope: 'read_conversations',
    handler: (req, sim) => {
      const size = perPage(req.query.get('per_page'), 20, 60);
      const page = pageNumber(req.query.get('page'));
      const ascending = req.query.get('order') === 'asc';
      const deleted = sim.store.deletedConversations();
      if (!ascending) deleted.reverse();
      const all = sim.store.tables.deletedConversations;
      const offset = (page - 1) * size;
      const conversations = deleted.slice(offset, offset + size).map((d) => ({
        type: 'conversation',
        id: d.id,
        metrics_retained: all.find((x) => x.id === d.id)?.metricsRetained ?? true,
        deleted_at: d.deleted_at,
      }));
      return {
        body: {
          type: 'conversations.list',
          conversations,
          total_count: deleted.length,
          pages: linkPages(req.baseUrl, req.path, req.query, page, size, deleted.length),
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/conversations/{id}',
    scope: 'read_conversations',
    handler: (req, sim) => {
      const row = sim.store.conversation(req.params['id'] ?? '');
      if (!row) throw notFound();
      const plaintext = req.query.get('display_as') === 'plaintext';
      return { body: renderConversationWithParts(row, sim.store.conversationContext, sim.options.partsCap, { plaintext }) };
    },
  },
];
