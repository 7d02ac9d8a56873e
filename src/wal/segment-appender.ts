/**
 * The file side of the flusher: appends ring bytes to the current segment with
 * positioned writes, fdatasyncs it, and rolls to a new segment. fdatasync suffices: it
 * also flushes the file size, the only metadata needed to read appended data back.
 * A new segment's directory entry is made durable (directory fsync) before any record
 * in it can be reported durable.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ioError, WalError, WalErrorCode } from './errors.js';
import { SegmentHeaderLayout } from './record-format.js';
import { encodeSegmentHeader, fsyncDir, segmentFileName } from './segment-files.js';
import type { WalStats } from './wal-stats.js';

export interface OpenSegment {
  path: string;
  baseSeq: number;
  size: number;
}

export class SegmentAppender {
  private fd = -1;
  private path = '';
  private offset = 0;
  private readonly header = new Uint8Array(SegmentHeaderLayout.SIZE);

  constructor(
    private readonly dir: string,
    current: OpenSegment | null,
    /** false for fsync 'none': nothing is ever synced. */
    private readonly syncing: boolean,
    private readonly stats: WalStats,
  ) {
    if (current !== null) {
      try {
        this.fd = openSync(current.path, 'r+');
      } catch (err) {
        throw ioError(`opening segment ${current.path}`, err, current.path);
      }
      this.path = current.path;
      this.offset = current.size;
    }
  }

  get currentPath(): string {
    return this.path;
  }

  write(bytes: Uint8Array, start: number, length: number): void {
    if (this.fd < 0) throw new WalError(WalErrorCode.IO, 'wal: no open segment to write to (missing roll)');
    let done = 0;
    try {
      while (done < length) {
        done += writeSync(this.fd, bytes, start + done, length - done, this.offset + done);
      }
    } catch (err) {
      throw ioError(`writing ${length} bytes to ${this.path} at offset ${this.offset + done}`, err, this.path);
    }
    this.offset += length;
  }

  sync(): void {
    if (this.fd < 0 || !this.syncing) return;
    const t0 = performance.now();
    try {
      fdatasyncSync(this.fd);
    } catch (err) {
      throw ioError(`fdatasync of ${this.path}`, err, this.path);
    }
    this.stats.countFsync(Math.round((performance.now() - t0) * 1e6));
  }

  /** Seals the current segment (synced) and creates the one starting at `baseSeq`. */
  roll(baseSeq: number): void {
    this.closeCurrent();
    const path = join(this.dir, segmentFileName(baseSeq));
    try {
      this.fd = openSync(path, 'wx');
    } catch (err) {
      throw ioError(`creating segment ${path}`, err, path);
    }
    this.path = path;
    this.offset = 0;
    encodeSegmentHeader(this.header, baseSeq, Date.now());
    this.write(this.header, 0, this.header.length);
    if (this.syncing) fsyncDir(this.dir);
    this.stats.countSegmentCreated();
  }

  /** Syncs (unless 'none') and closes the current segment. */
  closeCurrent(): void {
    if (this.fd < 0) return;
    this.sync();
    const fd = this.fd;
    this.fd = -1;
    try {
      closeSync(fd);
    } catch (err) {
      throw ioError(`closing ${this.path}`, err, this.path);
    }
  }

  /** Final close: always synced, even under 'none' (a clean shutdown leaves nothing in flight). */
  close(): void {
    if (this.fd < 0) return;
    try {
      fdatasyncSync(this.fd);
    } catch (err) {
      throw ioError(`fdatasync of ${this.path}`, err, this.path);
    }
    const fd = this.fd;
    this.fd = -1;
    closeSync(fd);
  }

  /** After a failure: release the descriptor without syncing, ignoring errors. */
  abandon(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      closeSync(fd);
    } catch {
      // the writer is already failed; nothing more to report
    }
  }
}
