import { defineStream } from '../engine/definition.js';
import { intercomSchemas } from '../schemas/index.js';

/** Needs the read_tickets permission; without it this stream alone ends INCOMPLETE. */
export const tickets = defineStream({
  name: 'tickets',
  source: {
    kind: 'search',
    name: 'tickets',
    path: '/tickets/search',
    recordsPath: '$.tickets[*]',
    cursorField: 'updated_at',
    dateResolution: 'second',
    sortable: false,
    idAlphabet: '0123456789',
  },
  primaryKey: ['id'],
  history: 'versioned',
  schema: intercomSchemas.ticket,
});
