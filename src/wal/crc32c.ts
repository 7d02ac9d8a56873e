/**
 * CRC-32C for the WAL: the native SSE4.2 path when the addon is built, the TypeScript
 * slicing-by-8 twin otherwise. Measured here (bench/wal-append.ts reports it): a native
 * call costs a few hundred ns of N-API overhead, which the TS loop beats or matches for
 * record-sized inputs (≤ ~256 B), while native wins ~10x on large ranges. So ranges
 * below NATIVE_MIN_BYTES stay in TS.
 */
import { tryNative } from '../native/load-addon.js';
import { crc32cTsUnchecked } from './crc32c-ts.js';

export const NATIVE_MIN_BYTES = 512;

type CrcFn = (buf: Uint8Array, start: number, end: number, init: number) => number;

const loaded = tryNative();
const nativeCrc: CrcFn | null = loaded.addon !== null && typeof loaded.addon.crc32c === 'function' ? loaded.addon.crc32c : null;

/** Whether the native implementation is in use for large ranges. */
export const crc32cNativeAvailable = nativeCrc !== null;

/** CRC-32C of buf[start, end) from `init`, unchecked range: the hot-path entry. */
export function crc32cRange(buf: Uint8Array, start: number, end: number, init: number): number {
  if (nativeCrc !== null && end - start >= NATIVE_MIN_BYTES) return nativeCrc(buf, start, end, init);
  return crc32cTsUnchecked(buf, start, end, init);
}

function checkIndex(what: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) {
    const err = new RangeError(`crc32c: ${what} must be an integer in 0..${max}, got ${v}`);
    (err as RangeError & { code: string }).code = 'ERR_OUT_OF_RANGE';
    throw err;
  }
}

/**
 * CRC-32C (Castagnoli) of `buf[start, end)` continuing from `init` (a previous result;
 * 0 to start). crc32c("123456789") === 0xE3069283.
 */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length, init = 0): number {
  checkIndex('start', start, buf.length);
  checkIndex('end', end, buf.length);
  checkIndex('init', init, 0xffffffff);
  if (end < start) checkIndex('end', end, -1);
  return crc32cRange(buf, start, end, init);
}

export { crc32cTsUnchecked };
