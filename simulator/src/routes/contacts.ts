/**
 * Contacts: the cursor-paged list, single contacts (404 when deleted, 410
 * with a canonical Link when merged), their tags, companies and segments,
 * and search.
 */
import { ApiError, notFound } from '../errors.js';
import { cursorPages, decodeCursor, linkPages, pageNumber, perPage } from '../pagination.js';
import { contactRenderer, contactResource } from '../search/fields.js';
import { isLiveContact } from '../store/generate.js';
import { contactSegmentIndexes, renderCompany, renderContact, renderContactTags, renderSegment } from '../store/render-people.js';
import type { ContactRow, Json } from '../store/rows.js';
import { flag, type RequestContext, type Route, type SimState } from './context.js';
import { searchPage } from './search-route.js';

/** The live contact a request addresses, or the error the API gives for it. */
function requireContact(req: RequestContext, sim: SimState): ContactRow {
  const id = req.params['id'] ?? '';
  const found = sim.store.lookupContact(id);
  if (found.status === 'merged') {
    throw new ApiError(410, 'contact_merged', "This contact has been merged. See the 'Link' header for the canonical contact.", {
      Link: `</contacts/${found.into}>; rel="canonical"`,
    });
  }
  if (found.status === 'missing') throw notFound('User Not Found');
  return found.row;
}

function contactJson(row: ContactRow, sim: SimState, req: RequestContext): Json {
  const json = renderContact(row, sim.store.people);
  if (flag(req.query, 'include_merge_history') && row.role === 'user') json['merge_history'] = [];
  return json;
}

export const contactRoutes: Route[] = [
  {
    method: 'GET',
    template: '/contacts',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      const size = perPage(req.query.get('per_page'), 10, 150);
      const offset = decodeCursor('contacts', req.query.get('starting_after'));
      // Listed in id order (oldest first); each page re-reads the live table.
      const ordered = sim.store.tables.contacts.liveSeqs();
      const live = ordered.length;
      const data = ordered.slice(offset, offset + size).flatMap((seq) => {
        const row = sim.store.tables.contacts.at(seq);
        return row ? [contactJson(row, sim, req)] : [];
      });
      return { body: { type: 'list', data, total_count: live, pages: cursorPages('contacts', offset, size, live) } };
    },
  },
  {
    method: 'POST',
    template: '/contacts/search',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      const store = sim.store;
      const page = searchPage(req, sim, {
        cursorKind: 'contacts/search',
        defaultPerPage: 50,
        sortable: true,
        target: { resource: contactResource(store), table: store.tables.contacts, isLive: isLiveContact, render: contactRenderer(store) },
        render: (row) => contactJson(row, sim, req),
      });
      return { body: { type: 'list', data: page.items, total_count: page.total, pages: page.pages } };
    },
  },
  {
    method: 'GET',
    template: '/contacts/{id}',
    scope: 'read_users_companies',
    handler: (req, sim) => ({ body: contactJson(requireContact(req, sim), sim, req) }),
  },
  {
    method: 'GET',
    template: '/contacts/{id}/tags',
    scope: 'read_users_companies',
    handler: (req, sim) => ({ body: { type: 'list', data: renderContactTags(requireContact(req, sim), sim.store.people) } }),
  },
  {
    method: 'GET',
    template: '/contacts/{id}/companies',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      const row = requireContact(req, sim);
      const size = perPage(req.query.get('per_page'), 50, 150);
      const page = pageNumber(req.query.get('page'));
      const offset = (page - 1) * size;
      const data = row.companies.slice(offset, offset + size).flatMap((seq) => {
        const company = sim.store.tables.companies.at(seq);
        return company && company.status === 'live' ? [renderCompany(company, sim.store.people)] : [];
      });
      // The real API names the array `data` (the schema says `companies`).
      return {
        body: { type: 'list', data, pages: linkPages(req.baseUrl, req.path, req.query, page, size, row.companies.length), total_count: row.companies.length },
      };
    },
  },
  {
    method: 'GET',
    template: '/contacts/{id}/segments',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      const row = requireContact(req, sim);
      const data = contactSegmentIndexes(row, sim.store.catalog).flatMap((i) => {
        const segment = sim.store.catalog.segments[i];
        return segment ? [renderSegment(segment, null)] : [];
      });
      return { body: { type: 'list', data } };
    },
  },
];
