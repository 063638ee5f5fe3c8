import { totalmem } from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DestinationError, describeError } from './errors.js';
import type { LogLevel } from './protocol.js';

/**
 * DuckDB's memory ceiling for a write. It starts low, so memory stays flat for
 * ordinary streams (DuckDB spills to disk beyond it), and doubles when a
 * statement runs out of memory: a stream with hundreds of columns (custom
 * attributes flattened) needs several times more to load and merge. The
 * ceiling stops at half of the machine's memory (or its container's).
 */

/** The starting ceiling: it holds a 16 MB stage file of contacts (DuckDB's JSON reader needs about 90 MB for one). */
export const START_MEMORY_MB = 128;

/** The memory this process may use: the machine's, or its container's (cgroup) limit when lower. */
function usableMemoryMb(): number {
  const machine = totalmem();
  const container = process.constrainedMemory();
  const usable = container > 0 && container < machine ? container : machine;
  return Math.floor(usable / (1 << 20));
}

function isOutOfMemory(error: unknown): boolean {
  return /\bOut of Memory Error\b/.test(describeError(error));
}

export class MemoryCeiling {
  private mb = START_MEMORY_MB;
  readonly maxMb: number;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly log: (level: LogLevel, message: string) => void,
    maxMb = Math.floor(usableMemoryMb() / 2),
  ) {
    this.maxMb = Math.max(START_MEMORY_MB, maxMb);
  }

  get limitMb(): number {
    return this.mb;
  }

  /**
   * Runs `attempt`; when DuckDB runs out of memory, calls `undo` (which must
   * leave things as they were before the attempt), raises the ceiling and
   * tries again. `what` names the work in the messages.
   */
  async run<T>(what: string, attempt: () => Promise<T>, undo: () => Promise<void> = async () => undefined): Promise<T> {
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (!isOutOfMemory(error)) throw error;
        await undo();
        if (this.mb >= this.maxMb) {
          throw new DestinationError(
            `${what}: DuckDB ran out of memory even at ${this.mb} MB, half of this machine's memory. ` +
              'Give the machine more memory, or leave out the widest streams or columns (custom attributes flattened into columns need the most).',
            'system_error',
            { cause: error },
          );
        }
        const before = this.mb;
        this.mb = Math.min(this.maxMb, this.mb * 2);
        await this.connection.run(`SET memory_limit = '${this.mb}MB'`);
        this.log('WARN', `${what} needed more than ${before} MB: DuckDB's memory_limit is now ${this.mb} MB for the rest of this write`);
      }
    }
  }
}
