/**
 * Help center: help centers, collections (sections are collections with a
 * parent) and articles. Lists are page-numbered, most recently updated first.
 */
import { notFound } from '../errors.js';
import { linkPages, pageNumber, perPage } from '../pagination.js';
import type { Json } from '../store/rows.js';
import type { RequestContext, Route } from './context.js';

function byUpdatedDesc(items: Json[]): Json[] {
  return items.sort((a, b) => Number(b['updated_at']) - Number(a['updated_at']) || Number(a['id']) - Number(b['id']));
}

function pagedList(req: RequestContext, items: Json[], defaultPerPage: number): Json {
  const size = perPage(req.query.get('per_page'), defaultPerPage, 150);
  const page = pageNumber(req.query.get('page'));
  const offset = (page - 1) * size;
  return {
    type: 'list',
    data: items.slice(offset, offset + size),
    total_count: items.length,
    pages: linkPages(req.baseUrl, req.path, req.query, page, size, items.length),
  };
}

export const helpCenterRoutes: Route[] = [
  {
    method: 'GET',
    template: '/help_center/help_centers',
    scope: 'read_articles',
    handler: (_req, sim) => ({ body: { type: 'list', data: sim.store.all('help_centers') } }),
  },
  {
    method: 'GET',
    template: '/help_center/help_centers/{id}',
    scope: 'read_articles',
    handler: (req, sim) => {
      const item = sim.store.all('help_centers').find((h) => h['id'] === req.params['id']);
      if (!item) throw notFound();
      return { body: item };
    },
  },
  {
    method: 'GET',
    template: '/help_center/collections',
    scope: 'read_articles',
    handler: (req, sim) => ({ body: pagedList(req, byUpdatedDesc(sim.store.all('collections')), 20) }),
  },
  {
    method: 'GET',
    template: '/help_center/collections/{id}',
    scope: 'read_articles',
    handler: (req, sim) => {
      const item = sim.store.all('collections').find((c) => c['id'] === req.params['id']);
      if (!item) throw notFound();
      return { body: item };
    },
  },
  {
    method: 'GET',
    template: '/articles',
    scope: 'read_articles',
    handler: (req, sim) => ({ body: pagedList(req, byUpdatedDesc(sim.store.all('articles')), 25) }),
  },
  {
    method: 'GET',
    template: '/articles/{id}',
    scope: 'read_articles',
    handler: (req, sim) => {
      const item = sim.store.all('articles').find((a) => a['id'] === req.params['id']);
      if (!item) throw notFound('Article not found', 'article_not_found');
      return { body: { ...item, statistics: { type: 'article_statistics', views: 0, conversions: 0, reactions: 0, happy_reaction_percentage: 0, neutral_reaction_percentage: 0, sad_reaction_percentage: 0 } } };
    },
  },
];
