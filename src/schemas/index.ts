import type { JsonSchema } from '../protocol/types.js';
import activityLog from './intercom/activity_log.json' with { type: 'json' };
import admin from './intercom/admin.json' with { type: 'json' };
import articleListItem from './intercom/article_list_item.json' with { type: 'json' };
import collection from './intercom/collection.json' with { type: 'json' };
import company from './intercom/company.json' with { type: 'json' };
import contact from './intercom/contact.json' with { type: 'json' };
import conversation from './intercom/conversation.json' with { type: 'json' };
import conversationAttribute from './intercom/conversation_attribute.json' with { type: 'json' };
import conversationPart from './intercom/conversation_part.json' with { type: 'json' };
import dataAttribute from './intercom/data_attribute.json' with { type: 'json' };
import helpCenter from './intercom/help_center.json' with { type: 'json' };
import segment from './intercom/segment.json' with { type: 'json' };
import subscriptionType from './intercom/subscription_type.json' with { type: 'json' };
import tag from './intercom/tag.json' with { type: 'json' };
import team from './intercom/team.json' with { type: 'json' };
import ticket from './intercom/ticket.json' with { type: 'json' };

/**
 * Stream schemas generated from the official Intercom OpenAPI 2.16 component
 * schemas (tools/scripts/gen-schemas.ts), keyed by component name.
 */
export const intercomSchemas = {
  activity_log: activityLog,
  admin,
  article_list_item: articleListItem,
  collection,
  company,
  contact,
  conversation,
  conversation_attribute: conversationAttribute,
  conversation_part: conversationPart,
  data_attribute: dataAttribute,
  help_center: helpCenter,
  segment,
  subscription_type: subscriptionType,
  tag,
  team,
  ticket,
} satisfies Record<string, JsonSchema>;

export type ComponentName = keyof typeof intercomSchemas;

export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

/** A nullable column of a plain JSON type, with what it means for catalog UIs. */
export function column(type: ColumnType, description?: string): JsonSchema {
  const described = description ? { description } : {};
  if (type === 'object') return { ...described, type: ['object', 'null'], additionalProperties: true };
  if (type === 'array') return { ...described, type: ['array', 'null'], items: {} };
  return { ...described, type: [type, 'null'] };
}

/** A component schema with extra top-level columns (fields Intercom sends beyond its spec, or added by the connector). */
export function extendSchema(component: ComponentName, extra: Record<string, JsonSchema>): JsonSchema {
  const base = intercomSchemas[component] as JsonSchema;
  return { ...base, properties: { ...(base.properties as JsonSchema), ...extra } };
}

/** The schema of a link table: a few plain columns, each with its description. */
export function tableSchema(columns: Record<string, [ColumnType, string]>): JsonSchema {
  const properties: JsonSchema = {};
  for (const [name, [type, description]] of Object.entries(columns)) properties[name] = column(type, description);
  return { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: true, properties };
}
