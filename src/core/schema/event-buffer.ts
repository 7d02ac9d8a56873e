/**
 * Typed access to event slots in a (Shared)ArrayBuffer. Every method takes an absolute
 * byte offset `at` = slot start + field offset (from offsets.ts) and allocates nothing,
 * except getI64/getU64, which return a bigint.
 *
 * int64 fields: three ways in, chosen by what the caller already holds.
 *   - bigint (API, accounting): setI64/getI64 over a BigInt64Array. Storing a bigint
 *     that already exists allocates nothing; reading one creates a heap BigInt, so hot
 *     loops do not read bigints.
 *   - raw words (hot paths): copyI64, compareI64, equalsI64, isUndef and diffI64 work
 *     on the two 32-bit halves through Int32Array/Uint32Array, allocation-free and exact
 *     for the full int64 range.
 *   - safe integers (counts, ns deltas): setI64Number/getI64Number, exact while
 *     |value| < 2^53. Monotonic ns stamps pass 2^53 after 104 days of uptime, so stamps
 *     are copied as words and only their differences become numbers (diffI64).
 *
 * Memory is little-endian (design §3): typed arrays use the host order, so loading
 * this module on a big-endian host throws.
 */

const TWO32 = 4294967296;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('veloz event schema is little-endian; this host is big-endian');
}

export class EventBuffer {
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  readonly byteOffset: number;
  readonly byteLength: number;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly i64: BigInt64Array;
  readonly u64: BigUint64Array;

  /** Views `byteLength` bytes at `byteOffset`; both must be multiples of 64 (cache lines). */
  constructor(buffer: SharedArrayBuffer | ArrayBuffer, byteOffset = 0, byteLength = buffer.byteLength - byteOffset) {
    if (byteOffset % 64 !== 0 || byteLength % 64 !== 0 || byteLength <= 0) {
      throw new RangeError(
        `event buffer region must be cache-line aligned: byteOffset ${byteOffset} and byteLength ${byteLength} must be positive multiples of 64`,
      );
    }
    if (byteOffset + byteLength > buffer.byteLength) {
      throw new RangeError(`event buffer region ${byteOffset}+${byteLength} exceeds the buffer (${buffer.byteLength} bytes)`);
    }
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.byteLength = byteLength;
    this.u8 = new Uint8Array(buffer, byteOffset, byteLength);
    this.u16 = new Uint16Array(buffer, byteOffset, byteLength >> 1);
    this.i32 = new Int32Array(buffer, byteOffset, byteLength >> 2);
    this.u32 = new Uint32Array(buffer, byteOffset, byteLength >> 2);
    this.i64 = new BigInt64Array(buffer, byteOffset, byteLength >> 3);
    this.u64 = new BigUint64Array(buffer, byteOffset, byteLength >> 3);
  }

  getU8(at: number): number {
    return this.u8[at]!;
  }
  setU8(at: number, v: number): void {
    this.u8[at] = v;
  }
  getU16(at: number): number {
    return this.u16[at >> 1]!;
  }
  setU16(at: number, v: number): void {
    this.u16[at >> 1] = v;
  }
  getU32(at: number): number {
    return this.u32[at >> 2]!;
  }
  setU32(at: number, v: number): void {
    this.u32[at >> 2] = v;
  }
  getI32(at: number): number {
    return this.i32[at >> 2]!;
  }
  setI32(at: number, v: number): void {
    this.i32[at >> 2] = v;
  }

  getI64(at: number): bigint {
    return this.i64[at >> 3]!;
  }
  /** Stores a bigint as int64; the caller guarantees the range (checked APIs do). */
  setI64(at: number, v: bigint): void {
    this.i64[at >> 3] = v;
  }
  getU64(at: number): bigint {
    return this.u64[at >> 3]!;
  }
  setU64(at: number, v: bigint): void {
    this.u64[at >> 3] = v;
  }

  /** High (signed) 32 bits of the int64 at `at`. */
  getHi(at: number): number {
    return this.i32[(at >> 2) + 1]!;
  }
  /** Low (unsigned) 32 bits of the 64-bit word at `at`. */
  getLo(at: number): number {
    return this.u32[at >> 2]!;
  }
  setWords(at: number, hi: number, lo: number): void {
    const w = at >> 2;
    this.u32[w] = lo;
    this.i32[w + 1] = hi;
  }

  /** Stores a safe integer as int64 (or u64 when non-negative). */
  setI64Number(at: number, v: number): void {
    const hi = Math.floor(v / TWO32);
    const w = at >> 2;
    this.u32[w] = v - hi * TWO32;
    this.i32[w + 1] = hi;
  }
  /** The int64 at `at` as a number: exact when |value| < 2^53. */
  getI64Number(at: number): number {
    const w = at >> 2;
    return this.i32[w + 1]! * TWO32 + this.u32[w]!;
  }
  /** The u64 at `at` as a number: exact when value < 2^53. */
  getU64Number(at: number): number {
    const w = at >> 2;
    return this.u32[w + 1]! * TWO32 + this.u32[w]!;
  }

