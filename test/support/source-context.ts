/**
 * A real Intercom client and a SourceContext that records what a reader
 * emits, checkpoints and logs, for tests that run one reader against a
 * server on 127.0.0.1.
 */
import { IntercomClient } from '../../src/http/client.js';
import { RequestGovernor } from '../../src/http/governor.js';
import type { JsonObject, LogLevel } from '../../src/protocol/types.js';
import type { SourceContext } from '../../src/engine/source-context.js';

export function testClient(baseUrl: string, options: { maxAttempts?: number; timeoutMs?: number } = {}): IntercomClient {
  return new IntercomClient({
    baseUrl,
    token: 'sim-token',
    apiVersion: '2.16',
    governor: new RequestGovernor(),
    timeoutMs: options.timeoutMs ?? 2000,
    maxAttempts: options.maxAttempts ?? 3,
  });
}

export interface Recorded {
  ctx: SourceContext;
  emitted: JsonObject[];
  checkpoints: number[];
  logs: Array<{ level: LogLevel; message: string }>;
}

export function recordingContext(client: IntercomClient, overrides: Partial<SourceContext> = {}): Recorded {
  const emitted: JsonObject[] = [];
  const checkpoints: number[] = [];
  const logs: Array<{ level: LogLevel; message: string }> = [];
  const ctx: SourceContext = {
    client,
    lowerBound: 0,
    startDate: 0,
    upperBound: Math.floor(Date.now() / 1000) + 1,
    timeZone: 'UTC',
    timeZoneKnown: true,
    previousState: {},
    emit: async (records) => {
      emitted.push(...records);
    },
    endOfList: async () => undefined,
    checkpoint: (cursor) => {
      checkpoints.push(cursor);
    },
    estimate: () => undefined,
    log: (level, message) => {
      logs.push({ level, message });
    },
    ...overrides,
  };
  return { ctx, emitted, checkpoints, logs };
}
