import { extendSchema, tableSchema } from '../schemas/index.js';
import { recordsAt } from '../util/records-path.js';
import { defineStream, type ScrollSource } from './definition.js';
import { fetchUnlessGone } from './fetch-child.js';

/** The scroll API: the only way to list more than 10,000 companies. One scroll per app at a time. */
const companyScroll: ScrollSource = { kind: 'scroll', name: 'companies', path: '/companies/scroll', recordsPath: '$.data[*]', cursorField: 'updated_at' };

export const companies = defineStream({
  name: 'companies',
  source: companyScroll,
  primaryKey: ['id'],
  cursorField: 'updated_at',
  history: 'versioned',
  schema: extendSchema('company', {}),
  customAttributes: 'company',
});

export const companyTags = defineStream({
  name: 'company_tags',
  source: companyScroll,
  primaryKey: ['company_id', 'tag_id'],
  cursorField: 'company_updated_at',
  history: 'versioned',
  schema: tableSchema({ company_id: 'string', tag_id: 'string', company_updated_at: 'integer' }),
  records: (company) =>
    recordsAt(company.tags, '$.tags[*]').map((tag) => ({ company_id: company.id, tag_id: String(tag.id), company_updated_at: company.updated_at })),
});

/** One call per changed company, made only when this stream is selected. */
export const companySegments = defineStream({
  name: 'company_segments',
  source: companyScroll,
  primaryKey: ['company_id', 'segment_id'],
  cursorField: 'company_updated_at',
  history: 'versioned',
  schema: tableSchema({ company_id: 'string', segment_id: 'string', company_updated_at: 'integer' }),
  records: async (company, ctx) => {
    const body = await fetchUnlessGone(ctx, `/companies/${encodeURIComponent(String(company.id))}/segments`, `company ${String(company.id)}`);
    return recordsAt(body, '$.data[*]').map((segment) => ({
      company_id: company.id,
      segment_id: String(segment.id),
      company_updated_at: company.updated_at,
    }));
  },
});
