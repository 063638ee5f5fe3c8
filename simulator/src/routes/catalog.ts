/**
 * GET /tags, /segments, /subscription_types, /data_attributes and
 * /conversations/attributes.
 */
import { ApiError, badRequest, notFound } from '../errors.js';
import { renderConversationAttributes, renderDataAttributes } from '../store/attributes.js';
import { renderSegment } from '../store/render-people.js';
import { flag, type Route } from './context.js';

export const catalogRoutes: Route[] = [
  {
    method: 'GET',
    template: '/tags',
    scope: 'read_tags',
    handler: (_req, sim) => ({ body: { type: 'list', data: sim.store.all('tags') } }),
  },
  {
    method: 'GET',
    template: '/tags/{id}',
    scope: 'read_tags',
    handler: (req, sim) => {
      const tag = sim.store.all('tags').find((t) => t['id'] === req.params['id']);
      if (!tag) throw notFound('Tag not found', 'tag_not_found');
      return { body: tag };
    },
  },
  {
    method: 'GET',
    template: '/segments',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      const counts = flag(req.query, 'include_count') ? sim.store.segmentCounts() : null;
      const segments = sim.store.catalog.segments
        .map((s, i) => ({ s, i }))
        .filter(({ s }) => !sim.store.isDeleted('segments', s.id))
        .map(({ s, i }) => renderSegment(s, counts ? (counts[i] ?? 0) : null));
      return { body: { type: 'segment.list', segments, pages: {} } };
    },
  },
  {
    method: 'GET',
    template: '/segments/{id}',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      const index = sim.store.catalog.segments.findIndex((s) => s.id === req.params['id']);
      const segment = sim.store.catalog.segments[index];
      if (!segment || sim.store.isDeleted('segments', segment.id)) throw notFound();
      const counts = flag(req.query, 'include_count') ? sim.store.segmentCounts() : null;
      return { body: renderSegment(segment, counts ? (counts[index] ?? 0) : null) };
    },
  },
  {
    method: 'GET',
    template: '/subscription_types',
    scope: 'read_users_companies',
    handler: (_req, sim) => ({ body: { type: 'list', data: sim.store.all('subscription_types') } }),
  },
  {
    method: 'GET',
    template: '/data_attributes',
    scope: 'read_users_companies',
    handler: (req, sim) => {
      const model = req.query.get('model');
      if (model === 'conversation') {
        throw new ApiError(422, 'parameter_invalid', 'model=conversation is no longer supported. Use GET /conversations/attributes instead');
      }
      if (model !== null && model !== 'contact' && model !== 'company') throw badRequest(`model must be contact or company, got ${model}`);
      const includeArchived = flag(req.query, 'include_archived');
      const adminIds = sim.store.catalog.admins.map((a) => a.id);
      const models: ReadonlyArray<'contact' | 'company'> = model === null ? ['contact', 'company'] : [model];
      const data = models.flatMap((m) => renderDataAttributes({ model: m, includeArchived, anchor: sim.store.anchor, adminIds }));
      return { body: { type: 'list', data } };
    },
  },
  {
    method: 'GET',
    template: '/conversations/attributes',
    scope: 'read_conversations',
    handler: (req, sim) => ({
      body: {
        type: 'list',
        data: renderConversationAttributes(
          flag(req.query, 'include_archived'),
          sim.store.anchor,
          sim.store.catalog.admins.map((a) => a.id),
        ),
      },
    }),
  },
];
