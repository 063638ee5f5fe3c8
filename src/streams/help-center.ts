import { defineStream } from '../engine/definition.js';
import { intercomSchemas } from '../schemas/index.js';

export const helpCenters = defineStream({
  name: 'help_centers',
  source: { kind: 'list', name: 'help_centers', path: '/help_center/help_centers', recordsPath: '$.data[*]', pagination: 'pages' },
  primaryKey: ['id'],
  history: 'snapshot',
  schema: intercomSchemas.help_center,
});

/** Collections and sections: a section is a collection with a parent_id. */
export const helpCenterCollections = defineStream({
  name: 'help_center_collections',
  source: { kind: 'list', name: 'help_center_collections', path: '/help_center/collections', recordsPath: '$.data[*]', pagination: 'pages' },
  primaryKey: ['id'],
  history: 'snapshot',
  schema: intercomSchemas.collection,
});

export const articles = defineStream({
  name: 'articles',
  source: { kind: 'list', name: 'articles', path: '/articles', recordsPath: '$.data[*]', pagination: 'pages', cursorField: 'updated_at' },
  primaryKey: ['id'],
  history: 'versioned',
  schema: intercomSchemas.article_list_item,
});
