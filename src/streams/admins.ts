import { defineStream, type ListSource } from '../engine/definition.js';
import { intercomSchemas } from '../schemas/index.js';
import { linkStream } from './links.js';

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
export const teamAdmins = linkStream({
  name: 'team_admins',
  source: teamList,
  parent: { stream: 'teams', column: 'team' },
  child: 'admin',
  ids: (team) => (Array.isArray(team.admin_ids) ? team.admin_ids : []),
});
