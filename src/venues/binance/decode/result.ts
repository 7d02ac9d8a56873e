/**
 * The io block of a decoder (layout in codes.ts), with typed views over it. Numbers for
 * the 32-bit fields read without allocating; the 64-bit fields are bigint getters for
 * the API, and `u32` gives hot code their words.
 */
import { IO, IO_BYTES } from './codes.js';
import { argumentError } from './arguments.js';

export class DecodeResult {
  readonly i64: BigInt64Array;
  readonly u64: BigUint64Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;

  /** Over `io` (a BigInt64Array of >= 12 elements on a SharedArrayBuffer), or a new block. */
  constructor(io?: BigInt64Array) {
    const block = io ?? new BigInt64Array(new SharedArrayBuffer(IO_BYTES));
    if (!(block instanceof BigInt64Array) || !(block.buffer instanceof SharedArrayBuffer)) {
      throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', 'result must be a BigInt64Array over a SharedArrayBuffer');
    }
    if (block.byteLength < IO_BYTES) {
      throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', `result must hold at least ${IO_BYTES / 8} elements (${IO_BYTES} bytes)`);
    }
    const { buffer, byteOffset } = block;
    this.i64 = new BigInt64Array(buffer, byteOffset, IO_BYTES / 8);
    this.u64 = new BigUint64Array(buffer, byteOffset, IO_BYTES / 8);
    this.i32 = new Int32Array(buffer, byteOffset, IO_BYTES / 4);
    this.u32 = new Uint32Array(buffer, byteOffset, IO_BYTES / 4);
    this.f64 = new Float64Array(buffer, byteOffset, IO_BYTES / 8);
  }

  /** MessageKind of the last message. */
  get kind(): number {
    return this.i32[IO.kind >> 2]!;
  }
  /** What the last call returned: slots written (>= 0) or a DecodeStatus. */
  get status(): number {
    return this.i32[IO.status >> 2]!;
  }
  get instrument(): number {
    return this.u32[IO.instrument >> 2]!;
  }
  /** Slots written, or on NEED_SPACE the slots needed. */
  get slots(): number {
    return this.u32[IO.slots >> 2]!;
  }
  get firstSeq(): bigint {
    return this.u64[IO.firstSeq >> 3]!;
  }
  get seq(): bigint {
    return this.u64[IO.seq >> 3]!;
  }
  get prevSeq(): bigint {
    return this.u64[IO.prevSeq >> 3]!;
  }
  get lastTradeId(): bigint {
    return this.u64[IO.lastTradeId >> 3]!;
  }
  get exchTimeNs(): bigint {
    return this.i64[IO.exchTimeNs >> 3]!;
  }
  get txTimeNs(): bigint {
    return this.i64[IO.txTimeNs >> 3]!;
  }
  get requestId(): bigint {
    return this.u64[IO.requestId >> 3]!;
  }
}
