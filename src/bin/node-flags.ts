/**
 * The V8 flags the connector runs with, wherever it starts: the bin's shebang
 * and the Dockerfile's ENTRYPOINT carry the same (a test checks they agree),
 * and the benchmark starts the CLI with them. A sync allocates many
 * short-lived objects (pages, records, messages); a small young generation
 * collects them sooner and keeps peak memory flat at no measured cost in speed.
 */
export const NODE_FLAGS = ['--max-semi-space-size=4'];

/**
 * The environment the connector's process starts with: the bin's shebang sets
 * it through `env -S`, and the Dockerfile through ENV (a test checks both).
 * glibc reads it only at process start, so it cannot be set from inside.
 *
 * A fixed mmap threshold: glibc otherwise raises the threshold to the size of
 * each large block freed (up to 32 MB), and from then on keeps such blocks in
 * its heap, resident after they are freed. A 500,000-contact `sync` peaked at
 * 311–318 MB with it against 334–338 MB without (interleaved runs), and a
 * 20,000-contact `read` or `sync` took as long.
 */
export const NODE_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };
