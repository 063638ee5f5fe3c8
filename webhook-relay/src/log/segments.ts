import { closeSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Segment files are named by the sequence number their first entry has (or will have). */
const SEGMENT_PATTERN = /^events-(\d{16})\.log$/;

export function segmentFileName(firstSeq: number): string {
  return `events-${String(firstSeq).padStart(16, '0')}.log`;
}

/** The segment files in the directory, oldest first, with the first sequence each names. */
export function listSegments(dir: string): { name: string; firstSeq: number }[] {
  return readdirSync(dir)
    .map((name) => ({ name, match: SEGMENT_PATTERN.exec(name) }))
    .filter((s): s is { name: string; match: RegExpExecArray } => s.match !== null)
    .map((s) => ({ name: s.name, firstSeq: Number(s.match[1]) }))
    .sort((a, b) => a.firstSeq - b.firstSeq);
}

/** Makes a file creation, deletion or truncation in the directory durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function segmentPath(dir: string, name: string): string {
  return join(dir, name);
}
