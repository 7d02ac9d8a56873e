/**
 * Checks of the ring geometry a caller passes with every call, shared by both decoders
 * so they refuse the same mistakes with the same errors. The region view is cached:
 * a producer passes the same ring every time.
 */
import { argumentError } from './arguments.js';
import type { RingGeometry } from './types.js';

const SLOT_BYTES = 64;
/** 2^26 slots of 64 bytes = 4 GiB, the most a SharedArrayBuffer can hold anyway. */
const MAX_SLOTS = 1 << 26;

export class RingRegionCache {
  private out: SharedArrayBuffer | null = null;
  private dataOffset = -1;
  private mask = -1;
  /** The ring's data region, (mask + 1) * 64 bytes. */
  region: Uint8Array = new Uint8Array(0);
  capacity = 0;

  /** True when the region changed since the last call (the native side must rebind). */
  update(out: SharedArrayBuffer, g: RingGeometry): boolean {
    if (out === this.out && g.dataOffset === this.dataOffset && g.mask === this.mask && g.slotBytes === SLOT_BYTES) return false;
    if (!(out instanceof SharedArrayBuffer)) throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', 'out must be a SharedArrayBuffer');
    if (typeof g !== 'object' || g === null) throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', 'ring geometry must be an object');
    if (g.slotBytes !== SLOT_BYTES) throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', `slotBytes must be ${SLOT_BYTES}, got ${String(g.slotBytes)}`);
    const slots = g.mask + 1;
    if (!Number.isInteger(g.mask) || g.mask < 0 || slots > MAX_SLOTS || (slots & g.mask) !== 0) {
      throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', `mask must be a power of two minus one (at most ${MAX_SLOTS - 1}), got ${String(g.mask)}`);
    }
    if (!Number.isInteger(g.dataOffset) || g.dataOffset < 0 || g.dataOffset % SLOT_BYTES !== 0) {
      throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', `dataOffset must be a non-negative multiple of 64, got ${String(g.dataOffset)}`);
    }
    if (g.dataOffset + slots * SLOT_BYTES > out.byteLength) {
      throw argumentError(
        'RangeError',
        'ERR_OUT_OF_RANGE',
        `ring of ${slots} slots at byte ${g.dataOffset} does not fit in out (${out.byteLength} bytes)`,
      );
    }
    this.region = new Uint8Array(out, g.dataOffset, slots * SLOT_BYTES);
    this.out = out;
    this.dataOffset = g.dataOffset;
    this.mask = g.mask;
    this.capacity = slots;
    return true;
  }
}

/** startPos and freeSlots of one call. */
export function checkPositions(g: RingGeometry, capacity: number): void {
  const { startPos, freeSlots } = g;
  if (!Number.isSafeInteger(startPos) || startPos < 0) {
    throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', `startPos must be a non-negative safe integer, got ${String(startPos)}`);
  }
  if (!Number.isInteger(freeSlots) || freeSlots < 0 || freeSlots > capacity) {
    throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', `freeSlots must be an integer in 0..${capacity}, got ${String(freeSlots)}`);
  }
}

const I64_MIN = -(2n ** 63n);
const I64_END = 2n ** 63n;

/** recvTimeNs as a bigint in int64, or a safe integer number. */
export function checkRecvTime(t: bigint | number): void {
  if (typeof t === 'bigint') {
    if (t < I64_MIN || t >= I64_END) throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', 'recvTimeNs must fit int64');
  } else if (typeof t !== 'number') {
    throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', 'recvTimeNs must be a bigint or a number');
  } else if (!Number.isSafeInteger(t)) {
    throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', 'recvTimeNs must be a safe integer when it is a number');
  }
}

export function checkFrame(frame: Uint8Array, what: string): void {
  if (!(frame instanceof Uint8Array)) throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', `${what} must be a Uint8Array`);
}
