/**
 * The parts of the connector the tools use, from its compiled build at the
 * repository root (`npm run build` compiles the connector before the tools).
 * The one place that knows where that build lives.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NODE_ENVIRONMENT, NODE_FLAGS } from '../../dist/src/bin/node-flags.js';

export type { AirbyteMessage, AirbyteStream, JsonObject } from '../../dist/src/protocol/types.js';
export { Output } from '../../dist/src/protocol/output.js';
export { inWindow, type SearchWindow } from '../../dist/src/engine/search/window.js';
export { contacts } from '../../dist/src/streams/contacts.js';
export {
  attributeFromIntercom,
  CustomAttributeTyper,
  withCustomAttributes,
  type CustomAttribute,
} from '../../dist/src/transform/custom-attributes.js';
export { projectorFor } from '../../dist/src/transform/project.js';
export { compileHashPlans, type HashPlan } from '../../dist/src/transform/hashing.js';
export { parseHashedFields } from '../../dist/src/config/config.js';
export { recordsAt } from '../../dist/src/util/records-path.js';

/** The connector's command-line program, as Airbyte runs it. */
export const CONNECTOR_CLI = fileURLToPath(new URL('../../dist/src/bin/source-intercom.js', import.meta.url));
export { configureCatalog } from '../../dist/src/protocol/catalog.js';

/**
 * Starts one of the project's node programs as the connector's bin starts
 * itself (its shebang): with the same V8 flags and environment, so that what
 * the demo and the bench measure is what a user runs.
 */
export function spawnNode(script: string, args: string[], stdio: StdioOptions): ChildProcess {
  return spawn(process.execPath, [...NODE_FLAGS, script, ...args], { stdio, env: { ...process.env, ...NODE_ENVIRONMENT } });
}
