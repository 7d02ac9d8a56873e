/**
 * Builds the body of `COPY wal_events (seq, ts, type, payload) FROM STDIN (FORMAT binary)`
 * from WAL records: binary, so payload bytes go in as they are (no escaping) and the
 * server parses nothing but lengths. One buffer, reused batch after batch.
 *
 *   header  "PGCOPY\n\xff\r\n\0", i32 flags = 0, i32 extension length = 0
 *   tuple   i16 field count = 4, then per field i32 length + bytes (network order):
 *           seq int8, ts timestamptz (int8 µs since 2000-01-01), type int4, payload bytea
 *   trailer i16 -1
 */
import type { WalRecordView } from '../../wal/wal-reader.js';

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
const HEADER_BYTES = SIGNATURE.length + 8;
/** Field count + the three fixed-size fields with their lengths + the payload length. */
const TUPLE_FIXED_BYTES = 2 + (4 + 8) + (4 + 8) + (4 + 4) + 4;
/** 2000-01-01T00:00Z, PostgreSQL's epoch, in µs since the Unix epoch. */
export const PG_EPOCH_UNIX_US = 946_684_800_000_000n;

export class CopyEncoder {
  private buf: Uint8Array;
  private view: DataView;
  private len = 0;
  rows = 0;

  constructor(initialBytes = 1 << 20) {
    this.buf = new Uint8Array(initialBytes);
    this.view = new DataView(this.buf.buffer);
    this.reset();
  }

  /** Payload plus framing bytes so far. */
  get bytes(): number {
    return this.len;
  }

  reset(): void {
    this.buf.set(SIGNATURE, 0);
    this.view.setInt32(SIGNATURE.length, 0);
    this.view.setInt32(SIGNATURE.length + 4, 0);
    this.len = HEADER_BYTES;
    this.rows = 0;
  }

  /** Appends one record; `unixUs` is its time in µs since the Unix epoch. */
  add(r: WalRecordView, unixUs: bigint): void {
    const n = r.payload.length;
    this.reserve(TUPLE_FIXED_BYTES + n + 2);
    const v = this.view;
    let o = this.len;
    v.setInt16(o, 4);
    v.setInt32(o + 2, 8);
    v.setBigInt64(o + 6, BigInt(r.seq));
    v.setInt32(o + 14, 8);
    v.setBigInt64(o + 18, unixUs - PG_EPOCH_UNIX_US);
    v.setInt32(o + 26, 4);
    v.setInt32(o + 30, r.type);
    v.setInt32(o + 34, n);
    o += TUPLE_FIXED_BYTES;
    this.buf.set(r.payload, o);
    this.len = o + n;
    this.rows++;
  }

  /** The finished body (trailer written); valid until the next reset()/add(). */
  finish(): Buffer {
    this.reserve(2);
    this.view.setInt16(this.len, -1);
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.len + 2);
  }

  private reserve(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}
