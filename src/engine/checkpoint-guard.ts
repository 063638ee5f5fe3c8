import { SystemError } from '../protocol/errors.js';

/**
 * Holds the checkpoint contract: within a sync, a stream's saved cursor never
 * moves backwards. A regression would make the next sync skip what this one
 * claimed, so it stops the stream with an error instead of being written.
 */
export class CheckpointGuard {
  private readonly last = new Map<string, number>();

  /** `field` names a second cursor of the stream's state (a delete feed's), guarded the same way. */
  accept(stream: string, cursor: number, field?: string): void {
    const slot = field ? `${stream}\u0000${field}` : stream;
    const previous = this.last.get(slot);
    if (previous !== undefined && cursor < previous) {
      throw new SystemError(
        `Stream '${stream}': a checkpoint${field ? ` of '${field}'` : ''} moved backwards within the sync (from ${previous} to ${cursor}); the state was not written. This is a bug in the connector; please report it.`,
      );
    }
    this.last.set(slot, cursor);
  }
}
