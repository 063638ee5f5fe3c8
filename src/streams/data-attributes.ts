import { defineStream } from '../engine/definition.js';
import { intercomSchemas } from '../schemas/index.js';

/**
 * Standard attributes have no id, and `name` repeats (a contact's `name` and
 * its companies' `name`), so attributes are keyed by `full_name`, which is
 * unique per model.
 */
export const companyAttributes = defineStream({
  name: 'company_attributes',
  source: { kind: 'list', name: 'company_attributes', path: '/data_attributes', query: { model: 'company' }, recordsPath: '$.data[*]', pagination: 'none' },
  primaryKey: ['full_name'],
  history: 'snapshot',
  schema: intercomSchemas.data_attribute,
});

export const contactAttributes = defineStream({
  name: 'contact_attributes',
  source: { kind: 'list', name: 'contact_attributes', path: '/data_attributes', query: { model: 'contact' }, recordsPath: '$.data[*]', pagination: 'none' },
  primaryKey: ['full_name'],
  history: 'snapshot',
  schema: intercomSchemas.data_attribute,
});

/** API 2.16 moved these from /data_attributes?model=conversation (now 422) to their own endpoint. */
export const conversationAttributes = defineStream({
  name: 'conversation_attributes',
  source: { kind: 'list', name: 'conversation_attributes', path: '/conversations/attributes', recordsPath: '$.data[*]', pagination: 'none' },
  primaryKey: ['id'],
  history: 'snapshot',
  schema: intercomSchemas.conversation_attribute,
});
