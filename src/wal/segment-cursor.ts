/**
 * Reads one segment file through a reusable buffer and checks records in place.
 * Shared by tail recovery (writer open) and WalReader, so both judge a record by
 * exactly the same rules. Every read is a positioned readSync: the file may be growing
 * under us (a live segment), and a later call with `fresh` re-reads instead of trusting
 * what the buffer saw.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { crc32cRange } from './crc32c.js';
import { ioError } from './errors.js';
import { MAX_PAYLOAD_BYTES, RecordCheck, RecordLayout as R, readU64, recordBytes } from './record-format.js';

const DEFAULT_BUFFER_BYTES = 1 << 20;
const TWO32 = 4294967296;

export class SegmentCursor {
  readonly path: string;
  private fd: number;
  private buf: Uint8Array;
  private view: DataView;
  /** File offset of buf[0] and how many bytes of the file the buffer holds. */
  private bufStart = 0;
  private bufLen = 0;

  /** After an OK check: the record's bytes (padded), payload length, seq and index in `bytes`. */
  size = 0;
  payloadLength = 0;
  seq = 0;
  index = 0;

  constructor(path: string, bufferBytes = DEFAULT_BUFFER_BYTES) {
    this.path = path;
    try {
      this.fd = openSync(path, 'r');
    } catch (err) {
      throw ioError(`opening ${path}`, err, path);
    }
    this.buf = new Uint8Array(bufferBytes);
    this.view = new DataView(this.buf.buffer);
  }

  /** The buffer records are checked in; valid until the next call on this cursor. */
  get bytes(): Uint8Array {
    return this.buf;
  }

  get dataView(): DataView {
    return this.view;
  }

  /**
   * Makes the file's bytes from `offset` available in the buffer, at least `need` of them
   * if the file has them; returns how many bytes from `offset` the buffer now holds.
   */
  fetch(offset: number, need: number, fresh = false): number {
    const end = this.bufStart + this.bufLen;
    if (!fresh && offset >= this.bufStart && offset + need <= end) return end - offset;
    if (need > this.buf.length) {
      let n = this.buf.length;
      while (n < need) n *= 2;
      this.buf = new Uint8Array(n);
      this.view = new DataView(this.buf.buffer);
    }
    let got = 0;
    try {
      while (got < this.buf.length) {
        const r = readSync(this.fd, this.buf, got, this.buf.length - got, offset + got);
        if (r === 0) break;
        got += r;
      }
    } catch (err) {
      throw ioError(`reading ${this.path} at offset ${offset}`, err, this.path);
    }
    this.bufStart = offset;
    this.bufLen = got;
    return got;
  }

  /**
   * Checks the record at file `offset`, which must carry `expectedSeq`. On OK the fields
   * size/payloadLength/seq/index describe it (index: where it starts in `bytes`).
   */
  check(offset: number, expectedSeq: number, fresh = false): RecordCheck {
    let avail = this.fetch(offset, R.HEADER_BYTES, fresh);
    if (avail === 0) return RecordCheck.END;
    if (avail < R.HEADER_BYTES) return RecordCheck.SHORT;
    let i = offset - this.bufStart;
    const len = this.view.getUint32(i + R.LEN, true);
    if (len > MAX_PAYLOAD_BYTES) return RecordCheck.BAD_LENGTH;
    const size = recordBytes(len);
    if (avail < size) {
      avail = this.fetch(offset, size);
      if (avail < size) return RecordCheck.SHORT;
      i = offset - this.bufStart;
    }
    const seq = readU64(this.view, i + R.SEQ);
    if (seq !== expectedSeq) return RecordCheck.BAD_SEQ;
    const crc = crc32cRange(this.buf, i + R.SEQ, i + R.HEADER_BYTES + len, 0);
    if (crc !== this.view.getUint32(i + R.CRC, true)) return RecordCheck.BAD_CRC;
    this.size = size;
    this.payloadLength = len;
    this.seq = seq;
    this.index = i;
    return RecordCheck.OK;
  }

  /**
   * First 8-aligned offset at or after `from` holding a CRC-valid record whose seq is
   * above `afterSeq`, or -1. Tells a torn tail (nothing intact follows the damage) from
   * corruption with intact records behind it.
   */
  findIntactAfter(from: number, afterSeq: number): number {
    let off = (from + 7) & ~7;
    for (;;) {
      const avail = this.fetch(off, R.HEADER_BYTES);
      if (avail < R.HEADER_BYTES) return -1;
      const i0 = off - this.bufStart;
      let k = 0;
      let candidate = -1;
      let candidateSeq = 0;
      for (; k + R.HEADER_BYTES <= avail; k += 8) {
        const i = i0 + k;
        if (this.view.getUint32(i + R.LEN, true) > MAX_PAYLOAD_BYTES) continue;
        const seq = readU64(this.view, i + R.SEQ);
        if (seq <= afterSeq || seq - afterSeq >= TWO32) continue;
        candidate = off + k;
        candidateSeq = seq;
        break;
      }
      if (candidate < 0) {
        off += k; // first offset whose header was not fully buffered
        continue;
      }
      if (this.check(candidate, candidateSeq) === RecordCheck.OK) return candidate;
      off = candidate + 8;
    }
  }

  /** Idempotent: a descriptor number is never closed twice (it may have been reused). */
  close(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      closeSync(fd);
    } catch {
      // closing a read-only descriptor cannot lose data
    }
  }
}
