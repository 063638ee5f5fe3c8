/** Values fitted to their declared schema where nothing is lost, and reported otherwise. */
import t from 'tap';
import { conformerFor } from '../../src/transform/conform.js';

const schema = {
  type: 'object',
  properties: {
    id: { type: ['string', 'null'] },
    updated_at: { type: ['integer', 'null'] },
    score: { type: ['number', 'null'] },
    open: { type: ['boolean', 'null'] },
    tags: { type: ['array', 'null'], items: { type: 'object', properties: { id: { type: 'string' }, applied_at: { type: 'integer' } } } },
    source: { type: ['object', 'null'], properties: { author: { type: 'object', properties: { id: { type: 'string' } } } } },
    free: {},
  },
};

t.test('lossless conversions', async (t) => {
  const reports: string[] = [];
  const conform = conformerFor(schema, (path) => reports.push(path));
  const record = { id: 42, updated_at: '2024-05-01T10:00:00Z', score: '1.5', open: 'true', tags: [{ id: 7, applied_at: '1714557600' }], source: { author: { id: 991 } }, free: 3, extra: 1 };
  t.same(conform(record), {
    id: '42',
    updated_at: 1714557600,
    score: 1.5,
    open: true,
    tags: [{ id: '7', applied_at: 1714557600 }],
    source: { author: { id: '991' } },
    free: 3,
    extra: 1,
  });
  t.same(reports, []);
  const fitting = { id: 'a', updated_at: 1, score: 2, open: false, tags: [], source: null };
  t.equal(conform(fitting), fitting, 'a record that fits is returned as it is');
});

t.test('what cannot be converted without loss passes through and is reported', async (t) => {
  const reports: string[] = [];
  const conform = conformerFor(schema, (path) => reports.push(path));
  const record = { updated_at: '2024-05-01T10:00:00.250Z', score: 'high', open: 'yes', tags: [{ applied_at: 'soon' }], id: { nested: true } };
  t.same(conform(record), record);
  t.same(reports.sort(), ['id', 'open', 'score', 'tags[].applied_at', 'updated_at']);
});