  /** a − b of two int64 fields as a number: exact when |a − b| < 2^53 (ns latencies). */
  diffI64(atA: number, atB: number): number {
    const a = atA >> 2;
    const b = atB >> 2;
    return (this.i32[a + 1]! - this.i32[b + 1]!) * TWO32 + (this.u32[a]! - this.u32[b]!);
  }

  /** Signed comparison of two int64 fields: −1, 0 or 1. */
  compareI64(atA: number, atB: number): number {
    const a = atA >> 2;
    const b = atB >> 2;
    const ha = this.i32[a + 1]!;
    const hb = this.i32[b + 1]!;
    if (ha !== hb) return ha < hb ? -1 : 1;
    const la = this.u32[a]!;
    const lb = this.u32[b]!;
    return la === lb ? 0 : la < lb ? -1 : 1;
  }

  equalsI64(atA: number, atB: number): boolean {
    const a = atA >> 2;
    const b = atB >> 2;
    return this.u32[a] === this.u32[b] && this.u32[a + 1] === this.u32[b + 1];
  }

  /** Copies the 64-bit word at `from` to `to` in `dst` (this buffer by default). */
  copyI64(from: number, to: number, dst: EventBuffer = this): void {
    const f = from >> 2;
    const t = to >> 2;
    dst.u32[t] = this.u32[f]!;
    dst.u32[t + 1] = this.u32[f + 1]!;
  }

  /** Whether the int64 at `at` is INT64_MIN (PRICE_UNDEF, QTY_UNDEF, TIME_UNDEF). */
  isUndef(at: number): boolean {
    const w = at >> 2;
    return this.u32[w] === 0 && this.i32[w + 1] === -2147483648;
  }
  /** Stores INT64_MIN (PRICE_UNDEF, QTY_UNDEF, TIME_UNDEF). */
  setUndef(at: number): void {
    const w = at >> 2;
    this.u32[w] = 0;
    this.i32[w + 1] = -2147483648;
  }
  /** Whether the u64 at `at` is all ones (SEQ_UNDEF, TRADE_ID_UNDEF, VENUE_ORDER_ID_UNDEF). */
  isIdUndef(at: number): boolean {
    const w = at >> 2;
    return this.u32[w] === 0xffffffff && this.u32[w + 1] === 0xffffffff;
  }
  setIdUndef(at: number): void {
    const w = at >> 2;
    this.u32[w] = 0xffffffff;
    this.u32[w + 1] = 0xffffffff;
  }

  /** Zeroes `bytes` (a multiple of 4) from `at`. */
  clear(at: number, bytes: number): void {
    this.u32.fill(0, at >> 2, (at + bytes) >> 2);
  }

  /** Copies a whole slot word by word (no view is created), possibly into another buffer. */
  copySlot(from: number, to: number, bytes: number, dst: EventBuffer = this): void {
    const f = from >> 2;
    const t = to >> 2;
    const src = this.u32;
    const out = dst.u32;
    for (let i = 0, n = bytes >> 2; i < n; i++) out[t + i] = src[f + i]!;
  }

  /**
   * Writes `text` as ASCII into the `length`-byte field at `at`, NUL padded. Returns the
   * byte count; throws if the text is too long or not ASCII (it is venue input).
   */
  setAscii(at: number, length: number, text: string): number {
    if (text.length > length) {
      throw new RangeError(`ascii field holds ${length} bytes, got ${text.length}: ${JSON.stringify(text)}`);
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0 || c > 0x7e) throw new RangeError(`ascii field got a non-ASCII character in ${JSON.stringify(text)}`);
      this.u8[at + i] = c;
    }
    this.u8.fill(0, at + text.length, at + length);
    return text.length;
  }

  /** Copies raw bytes (already validated ASCII, e.g. from a decoder) into an ascii field. */
  setAsciiBytes(at: number, length: number, src: Uint8Array, start: number, end: number): number {
    const n = end - start;
    if (n < 0 || n > length) throw new RangeError(`ascii field holds ${length} bytes, got ${n}`);
    for (let i = 0; i < n; i++) this.u8[at + i] = src[start + i]!;
    this.u8.fill(0, at + n, at + length);
    return n;
  }

  /** The text of an ascii field up to its first NUL (allocates a string: not for hot paths). */
  getAscii(at: number, length: number): string {
    let end = at;
    const stop = at + length;
    while (end < stop && this.u8[end] !== 0) end++;
    let s = '';
    for (let i = at; i < end; i++) s += String.fromCharCode(this.u8[i]!);
    return s;
  }
}
