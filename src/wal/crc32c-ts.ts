/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) in TypeScript, slicing-by-8:
 * eight 256-entry tables let each step fold eight bytes with eight lookups instead of
 * eight dependent shifts. Same contract as the native `crc32c` (native/core/crc32c.h):
 * `init` is a previous result, so crc(b, 0, n) === crc(b, k, n, crc(b, 0, k)).
 */

const POLY = 0x82f63b78;

function buildTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[i] = c;
  }
  for (let i = 0; i < 256; i++) {
    for (let s = 1; s < 8; s++) {
      const prev = t[(s - 1) * 256 + i]!;
      t[s * 256 + i] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

const T = buildTables();

/**
 * CRC-32C of `buf[start, end)` from `init`; unsigned result. No range checks: callers
 * on the hot path pass ranges they computed; `crc32c` in ./crc32c.ts checks them.
 */
export function crc32cTsUnchecked(buf: Uint8Array, start: number, end: number, init: number): number {
  let c = ~init;
  let i = start;
  const stop8 = end - ((end - start) & 7);
  while (i < stop8) {
    const lo = (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)) ^ c;
    const hi = buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24);
    c =
      T[1792 + (lo & 0xff)]! ^
      T[1536 + ((lo >>> 8) & 0xff)]! ^
      T[1280 + ((lo >>> 16) & 0xff)]! ^
      T[1024 + (lo >>> 24)]! ^
      T[768 + (hi & 0xff)]! ^
      T[512 + ((hi >>> 8) & 0xff)]! ^
      T[256 + ((hi >>> 16) & 0xff)]! ^
      T[hi >>> 24]!;
    i += 8;
  }
  while (i < end) c = T[(c ^ buf[i++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
