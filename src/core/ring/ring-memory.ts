/**
 * The shared memory of one ring and what every kind of ring does with it: create or
 * attach (validating the header), views, the closed flag, and waking parked sides.
 */
import {
  CLAIM_INDEX,
  CLOSED_INDEX,
  PRODUCER_PARK_INDEX,
  PUBLISHED_INDEX,
  cursorIndex,
  consumerParkIndex,
  readHeader,
  ringLayout,
  writeHeader,
  type RingKind,
  type RingLayout,
  type RingShape,
} from './descriptor.js';
import { RingError, RingErrorCode } from './errors.js';
import { MAX_POSITION, POSITION_BUSY, initPosition, loadPositionSettled } from './position.js';

export interface RingCreateOptions {
  /** Slots; a power of two. */
  capacity: number;
  /** Bytes per slot, a multiple of 64; default 64 (one event record). */
  slotBytes?: number;
  /**
   * Position of the first record (default 0). Lets a ring continue a sequence, and lets
   * tests cross the 2^32 boundary of the low position word without 4 billion events.
   */
  initialPosition?: number;
}

export const DEFAULT_SLOT_BYTES = 64;

export class RingMemory {
  readonly buffer: SharedArrayBuffer;
  readonly layout: RingLayout;
  /** Every word of the ring, header and slots. */
  readonly words: Int32Array;
  /** The whole ring as bytes; slot offsets index into it. */
  readonly view: DataView;

  private constructor(buffer: SharedArrayBuffer, layout: RingLayout) {
    this.buffer = buffer;
    this.layout = layout;
    this.words = new Int32Array(buffer);
    this.view = new DataView(buffer);
  }

  static create(kind: RingKind, shape: RingShape, initialPosition = 0): RingMemory {
    const layout = ringLayout(kind, shape);
    if (!Number.isSafeInteger(initialPosition) || initialPosition < 0 || initialPosition > MAX_POSITION / 2) {
      throw new RingError(RingErrorCode.POSITION, `initial ring position ${initialPosition} is not an integer in 0..2^52`);
    }
    const mem = new RingMemory(new SharedArrayBuffer(layout.totalBytes), layout);
    const w = mem.words;
    initPosition(w, PUBLISHED_INDEX, initialPosition);
    initPosition(w, CLAIM_INDEX, initialPosition);
    for (let i = 0; i < layout.consumers; i++) initPosition(w, cursorIndex(i), initialPosition);
    writeHeader(w, layout);
    return mem;
  }

  static attach(buffer: unknown, kind: RingKind): RingMemory {
    const layout = readHeader(buffer, kind);
    return new RingMemory(buffer as SharedArrayBuffer, layout);
  }

  get closed(): boolean {
    return Atomics.load(this.words, CLOSED_INDEX) !== 0;
  }

  /**
   * Marks the ring closed and wakes every parked side (and any backoff sleeper) so it
   * sees the flag. Idempotent; any thread may call it.
   */
  close(): void {
    const w = this.words;
    Atomics.store(w, CLOSED_INDEX, 1);
    wakeForClose(w, PRODUCER_PARK_INDEX);
    for (let i = 0; i < this.layout.consumers; i++) wakeForClose(w, consumerParkIndex(i));
  }

  /** A full position, for attach and monitoring (not the hot path). */
  position(loIndex: number): number {
    const p = loadPositionSettled(this.words, loIndex);
    if (p === POSITION_BUSY) {
      throw new RingError(RingErrorCode.HEADER, `ring position at word ${loIndex} stayed mid-update; its writer is stuck`);
    }
    return p;
  }
}

function wakeForClose(words: Int32Array, parkIndex: number): void {
  Atomics.compareExchange(words, parkIndex, 1, 0);
  Atomics.notify(words, parkIndex);
}
