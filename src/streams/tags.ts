import { defineStream } from '../engine/definition.js';
import { intercomSchemas } from '../schemas/index.js';

/** Keyed by id, not by name as Airbyte's official connector does: names change. */
export const tags = defineStream({
  name: 'tags',
  source: { kind: 'list', name: 'tags', path: '/tags', recordsPath: '$.data[*]', pagination: 'none' },
  primaryKey: ['id'],
  history: 'snapshot',
  schema: intercomSchemas.tag,
});
