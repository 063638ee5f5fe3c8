import { Ajv, type Options } from 'ajv';
import formatsPlugin from 'ajv-formats';

// ajv-formats is CommonJS: under ESM its plugin function may arrive wrapped in `default`.
const addFormats = ((formatsPlugin as unknown as { default?: unknown }).default ?? formatsPlugin) as (ajv: Ajv) => Ajv;

/** An Ajv instance with the standard formats (date-time, uri, uuid, ...). */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, ...options });
  addFormats(ajv);
  return ajv;
}
