import { defineStream, type ScrollSource } from '../engine/definition.js';
import { extendSchema } from '../schemas/index.js';
import { recordsAt } from '../util/records-path.js';
import { idsOf, linkStream } from './links.js';

/** The scroll API: the only way to list more than 10,000 companies. One scroll per app at a time. */
const companyScroll: ScrollSource = { kind: 'scroll', name: 'companies', path: '/companies/scroll', recordsPath: '$.data[*]', cursorField: 'updated_at' };

export const companies = defineStream({
  name: 'companies',
  source: companyScroll,
  primaryKey: ['id'],
  history: 'versioned',
  deletes: ['webhook-relay'],
  schema: extendSchema('company', {}),
  customAttributes: 'company',
});

const companyParent = { stream: 'companies', column: 'company' };

export const companyTags = linkStream({
  name: 'company_tags',
  source: companyScroll,
  parent: companyParent,
  child: 'tag',
  ids: (company) => idsOf(recordsAt(company.tags, '$.tags[*]')),
});

/** One call per changed company, made only when this stream is selected. */
export const companySegments = linkStream({
  name: 'company_segments',
  source: companyScroll,
  parent: companyParent,
  child: 'segment',
  ids: async (company, ctx) => {
    const id = String(company.id);
    return idsOf(recordsAt(await ctx.fetchChild(`/companies/${encodeURIComponent(id)}/segments`, `company ${id}`), '$.data[*]'));
  },
});
