import type { Config } from '../config/config.js';
import { IntercomClient } from '../http/client.js';
import { RequestGovernor } from '../http/governor.js';
import type { Output } from '../protocol/output.js';

/** The client for a config, with retries reported as LOG lines. */
export function connect(config: Config, output: Output, options: { maxAttempts?: number } = {}): IntercomClient {
  const governor = new RequestGovernor({
    maxConcurrency: config.maxConcurrency,
    ...(config.maxRequestsPerMinute ? { maxRequestsPerMinute: config.maxRequestsPerMinute } : {}),
    onLongPause: ({ requestedMs, pauseMs, maxClosedMs }) =>
      output.log(
        'WARN',
        `Intercom's rate limit asks to wait ${describeWait(requestedMs)}; pausing ${Math.round(pauseMs / 1000)} s at a time instead, and failing the sync if the API stays closed for more than ${Math.round(maxClosedMs / 60_000)} min.`,
      ),
  });
  return new IntercomClient({
    baseUrl: config.baseUrl,
    token: config.accessToken,
    apiVersion: config.apiVersion,
    governor,
    timeoutMs: config.requestTimeoutMs,
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    onRetry: ({ route, attempt, reason, delayMs }) =>
      output.log('INFO', `Retrying ${route} (attempt ${attempt + 1}) after ${reason}${delayMs ? `, in ${(delayMs / 1000).toFixed(1)} s` : ''}.`),
  });
}

function describeWait(ms: number): string {
  if (!Number.isFinite(ms) || ms > 365 * 86_400_000 * 100) return 'practically for ever';
  if (ms >= 86_400_000) return `${Math.round(ms / 86_400_000)} days`;
  return `${Math.round(ms / 60_000)} min`;
}
