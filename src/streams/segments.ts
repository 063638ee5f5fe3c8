import { defineStream } from '../engine/definition.js';
import { intercomSchemas } from '../schemas/index.js';

export const segments = defineStream({
  name: 'segments',
  source: {
    kind: 'list',
    name: 'segments',
    path: '/segments',
    query: { include_count: true },
    recordsPath: '$.segments[*]',
    pagination: 'none',
  },
  primaryKey: ['id'],
  // The whole list comes back every time, so it is compared as a set: that is how deleted segments are seen.
  history: 'snapshot',
  schema: intercomSchemas.segment,
});

export const subscriptionTypes = defineStream({
  name: 'subscription_types',
  source: { kind: 'list', name: 'subscription_types', path: '/subscription_types', recordsPath: '$.data[*]', pagination: 'none' },
  primaryKey: ['id'],
  history: 'snapshot',
  schema: intercomSchemas.subscription_type,
});
