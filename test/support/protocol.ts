/**
 * Validates connector output against the official Airbyte protocol schema
 * (vendor/airbyte-protocol/airbyte_protocol.yaml). Every helper
 * that runs the connector passes each message through here, so every
 * message the test suite sees is checked.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ValidateFunction } from 'ajv';
import { createAjv } from '../../src/util/ajv.js';
import { vendorFile } from './vendor.js';

const PROTOCOL_ID = 'https://airbyte.local/airbyte_protocol.yaml';
let validateMessage: ValidateFunction | undefined;
let validateCatalog: ValidateFunction | undefined;

/** Messages validated so far in this test process, by type. */
export const validatedTypes = new Map<string, number>();

function load(): void {
  if (validateMessage) return;
  const doc = parseYaml(readFileSync(vendorFile('airbyte-protocol', 'airbyte_protocol.yaml'), 'utf8')) as Record<string, unknown>;
  const ajv = createAjv();
  ajv.addSchema({ ...doc, $id: PROTOCOL_ID });
  validateMessage = ajv.getSchema(`${PROTOCOL_ID}#/definitions/AirbyteMessage`)!;
  validateCatalog = ajv.getSchema(`${PROTOCOL_ID}#/definitions/ConfiguredAirbyteCatalog`)!;
}

/** Problems with one message, or an empty string. */
export function protocolErrors(message: unknown): string {
  load();
  if (validateMessage!(message)) {
    const type = (message as { type: string }).type;
    validatedTypes.set(type, (validatedTypes.get(type) ?? 0) + 1);
    return '';
  }
  return JSON.stringify(validateMessage!.errors);
}

export function catalogErrors(catalog: unknown): string {
  load();
  return validateCatalog!(catalog) ? '' : JSON.stringify(validateCatalog!.errors);
}
