/**
 * Retention: once the shipper has stored every record through `shippedThroughSeq`, the
 * segments holding only such records can go. A segment's last seq is the next
 * segment's base minus one, so only segments with a successor qualify; the newest
 * segment is always kept (the writer recovers its seq from it).
 */
import { unlinkSync } from 'node:fs';
import { ioError } from './errors.js';
import { fsyncDir, listSegments, type SegmentInfo } from './segment-files.js';

/** Segments whose records are all ≤ shippedThroughSeq, oldest first. */
export function segmentsShippedThrough(dir: string, shippedThroughSeq: number): SegmentInfo[] {
  const segs = listSegments(dir);
  const out: SegmentInfo[] = [];
  for (let i = 0; i + 1 < segs.length; i++) {
    if (segs[i + 1]!.baseSeq - 1 <= shippedThroughSeq) out.push(segs[i]!);
    else break;
  }
  return out;
}

/** Deletes those segments (oldest first, then one directory fsync); returns them. */
export function deleteSegmentsShippedThrough(dir: string, shippedThroughSeq: number): SegmentInfo[] {
  const doomed = segmentsShippedThrough(dir, shippedThroughSeq);
  for (const s of doomed) {
    try {
      unlinkSync(s.path);
    } catch (err) {
      throw ioError(`deleting shipped segment ${s.path}`, err, s.path);
    }
  }
  if (doomed.length > 0) fsyncDir(dir);
  return doomed;
}
