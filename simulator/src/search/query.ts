/**
 * Parsing of Intercom's search query language into a small tree, with the
 * structural limits the API enforces: at most two levels of nested AND/OR
 * groups and at most 15 filters per group. Field-specific checks (which
 * operators a field accepts, value types) happen in compile.ts.
 */
import { badRequest } from '../errors.js';

export const OPERATORS = ['=', '!=', 'IN', 'NIN', '<', '<=', '>', '>=', '~', '!~', '^', '$'] as const;
export type Operator = (typeof OPERATORS)[number];

export type Scalar = string | number | boolean | null;

export interface FilterNode {
  kind: 'filter';
  field: string;
  operator: Operator;
  value: Scalar | Scalar[];
}

export interface GroupNode {
  kind: 'group';
  operator: 'AND' | 'OR';
  children: QueryNode[];
}

export type QueryNode = FilterNode | GroupNode;

export const MAX_NESTING = 2;
export const MAX_FILTERS_PER_GROUP = 15;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isOperator(value: unknown): value is Operator {
  return typeof value === 'string' && (OPERATORS as readonly string[]).includes(value);
}

/**
 * Parses `query` from a search request body. `depth` counts enclosing groups:
 * the top-level group is level 1, a group inside it level 2, and a group at
 * level 3 is rejected.
 */
export function parseQuery(raw: unknown, depth = 0): QueryNode {
  if (!isRecord(raw)) throw badRequest('query must be an object with field, operator and value');
  const operator = raw['operator'];
  if (operator === 'AND' || operator === 'OR') {
    const level = depth + 1;
    if (level > MAX_NESTING) {
      throw badRequest(`Search query nesting is too deep: at most ${MAX_NESTING} levels of AND/OR are allowed`);
    }
    const value = raw['value'];
    if (!Array.isArray(value)) throw badRequest(`${operator} requires value to be an array of filters`);
    if (value.length > MAX_FILTERS_PER_GROUP) {
      throw badRequest(`Too many filters in an ${operator} group: ${value.length} (maximum ${MAX_FILTERS_PER_GROUP})`);
    }
    return { kind: 'group', operator, children: value.map((child) => parseQuery(child, level)) };
  }
  const field = raw['field'];
  if (typeof field !== 'string' || field === '') throw badRequest('Each filter needs a field');
  if (!isOperator(operator)) throw badRequest(`Unsupported operator ${JSON.stringify(operator)} for field ${field}`);
  if (!('value' in raw)) throw badRequest(`Filter on ${field} needs a value`);
  const value = raw['value'];
  if (operator === 'IN' || operator === 'NIN') {
    if (!Array.isArray(value) || !value.every(isScalar)) throw badRequest(`${operator} on ${field} requires an array value`);
    return { kind: 'filter', field, operator, value };
  }
  if (!isScalar(value)) throw badRequest(`Operator ${operator} on ${field} requires a single value`);
  return { kind: 'filter', field, operator, value };
}
