/**
 * Tickets: search (there is no list endpoint), single tickets and ticket types.
 */
import { notFound } from '../errors.js';
import { ticketRenderer, ticketResource } from '../search/fields.js';
import { isLiveTicket } from '../store/generate.js';
import { renderTicket } from '../store/render-conversations.js';
import type { Route } from './context.js';
import { searchPage } from './search-route.js';

export const ticketRoutes: Route[] = [
  {
    method: 'POST',
    template: '/tickets/search',
    scope: 'read_tickets',
    handler: (req, sim) => {
      const store = sim.store;
      const page = searchPage(req, sim, {
        cursorKind: 'tickets/search',
        defaultPerPage: 20,
        sortable: false,
        target: { resource: ticketResource(store), table: store.tables.tickets, isLive: isLiveTicket, render: ticketRenderer(store) },
        render: (row) => renderTicket(row, store.conversationContext, sim.options.partsCap),
      });
      return { body: { type: 'ticket.list', tickets: page.items, total_count: page.total, pages: page.pages } };
    },
  },
  {
    method: 'GET',
    template: '/tickets/{id}',
    scope: 'read_tickets',
    handler: (req, sim) => {
      const row = sim.store.ticket(req.params['id'] ?? '');
      if (!row) throw notFound('Ticket not found', 'ticket_not_found');
      return { body: renderTicket(row, sim.store.conversationContext, sim.options.partsCap) };
    },
  },
  {
    method: 'GET',
    template: '/ticket_types',
    scope: 'read_tickets',
    handler: (_req, sim) => ({ body: { type: 'list', data: sim.store.catalog.ticketTypes.map((t) => ({ ...t.json })) } }),
  },
];
