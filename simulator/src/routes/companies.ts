/**
 * Companies: the page-numbered lists (capped, and without companies that have
 * no contacts), the scroll API, and single companies with their contacts and
 * segments.
 */
import { ApiError, badRequest, notFound } from '../errors.js';
import { linkPages, pageNumber, perPage } from '../pagination.js';
import { companySegmentIndexes, renderCompany, renderContact, renderSegment } from '../store/render-people.js';
import type { CompanyRow, Json } from '../store/rows.js';
import type { RequestContext, Route, SimState } from './context.js';

const companyNotFound = (): ApiError => notFound('Company Not Found', 'company_not_found');

function requireCompany(req: RequestContext, sim: SimState): CompanyRow {
  const row = sim.store.company(req.params['id'] ?? '');
  if (!row) throw companyNotFound();
  return row;
}

/** Companies the list endpoints show: only those with at least one contact, most recently active first. */
function listedCompanies(sim: SimState, order: 'asc' | 'desc'): CompanyRow[] {
  const rows = sim.store.tables.companies.liveRows().filter((r) => sim.store.companyMemberSeqs(r.seq).length > 0);
  const direction = order === 'asc' ? 1 : -1;
  return rows.sort((a, b) => direction * (a.lastRequestAt - b.lastRequestAt || a.seq - b.seq));
}

function pagedCompanyList(req: RequestContext, sim: SimState, rows: CompanyRow[]): Json {
  const size = perPage(req.query.get('per_page'), 15, 60);
  const page = pageNumber(req.query.get('page'));
  const offset = (page - 1) * size;
  const cap = sim.options.companiesListCap;
  if (offset >= cap) throw new ApiError(400, 'bad_request', 'page limit reached, please use scroll API');
  const end = Math.min(offset + size, cap);
  return {
    type: 'list',
    data: rows.slice(offset, end).map((r) => renderCompany(r, sim.store.people)),
    pages: linkPages(req.baseUrl, req.path, req.query, page, size, rows.length),
    total_count: rows.length,
  };
}

function orderParam(req: RequestContext): 'asc' | 'desc' {
  const order = req.query.get('order') ?? 'desc';
  if (order !== 'asc' && order !== 'desc') throw badRequest('order must be asc or desc');
  return order;
}

export const companyRoutes: Route[] = [
  {
    method: 'GET',
    template: '/companies',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      let rows = listedCompanies(sim, 'desc');
      const companyId = req.query.get('company_id');
      const name = req.query.get('name');
      const tagId = req.query.get('tag_id');
      const segmentId = req.query.get('segment_id');
      if (companyId !== null || name !== null) {
        const wanted = sim.store.tables.companies.liveRows().filter((r) => {
          const json = renderCompany(r, sim.store.people);
          return companyId !== null ? json['company_id'] === companyId : json['name'] === name;
        });
        if (wanted.length === 0) throw companyNotFound();
        rows = wanted;
      }
      if (tagId !== null) {
        rows = rows.filter((r) => {
          const tags = renderCompany(r, sim.store.people)['tags'] as { tags: Array<{ id: string }> };
          return tags.tags.some((t) => t.id === tagId);
        });
      }
      if (segmentId !== null) {
        const index = sim.store.catalog.segments.findIndex((s) => s.id === segmentId);
        rows = rows.filter((r) => companySegmentIndexes(r, sim.store.catalog).includes(index));
      }
      return { body: pagedCompanyList(req, sim, rows) };
    },
  },
  {
    method: 'POST',
    template: '/companies/list',
    scope: 'read_users_companies',
    handler: (req, sim) => ({ body: pagedCompanyList(req, sim, listedCompanies(sim, orderParam(req))) }),
  },
  {
    method: 'GET',
    template: '/companies/scroll',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      const param = req.query.get('scroll_param');
      const now = sim.now();
      let page;
      if (param === null || param === '') {
        const rows = sim.store.tables.companies.liveRows();
        const counts = rows.map((r) => sim.store.companyMemberSeqs(r.seq).length);
        page = sim.scrolls.open(req.token, rows, counts, now, req.dryRun);
      } else {
        page = sim.scrolls.next(req.token, param, now, req.dryRun);
      }
      return {
        body: {
          type: 'list',
          data: page.rows.map((row, i) => renderCompany(row, sim.store.people, page.userCounts[i] ?? 0)),
          pages: null,
          total_count: null,
          scroll_param: page.param,
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/companies/{id}',
    scope: 'read_users_companies',
    handler: (req, sim) => ({ body: renderCompany(requireCompany(req, sim), sim.store.people) }),
  },
  {
    method: 'GET',
    template: '/companies/{id}/segments',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      const row = requireCompany(req, sim);
      const data = companySegmentIndexes(row, sim.store.catalog).flatMap((i) => {
        const segment = sim.store.catalog.segments[i];
        return segment ? [renderSegment(segment, null)] : [];
      });
      return { body: { type: 'list', data } };
    },
  },
  {
    method: 'GET',
    template: '/companies/{id}/contacts',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      const row = requireCompany(req, sim);
      const members = sim.store.companyMemberSeqs(row.seq);
      const size = perPage(req.query.get('per_page'), 50, 150);
      const page = pageNumber(req.query.get('page'));
      const offset = (page - 1) * size;
      const data = members.slice(offset, offset + size).flatMap((seq) => {
        const contact = sim.store.tables.contacts.at(seq);
        return contact ? [renderContact(contact, sim.store.people)] : [];
      });
      return {
        body: { type: 'list', data, total_count: members.length, pages: linkPages(req.baseUrl, req.path, req.query, page, size, members.length) },
      };
    },
  },
];
