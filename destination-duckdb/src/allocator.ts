/**
 * DuckDB's bundled allocator (jemalloc) keeps the pages DuckDB frees for a
 * while before it returns them to the system. In a sync that retention made
 * 50 to 100 MB of the peak RSS. Returning them at once costs a few percent of
 * a load's time. jemalloc reads this variable once, when the native library
 * loads, so this module is imported before @duckdb/node-api. A value the user
 * set wins.
 */
process.env.DUCKDB_JE_MALLOC_CONF ??= 'dirty_decay_ms:0,muzzy_decay_ms:0';
