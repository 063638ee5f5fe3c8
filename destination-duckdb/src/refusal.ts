import { DestinationError, InputError, describeError } from './errors.js';
import type { JsonValue } from './protocol.js';
import type { StageFile } from './stage-file.js';
import { refusedFileLine } from './stage-load.js';

/**
 * Turns DuckDB's refusal of a stage file into an error a person can act on:
 * the first line whose record breaks the stream's rules (record-check.ts),
 * named by its input line and field. Where those rules find nothing, the
 * line DuckDB named and DuckDB's own words; where DuckDB names no line
 * either, the failure is not the input's, and says so.
 */
export async function explainRefusal(stream: string, file: StageFile, check: (data: JsonValue) => string | undefined, refusal: unknown): Promise<DestinationError> {
  const duckLine = refusedFileLine(refusal);
  const duckWords = describeError(refusal).split('\n')[0] ?? '';
  let fileLine = 0;
  let duckInputLine: number | undefined;
  for await (const { line, text } of file.read()) {
    fileLine += 1;
    if (fileLine === duckLine) duckInputLine = line;
    let staged: { d?: JsonValue };
    try {
      staged = JSON.parse(text) as { d?: JsonValue };
    } catch (error) {
      return new InputError(line ?? 0, stream, `not a JSON message (${describeError(error)})`);
    }
    const problem = check(staged.d ?? null);
    if (problem !== undefined) return new InputError(line ?? 0, stream, `record does not fit the stream's schema: ${problem}`);
  }
  if (duckInputLine !== undefined) return new InputError(duckInputLine, stream, `record refused: ${duckWords}`);
  return new DestinationError(`loading stream "${stream}" failed: ${duckWords}`, 'system_error', { cause: refusal });
}
