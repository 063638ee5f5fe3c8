import type { Config } from '../config/config.js';
import type { SourceReaders } from '../engine/readers.js';
import { readList } from '../engine/sources/list.js';
import { readScroll } from '../engine/sources/scroll.js';
import { scanSearch } from '../engine/sources/search.js';
import { readTimeWindows } from '../engine/sources/time-windows.js';

/** A reader per source kind, with the settings each kind takes from the config. */
export function sourceReaders(config: Config): SourceReaders {
  return {
    list: readList,
    search: (source, ctx) => scanSearch(source, ctx),
    scroll: (source, ctx) => readScroll(source, ctx, { fullResyncDays: config.companiesFullResyncDays }),
    'time-windows': (source, ctx) => readTimeWindows(source, ctx, config.activityLogsStepDays),
  };
}

/** Source records between checkpoints; SOURCE_INTERCOM_CHECKPOINT_RECORDS overrides it (the tests use small values). */
export function checkpointEvery(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.SOURCE_INTERCOM_CHECKPOINT_RECORDS) || 1000;
}
