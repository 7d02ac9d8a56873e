/**
 * Byte layouts of the WAL, owned here: nothing else does offset arithmetic by hand.
 * Little-endian throughout.
 *
 * Segment file = header, then records back to back:
 *
 *   0       4     6      8                16               24        28      32
 *   +-------+-----+------+----------------+----------------+---------+-------+
 *   | magic | ver | hdr  | base seq u64   | created ns i64 | reserved| crc32c|   crc over [0, 28)
 *   | VWAL  | u16 | bytes|                |                | u32 = 0 | u32   |
 *   +-------+-----+------+----------------+----------------+---------+-------+
 *
 * Record (8-byte aligned, padded with zeros to a multiple of 8):
 *
 *   0        4        8                16               24     26     28
 *   +--------+--------+----------------+----------------+------+------+-------------+-----+
 *   | len u32| crc u32| seq u64        | ts i64 ns      | type | flags| payload     | pad |
 *   +--------+--------+----------------+----------------+------+------+-------------+-----+
 *   crc32c covers [8, 28 + len): seq, ts, type, flags, payload. `len` itself is checked
 *   by plausibility (≤ MAX_PAYLOAD_BYTES, inside the file) and, indirectly, by the CRC:
 *   a wrong len moves the checked range and the CRC no longer matches.
 *
 * Alignment is what lets recovery look for intact records after a bad one (only
 * offsets ≡ 0 mod 8 can start a record), which separates a torn tail from corruption.
 */

export const SegmentHeaderLayout = {
  MAGIC: 0,
  VERSION: 4,
  HEADER_BYTES: 6,
  BASE_SEQ: 8,
  CREATED_NS: 16,
  RESERVED: 24,
  CRC: 28,
  SIZE: 32,
} as const;

/** 'VWAL' read as a little-endian u32. */
export const SEGMENT_MAGIC = 0x4c415756;
export const SEGMENT_VERSION = 1;

export const RecordLayout = {
  LEN: 0,
  CRC: 4,
  SEQ: 8,
  TS: 16,
  TYPE: 24,
  FLAGS: 26,
  PAYLOAD: 28,
  /** Bytes before the payload. */
  HEADER_BYTES: 28,
  ALIGN: 8,
} as const;

/** Format limit: a length above this is garbage, not a record. */
export const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;
export const MAX_RECORD_TYPE = 0xffff;

/** Bytes a record with `payloadBytes` of payload occupies, padding included. */
export function recordBytes(payloadBytes: number): number {
  return (RecordLayout.HEADER_BYTES + payloadBytes + 7) & ~7;
}

const TWO32 = 4294967296;

/** Reads a u64 as a number; exact below 2^53 (every seq the writer hands out). */
export function readU64(view: DataView, offset: number): number {
  return view.getUint32(offset + 4, true) * TWO32 + view.getUint32(offset, true);
}

/** Writes a non-negative integer below 2^53 as a u64 without a bigint. */
export function writeU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value >>> 0, true);
  view.setUint32(offset + 4, Math.floor(value / TWO32), true);
}

/** Outcome of checking the bytes at one offset against the record format. */
export const RecordCheck = {
  OK: 0,
  /** No byte at all: the clean end of the data. */
  END: 1,
  /** Some bytes, but fewer than the header or the length announces. */
  SHORT: 2,
  /** Length above the limit. */
  BAD_LENGTH: 3,
  /** Not the seq that must come next. */
  BAD_SEQ: 4,
  BAD_CRC: 5,
} as const;
export type RecordCheck = (typeof RecordCheck)[keyof typeof RecordCheck];

export const RECORD_CHECK_REASON: Record<RecordCheck, string> = {
  [RecordCheck.OK]: 'ok',
  [RecordCheck.END]: 'end of data',
  [RecordCheck.SHORT]: 'record cut short',
  [RecordCheck.BAD_LENGTH]: 'implausible length',
  [RecordCheck.BAD_SEQ]: 'unexpected seq',
  [RecordCheck.BAD_CRC]: 'crc32c mismatch',
};
