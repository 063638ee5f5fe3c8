/**
 * Admin activity logs: generated over the history (oldest first) and appended
 * by the store's addActivityLog mutation. Stored as the JSON the API returns.
 */
import type { GenerationOptions } from '../options.js';
import { Rng } from '../rng.js';
import type { AdminJson, Catalog } from './catalog.js';
import type { Json } from './rows.js';

const DAY = 86400;

type Describe = (rng: Rng, admin: AdminJson, catalog: Catalog) => { metadata: Json | null; description: string };

const ACTIVITIES: ReadonlyArray<{ type: string; weight: number; describe: Describe }> = [
  {
    type: 'admin_login_success',
    weight: 40,
    describe: (_rng, admin) => ({ metadata: { sign_in_method: 'email_password' }, description: `${admin.name} successfully logged in.` }),
  },
  {
    type: 'admin_logout',
    weight: 15,
    describe: (_rng, admin) => ({ metadata: null, description: `${admin.name} logged out.` }),
  },
  {
    type: 'admin_away_mode_change',
    weight: 12,
    describe: (rng, admin) => {
      const away = rng.chance(0.5);
      return {
        metadata: {
          away_mode: away,
          away_status_reason: away ? '🍕 On lunch' : null,
          reassign_conversations: false,
          source: `admin update from web - Admin id: ${admin.id}`,
          auto_changed: 'false',
          update_by: Number(admin.id),
          update_by_name: admin.name,
        },
        description: `${admin.name} changed their away mode to ${away ? 'away' : 'active'}.`,
      };
    },
  },
  {
    type: 'app_name_change',
    weight: 2,
    describe: (_rng, admin, catalog) => ({
      metadata: { before: { name: `${catalog.appName} (old)` }, after: { name: catalog.appName } },
      description: `${admin.name} changed your app name from ${catalog.appName} (old) to ${catalog.appName}.`,
    }),
  },
  {
    type: 'admin_conversation_assignment_limit_change',
    weight: 5,
    describe: (rng, admin) => {
      const limit = rng.int(5, 30);
      return { metadata: { conversation_assignment_limit: limit }, description: `${admin.name} changed the conversation assignment limit to ${limit}.` };
    },
  },
  {
    type: 'team_assignment_limit_change',
    weight: 3,
    describe: (rng, admin, catalog) => {
      const team = catalog.teams.length > 0 ? rng.pick(catalog.teams) : null;
      const limit = rng.int(10, 80);
      return {
        metadata: { team: team ? { id: Number(team['id']), name: String(team['name']) } : null, team_assignment_limit: limit },
        description: `${admin.name} changed a team assignment limit to ${limit}.`,
      };
    },
  },
  {
    type: 'app_team_membership_modification',
    weight: 4,
    describe: (_rng, admin) => ({ metadata: null, description: `${admin.name} changed team membership.` }),
  },
  {
    type: 'bulk_export',
    weight: 3,
    describe: (_rng, admin) => ({ metadata: null, description: `${admin.name} exported conversations.` }),
  },
];

const TOTAL_WEIGHT = ACTIVITIES.reduce((sum, a) => sum + a.weight, 0);

export function makeActivityLog(rng: Rng, catalog: Catalog, createdAt: number): Json {
  let roll = rng.next() * TOTAL_WEIGHT;
  let activity = ACTIVITIES[0];
  for (const candidate of ACTIVITIES) {
    roll -= candidate.weight;
    if (roll < 0) {
      activity = candidate;
      break;
    }
  }
  if (!activity) throw new Error('no activity types');
  const admin = rng.pick(catalog.admins);
  const { metadata, description } = activity.describe(rng, admin, catalog);
  return {
    id: rng.uuid(),
    performed_by: { type: 'admin', id: admin.id, email: admin.email, ip: `198.51.100.${rng.int(1, 254)}` },
    metadata,
    created_at: createdAt,
    activity_type: activity.type,
    activity_description: description,
  };
}

/** Activity logs spread over the history, oldest first. */
export function generateActivityLogs(options: GenerationOptions, catalog: Catalog, rng: Rng): Json[] {
  const historyStart = options.anchor - options.historyDays * DAY;
  const times: number[] = [];
  for (let i = 0; i < options.size.activityLogs; i++) times.push(Math.floor(historyStart + rng.next() * (options.anchor - 1 - historyStart)));
  times.sort((a, b) => a - b);
  return times.map((t) => makeActivityLog(rng, catalog, t));
}
