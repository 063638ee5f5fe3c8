import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, statSync } from 'node:fs';
import { LogCorruptError } from '../errors.js';
import { decodeEntry } from './entry.js';
import { fsyncDir, listSegments, segmentPath } from './segments.js';

/** Where one durable entry lives, and what the read API and deduplication need without reading it. */
export interface IndexEntry {
  seq: number;
  appId: string;
  key: string;
  segment: SegmentInfo;
  offset: number;
  length: number;
}

export interface SegmentInfo {
  name: string;
  firstSeq: number;
  size: number;
  count: number;
  lastSeq: number;
  /** received_at of its oldest and newest entries, in ms; NaN when empty. */
  oldestReceivedMs: number;
  newestReceivedMs: number;
}

export interface RecoveredLog {
  segments: SegmentInfo[];
  entries: IndexEntry[];
  /** The next sequence number to assign: above every entry and every segment name. */
  nextSeq: number;
}

export function dedupKey(appId: string, id: string): string {
  return `${appId}\u0000${id}`;
}

interface BadSpot {
  segment: SegmentInfo;
  offset: number;
  reason: string;
}

/**
 * Reads every segment, verifying each entry's checksum and that sequence numbers
 * strictly increase. Damage that reaches the end of the log (nothing valid after
 * it) is a torn tail from a crash: it is cut, and the cut is logged. Damage with
 * valid entries after it is corruption, and start-up stops rather than lose them.
 */
export function recoverLog(dir: string, log: (line: string) => void): RecoveredLog {
  const segments: SegmentInfo[] = [];
  const entries: IndexEntry[] = [];
  const seen = new Set<string>();
  let lastSeq = 0;
  let nextSeq = 1;
  let bad: BadSpot | null = null;

  for (const file of listSegments(dir)) {
    const segment: SegmentInfo = {
      name: file.name,
      firstSeq: file.firstSeq,
      size: 0,
      count: 0,
      lastSeq: 0,
      oldestReceivedMs: Number.NaN,
      newestReceivedMs: Number.NaN,
    };
    segments.push(segment);
    nextSeq = Math.max(nextSeq, file.firstSeq);
    const bytes = readFileSync(segmentPath(dir, file.name));
    let offset = 0;
    while (offset < bytes.length) {
      const newline = bytes.indexOf(0x0a, offset);
      const end = newline === -1 ? bytes.length : newline;
      const decoded = newline === -1 ? null : decodeEntry(bytes.toString('utf8', offset, end));
      let reason: string | null = null;
      if (newline === -1) reason = 'an unterminated entry';
      else if (decoded === null) reason = 'an entry whose checksum or shape does not verify';
      else if (decoded.event.seq <= lastSeq) reason = `sequence ${decoded.event.seq} not above ${lastSeq}`;
      if (reason !== null || decoded === null) {
        bad ??= { segment, offset, reason: reason ?? 'an unreadable entry' };
        offset = end + 1;
        continue;
      }
      if (bad !== null) {
        throw new LogCorruptError(
          `the event log is corrupt: ${bad.segment.name} has ${bad.reason} at byte ${bad.offset}, ` +
            `followed by valid entries (next valid: seq ${decoded.event.seq} in ${segment.name}); ` +
            'start-up stops so no stored event is lost. Restore the segment from a backup or move it aside.',
        );
      }
      const event = decoded.event;
      const key = dedupKey(event.app_id, event.id);
      const receivedMs = Date.parse(event.received_at);
      lastSeq = event.seq;
      nextSeq = Math.max(nextSeq, event.seq + 1);
      segment.size = end + 1;
      if (!seen.has(key)) {
        seen.add(key);
        entries.push({ seq: event.seq, appId: event.app_id, key, segment, offset, length: end - offset });
      } else {
        log(`recovery: ${segment.name} seq ${event.seq} repeats notification ${event.id}; kept the first copy only`);
      }
      segment.count += 1;
      segment.lastSeq = event.seq;
      if (Number.isNaN(segment.oldestReceivedMs)) segment.oldestReceivedMs = receivedMs;
      segment.newestReceivedMs = receivedMs;
      offset = end + 1;
    }
    if (bad === null) segment.size = bytes.length;
  }

  if (bad !== null) cutTornTail(dir, segments, bad, log);
  return { segments, entries, nextSeq };
}

function cutTornTail(dir: string, segments: SegmentInfo[], bad: BadSpot, log: (line: string) => void): void {
  const from = segments.indexOf(bad.segment);
  for (const segment of segments.slice(from)) {
    const cutAt = segment === bad.segment ? bad.offset : 0;
    const path = segmentPath(dir, segment.name);
    const fileSize = statSync(path).size;
    if (fileSize === cutAt) continue;
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, cutAt);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    segment.size = cutAt;
    log(
      `recovery: cut a torn tail of ${fileSize - cutAt} bytes from ${segment.name} at byte ${cutAt} ` +
        `(${segment === bad.segment ? bad.reason : 'bytes after the torn entry'}); the valid prefix is kept`,
    );
  }
  fsyncDir(dir);
}
