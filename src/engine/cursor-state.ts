import type { JsonObject } from '../protocol/types.js';
import { toUnixSeconds } from '../util/time.js';

/**
 * The resume point stored in a stream's state, in Unix seconds, or null.
 *
 * Besides this connector's own `{updated_at: N}`, it reads the shapes of
 * Airbyte's official connector: plain and `prior_state` cursors, the legacy
 * substream shape (`{updated_at, conversations: {updated_at}}`), the
 * `parent_state` migration and the CDK's global substream cursor
 * (`{state: {updated_at}, parent_state: {...}}`). When several cursors are
 * present the earliest wins: re-reading is safe, skipping is not.
 */
export function readCursor(state: JsonObject | undefined, key: string): number | null {
  if (!state) return null;
  const found: number[] = [];
  const take = (blob: unknown): void => {
    if (blob === null || typeof blob !== 'object' || Array.isArray(blob)) return;
    const v = toUnixSeconds((blob as JsonObject)[key]);
    if (v !== null) found.push(v);
  };
  take(state);
  take(state.state);
  take(state.prior_state);
  for (const parent of ['conversations', 'companies', 'contacts']) {
    take(state[parent]);
    const parents = state.parent_state;
    if (parents && typeof parents === 'object') take((parents as JsonObject)[parent]);
  }
  return found.length > 0 ? Math.min(...found) : null;
}
