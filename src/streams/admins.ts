import { intercomSchemas, tableSchema } from '../schemas/index.js';
import { defineStream, type ListSource } from './definition.js';

const adminList: ListSource = { kind: 'list', name: 'admins', path: '/admins', recordsPath: '$.admins[*]', pagination: 'none' };
const teamList: ListSource = { kind: 'list', name: 'teams', path: '/teams', recordsPath: '$.teams[*]', pagination: 'none' };

export const admins = defineStream({
  name: 'admins',
  source: adminList,
  primaryKey: ['id'],
  history: 'snapshot',
  schema: intercomSchemas.admin,
});

/** Keyed by id, not by name as Airbyte's official connector does: names change and repeat. */
export const teams = defineStream({
  name: 'teams',
  source: teamList,
  primaryKey: ['id'],
  history: 'snapshot',
  schema: intercomSchemas.team,
});

/** Which admins belong to which team (Fivetran's TEAM_ADMIN). */
export const teamAdmins = defineStream({
  name: 'team_admins',
  source: teamList,
  primaryKey: ['team_id', 'admin_id'],
  history: 'snapshot',
  schema: tableSchema({ team_id: 'string', admin_id: 'string' }),
  records: (team) => (Array.isArray(team.admin_ids) ? team.admin_ids : []).map((adminId) => ({ team_id: String(team.id), admin_id: String(adminId) })),
});
