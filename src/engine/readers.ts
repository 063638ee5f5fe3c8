import type { Source } from './definition.js';
import type { SourceContext } from './source-context.js';

/** Reads one kind of source; settings a kind needs are bound in before the sync starts. */
export type SourceReader<S extends Source> = (source: S, ctx: SourceContext) => Promise<void>;

/** One reader for every kind of source. */
export type SourceReaders = { [K in Source['kind']]: SourceReader<Extract<Source, { kind: K }>> };

/** The reader for one source, ready to run. */
export function readerFor(readers: SourceReaders, source: Source): (ctx: SourceContext) => Promise<void> {
  const read = readers[source.kind] as SourceReader<Source>;
  return (ctx) => read(source, ctx);
}
