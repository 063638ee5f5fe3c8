import type { Config } from '../config/config.js';
import type { IntercomClient } from '../http/client.js';
import { NotFoundError, PermissionError } from '../http/errors.js';
import { fetchWorkspace } from '../engine/workspace.js';
import { relayClient } from './readers.js';

/** Calls that need the permissions without which most streams cannot run. */
const REQUIRED_PROBES = ['/admins', '/contacts?per_page=1', '/conversations?per_page=1'];

/** Streams that can run without their permission: they alone end INCOMPLETE. */
const OPTIONAL_PROBES: Array<[string, string]> = [
  ['/ticket_types', 'tickets'],
  ['/help_center/help_centers', 'help center and articles'],
  [`/admins/activity_logs?created_at_after=${Math.floor(Date.now() / 1000) - 60}`, 'activity logs'],
];

/**
 * GET /me proves the token; a few cheap reads prove the permissions the
 * streams need. Resolves with a success message or throws a typed error
 * whose message says what to fix.
 */
export async function checkConnection(client: IntercomClient, config: Config): Promise<string> {
  const workspace = await fetchWorkspace(client);
  for (const path of REQUIRED_PROBES) await client.get(path);
  const missing: string[] = [];
  const unanswered: string[] = [];
  for (const [path, streams] of OPTIONAL_PROBES) {
    try {
      await client.get(path);
    } catch (err) {
      if (err instanceof PermissionError) missing.push(`${streams} (needs '${err.scope ?? 'a permission'}')`);
      // A proxy or an older API version may not route every endpoint: only those streams are affected.
      else if (err instanceof NotFoundError) unanswered.push(`${streams} (${err.route} answered ${err.status})`);
      else throw err;
    }
  }
  // The relay's read API with the token: its errors name the URL or the token.
  if (config.webhookRelay) await relayClient(config).events(Number.MAX_SAFE_INTEGER, 1);
  const host = new URL(config.baseUrl).host;
  return (
    `Connected to Intercom workspace "${workspace.name}" (${workspace.idCode}, region ${workspace.region.toUpperCase()}, ` +
    `time zone ${workspace.timeZone}) at ${host} with API ${config.apiVersion}.` +
    (missing.length ? ` Without permission, these streams will end INCOMPLETE: ${missing.join('; ')}.` : '') +
    (config.webhookRelay ? ` The webhook relay at ${config.webhookRelay.url} accepted the token.` : '') +
    (unanswered.length ? ` Warning: the API did not answer for ${unanswered.join('; ')}; those streams may end INCOMPLETE.` : '')
  );
}
