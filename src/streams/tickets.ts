import { intercomSchemas } from '../schemas/index.js';
import { defineStream } from './definition.js';

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
  cursorField: 'updated_at',
  history: 'versioned',
  schema: intercomSchemas.ticket,
});
