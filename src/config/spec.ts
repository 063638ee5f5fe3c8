import spec from '../../spec.json' with { type: 'json' };
import type { JsonObject } from '../protocol/types.js';

/** The connector specification (spec.json), as `spec` prints it. */
export const connectorSpec: JsonObject = spec;

/** The JSON Schema every config must satisfy. */
export const connectionSpecification: JsonObject = spec.connectionSpecification;
