/**
 * GET /me, /admins, /teams and /admins/activity_logs.
 */
import { ApiError, badRequest, notFound } from '../errors.js';
import { cursorPages, decodeCursor, perPage } from '../pagination.js';
import type { Json } from '../store/rows.js';
import { flag, type Route } from './context.js';

const avatarUrl = (id: string): string => `https://static.intercomassets.com/avatars/${id}/square_128/avatar.png`;

function unixSeconds(raw: string | null, name: string): number | null {
  if (raw === null || raw === '') return null;
  const n = Number(raw);
  // Intercom refuses negative timestamps as it refuses text.
  if (!Number.isFinite(n) || n < 0) throw badRequest(`${name} must be a Unix timestamp`);
  return n;
}

export const adminRoutes: Route[] = [
  {
    method: 'GET',
    template: '/me',
    scope: null,
    handler: (_req, sim) => {
      const { store } = sim;
      const admin = store.catalog.admins[0];
      if (!admin) throw notFound();
      return {
        body: {
          type: 'admin',
          id: admin.id,
          email: admin.email,
          name: admin.name,
          email_verified: true,
          app: {
            type: 'app',
            id_code: store.appId,
            name: store.catalog.appName,
            created_at: store.catalog.appCreatedAt,
            secure: false,
            identity_verification: false,
            timezone: store.timezone,
            region: 'US',
          },
          avatar: { type: 'avatar', image_url: avatarUrl(admin.id) },
          has_inbox_seat: true,
          away_mode_enabled: admin['away_mode_enabled'],
          away_mode_reassign: admin['away_mode_reassign'],
          job_title: admin['job_title'],
          team_ids: admin.team_ids,
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/admins',
    scope: 'read_admins',
    handler: (req, sim) => {
      const withAvatar = flag(req.query, 'display_avatar');
      const admins = sim.store.all('admins').map((a) => (withAvatar ? { ...a, avatar: avatarUrl(String(a['id'])) } : a));
      return { body: { type: 'admin.list', admins } };
    },
  },
  {
    method: 'GET',
    template: '/admins/activity_logs',
    scope: 'read_admin_activity_logs',
    handler: (req, sim) => {
      const after = unixSeconds(req.query.get('created_at_after'), 'created_at_after');
      if (after === null) throw new ApiError(400, 'parameter_not_found', 'created_at_after is required');
      const before = unixSeconds(req.query.get('created_at_before'), 'created_at_before');
      const size = perPage(req.query.get('per_page'), 20, 150);
      const offset = decodeCursor('activity_logs', req.query.get('starting_after'));
      // Both bounds inclusive; oldest first.
      const logs = sim.store.tables.activityLogs.filter((log) => {
        const t = Number(log['created_at']);
        return t >= after && (before === null || t <= before);
      });
      return {
        body: {
          type: 'activity_log.list',
          pages: cursorPages('activity_logs', offset, size, logs.length),
          activity_logs: logs.slice(offset, offset + size).map((l): Json => ({ ...l })),
        },
      };
    },
  },
  {
    method: 'GET',
    template: '/admins/{id}',
    scope: 'read_admins',
    handler: (req, sim) => {
      const admin = sim.store.all('admins').find((a) => a['id'] === req.params['id']);
      if (!admin) throw notFound('Admin not found', 'admin_not_found');
      return { body: admin };
    },
  },
  {
    method: 'GET',
    template: '/teams',
    scope: 'read_admins',
    handler: (_req, sim) => ({ body: { type: 'team.list', teams: sim.store.all('teams') } }),
  },
  {
    method: 'GET',
    template: '/teams/{id}',
    scope: 'read_admins',
    handler: (req, sim) => {
      const team = sim.store.all('teams').find((t) => t['id'] === req.params['id']);
      if (!team) throw notFound('Team not found', 'team_not_found');
      return { body: team };
    },
  },
];
