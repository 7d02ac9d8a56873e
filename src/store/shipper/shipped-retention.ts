/**
 * Retention run by the shipper: a segment goes only when every record in it is in
 * PostgreSQL (committed, with the position) and it was last written more than
 * `retentionMs` ago. Oldest first and stopping at the first one that must stay, so the
 * kept WAL is always one contiguous run; the newest segment is never a candidate
 * (segmentsShippedThrough only offers segments with a successor).
 */
import { statSync, unlinkSync } from 'node:fs';
import { segmentsShippedThrough } from '../../wal/retention.js';
import { fsyncDir, type SegmentInfo } from '../../wal/segment-files.js';

export function deleteShippedSegmentsOlderThan(dir: string, shippedThroughSeq: number, retentionMs: number, nowMs: number): SegmentInfo[] {
  const deleted: SegmentInfo[] = [];
  for (const s of segmentsShippedThrough(dir, shippedThroughSeq)) {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(s.path).mtimeMs;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    if (nowMs - mtimeMs < retentionMs) break;
    unlinkSync(s.path);
    deleted.push(s);
  }
  if (deleted.length > 0) fsyncDir(dir);
  return deleted;
}
