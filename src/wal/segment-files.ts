/**
 * Segment files in a WAL directory: names, listing, headers, directory fsync.
 * A segment is named by the seq of its first record, zero-padded so names sort like
 * numbers: wal-00000000000000000001.log.
 */
import { closeSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32cRange } from './crc32c.js';
import { ioError } from './errors.js';
import { readU64, SEGMENT_MAGIC, SEGMENT_VERSION, SegmentHeaderLayout as H, writeU64 } from './record-format.js';
import { writeMsAsNs } from './wall-clock.js';

const NAME_RE = /^wal-(\d{20})\.log$/;

export interface SegmentInfo {
  name: string;
  path: string;
  baseSeq: number;
}

export function segmentFileName(baseSeq: number): string {
  return `wal-${String(baseSeq).padStart(20, '0')}.log`;
}

/** Base seq of a segment file name, or null for any other file. */
export function parseSegmentFileName(name: string): number | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

/** Segments of `dir`, oldest first; other files are ignored. [] when `dir` is missing. */
export function listSegments(dir: string): SegmentInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw ioError(`listing ${dir}`, err, dir);
  }
  const out: SegmentInfo[] = [];
  for (const name of names) {
    const baseSeq = parseSegmentFileName(name);
    if (baseSeq !== null) out.push({ name, path: join(dir, name), baseSeq });
  }
  return out.sort((a, b) => a.baseSeq - b.baseSeq);
}

/** fsync of the directory itself, so a created, renamed or deleted entry survives a crash. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (err) {
    throw ioError(`fsync of directory ${dir}`, err, dir);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function encodeSegmentHeader(out: Uint8Array, baseSeq: number, createdMs: number): void {
  const v = new DataView(out.buffer, out.byteOffset, H.SIZE);
  out.fill(0, 0, H.SIZE);
  v.setUint32(H.MAGIC, SEGMENT_MAGIC, true);
  v.setUint16(H.VERSION, SEGMENT_VERSION, true);
  v.setUint16(H.HEADER_BYTES, H.SIZE, true);
  writeU64(v, H.BASE_SEQ, baseSeq);
  writeMsAsNs(v, H.CREATED_NS, createdMs);
  v.setUint32(H.CRC, crc32cRange(out, 0, H.CRC, 0), true);
}

export type SegmentHeaderCheck = { ok: true; baseSeq: number; createdNs: bigint } | { ok: false; reason: string };

/** Validates the first SegmentHeaderLayout.SIZE bytes of `bytes` (fewer bytes: not ok). */
export function decodeSegmentHeader(bytes: Uint8Array, length: number): SegmentHeaderCheck {
  if (length < H.SIZE) return { ok: false, reason: `header cut short (${length} of ${H.SIZE} bytes)` };
  const v = new DataView(bytes.buffer, bytes.byteOffset, H.SIZE);
  if (v.getUint32(H.MAGIC, true) !== SEGMENT_MAGIC) return { ok: false, reason: 'bad magic' };
  if (v.getUint32(H.CRC, true) !== crc32cRange(bytes, 0, H.CRC, 0)) return { ok: false, reason: 'header crc32c mismatch' };
  const version = v.getUint16(H.VERSION, true);
  if (version !== SEGMENT_VERSION) return { ok: false, reason: `unsupported version ${version}` };
  if (v.getUint16(H.HEADER_BYTES, true) !== H.SIZE) return { ok: false, reason: 'unexpected header size' };
  return { ok: true, baseSeq: readU64(v, H.BASE_SEQ), createdNs: v.getBigInt64(H.CREATED_NS, true) };
}
