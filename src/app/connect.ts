import type { Config } from '../config/config.js';
import { IntercomClient } from '../http/client.js';
import { RequestGovernor } from '../http/governor.js';
import type { Output } from '../protocol/output.js';

/** The client for a config, with retries reported as LOG lines. */
export function connect(config: Config, output: Output, options: { maxAttempts?: number } = {}): IntercomClient {
  const governor = new RequestGovernor({
    maxConcurrency: config.maxConcurrency,
    ...(config.maxRequestsPerMinute ? { maxRequestsPerMinute: config.maxRequestsPerMinute } : {}),
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
