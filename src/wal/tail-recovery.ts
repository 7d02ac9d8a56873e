/**
 * Writer start-up: find where the log really ends and cut what a crash left behind.
 *
 * Only the newest segment can have a torn tail (older ones were fsynced before the next
 * was created). Its records are checked from the header on; at the first record that
 * is not intact (cut short, implausible length, wrong seq, CRC mismatch, zero fill) the
 * rest of the file is searched for any later intact record:
 *   - none, or only within `tornWindowBytes` of the damage → a torn tail: the last
 *     write batch was in flight, and pages of one unsynced write may reach the disk out
 *     of order. Nothing there was ever acknowledged durable, so it is truncated.
 *   - an intact record further on → corruption of data that may have been durable:
 *     WAL_CORRUPT naming file and offset, and the writer refuses to start (cutting
 *     would lose acknowledged records and hand their seqs out again).
 * A newest segment whose header is not intact was being created when the crash came
 * (header and first records are synced together), so it is removed if it is small.
 */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, unlinkSync } from 'node:fs';
import { SegmentCursor } from './segment-cursor.js';
import { decodeSegmentHeader, fsyncDir, listSegments } from './segment-files.js';
import { ioError, WalError, WalErrorCode } from './errors.js';
import { RECORD_CHECK_REASON, RecordCheck, SegmentHeaderLayout } from './record-format.js';

export interface WalLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface TailCut {
  file: string;
  offset: number;
  bytes: number;
  reason: string;
}

export interface TailRecovery {
  /** The newest segment after recovery, to append to; null when the directory holds none. */
  segment: { path: string; baseSeq: number; size: number } | null;
  /** Seq of the last intact record (initialSeq - 1 when there is none). */
  lastSeq: number;
  nextSeq: number;
  /** Torn tails truncated and segments with a torn header removed. */
  cuts: TailCut[];
}

export interface TailRecoveryOptions {
  dir: string;
  initialSeq: number;
  tornWindowBytes: number;
  logger?: WalLogger | undefined;
}

function fileSize(path: string): number {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    return fstatSync(fd).size;
  } catch (err) {
    throw ioError(`stat of ${path}`, err, path);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Truncates `path` to `size` (or only syncs it) and fdatasyncs it. */
function truncateAndSync(path: string, size: number | null): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r+');
    if (size !== null) ftruncateSync(fd, size);
    fdatasyncSync(fd);
  } catch (err) {
    throw ioError(size !== null ? `truncating ${path} to ${size} bytes` : `fdatasync of ${path}`, err, path);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function recoverTail(opts: TailRecoveryOptions): TailRecovery {
  const { dir, tornWindowBytes, logger } = opts;
  const segments = listSegments(dir);
  const cuts: TailCut[] = [];
  while (segments.length > 0) {
    const seg = segments[segments.length - 1]!;
    const size = fileSize(seg.path);
    const cursor = new SegmentCursor(seg.path);
    try {
      const got = cursor.fetch(0, SegmentHeaderLayout.SIZE);
      const header = decodeSegmentHeader(cursor.bytes, got);
      if (!header.ok) {
        if (size > SegmentHeaderLayout.SIZE + tornWindowBytes) {
          throw new WalError(
            WalErrorCode.CORRUPT,
            `wal: segment ${seg.path} has a bad header (${header.reason}) but holds ${size} bytes: not a torn creation, refusing to remove it`,
            { file: seg.path, offset: 0 },
          );
        }
        cursor.close();
        try {
          unlinkSync(seg.path);
        } catch (err) {
          throw ioError(`removing torn segment ${seg.path}`, err, seg.path);
        }
        fsyncDir(dir);
        const cut = { file: seg.path, offset: 0, bytes: size, reason: `segment header: ${header.reason}` };
        cuts.push(cut);
        logger?.warn({ ...cut }, 'wal: removed a segment whose creation was torn by a crash');
        segments.pop();
        continue;
      }
      if (header.baseSeq !== seg.baseSeq) {
        throw new WalError(
          WalErrorCode.CORRUPT,
          `wal: segment ${seg.path} header says base seq ${header.baseSeq}, its name says ${seg.baseSeq}`,
          { file: seg.path, offset: SegmentHeaderLayout.BASE_SEQ },
        );
      }
      let off: number = SegmentHeaderLayout.SIZE;
      let expected = seg.baseSeq;
      let r: RecordCheck;
      while ((r = cursor.check(off, expected)) === RecordCheck.OK) {
        off += cursor.size;
        expected++;
      }
      if (r !== RecordCheck.END) {
        // Intact records within the window may be pages of the torn batch that landed
        // out of order; one beyond it was written before the damage was.
        const intactAt = cursor.findIntactAfter(off + Math.max(8, tornWindowBytes), expected - 1);
        if (intactAt >= 0) {
          throw new WalError(
            WalErrorCode.CORRUPT,
            `wal: ${seg.path} offset ${off}: ${RECORD_CHECK_REASON[r]} where seq ${expected} should be, ` +
              `yet an intact record follows at offset ${intactAt}: corruption, not a torn tail`,
            { file: seg.path, offset: off, seq: expected },
          );
        }
        cursor.close();
        truncateAndSync(seg.path, off);
        const cut = { file: seg.path, offset: off, bytes: size - off, reason: RECORD_CHECK_REASON[r] };
        cuts.push(cut);
        logger?.warn({ ...cut, lastSeq: expected - 1 }, 'wal: truncated a torn tail');
      } else {
        cursor.close();
        // Records the previous run wrote without fsync ('none') become durable now.
        truncateAndSync(seg.path, null);
      }
      fsyncDir(dir);
      return { segment: { path: seg.path, baseSeq: seg.baseSeq, size: off }, lastSeq: expected - 1, nextSeq: expected, cuts };
    } finally {
      cursor.close();
    }
  }
  return { segment: null, lastSeq: opts.initialSeq - 1, nextSeq: opts.initialSeq, cuts };
}
