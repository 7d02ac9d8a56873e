/**
 * The consuming side of an SPSC ring. `poll` loads the producer's position once, hands
 * every available record to the handler straight from shared memory (no copy, no object
 * per record), and publishes its cursor once at the end of the batch, which is the
 * moment the producer may reuse those slots.
 */
import {
  CLOSED_INDEX,
  PRODUCER_PARK_INDEX,
  PUBLISHED_INDEX,
  consumerNotifiesIndex,
  consumerParkIndex,
  consumerParksIndex,
  cursorIndex,
  slotOffset,
} from './descriptor.js';
import { positionHi, positionLo, storePosition } from './position.js';
import type { RingMemory } from './ring-memory.js';
import { RingStatus, type RecordHandler } from './status.js';
import { createIdleStrategy, wakeParked, type IdleStrategy, type ParkTarget, type WaitOptions, type WaitStrategyName } from './wait-strategy.js';

const CURSOR_INDEX = cursorIndex(0);
const NOTIFIES_INDEX = consumerNotifiesIndex(0);

export class SpscConsumer implements ParkTarget {
  readonly words: Int32Array;
  /** The ring's memory; handler offsets index into it. */
  readonly view: DataView;
  readonly parkIndex = consumerParkIndex(0);
  readonly parksIndex = consumerParksIndex(0);
  readonly idleStrategy: IdleStrategy;
  private readonly capacity: number;
  private readonly mask: number;
  private readonly slotBytes: number;
  private readonly dataOffset: number;
  /** Next position to read, as int32 low word plus wrap count. */
  private lo: number;
  private hi: number;

  constructor(mem: RingMemory, wait: WaitStrategyName | WaitOptions) {
    this.words = mem.words;
    this.view = mem.view;
    const { capacity, mask, slotBytes, dataOffset } = mem.layout;
    this.capacity = capacity;
    this.mask = mask;
    this.slotBytes = slotBytes;
    this.dataOffset = dataOffset;
    const start = mem.position(CURSOR_INDEX);
    this.lo = positionLo(start);
    this.hi = positionHi(start);
    this.idleStrategy = createIdleStrategy(this, wait);
  }

  /**
   * Hands up to `limit` available records to `handler`, in order, and returns how many;
   * 0 when there are none; RingStatus.CLOSED once the ring is closed and drained.
   * A handler that throws has consumed its record; the error propagates after the
   * cursor is published for the records before it.
   */
  poll(handler: RecordHandler, limit = this.capacity): number {
    const w = this.words;
    let available = (Atomics.load(w, PUBLISHED_INDEX) - this.lo) | 0;
    if (available === 0) return this.emptyResult();
    if (available > limit) available = limit < 1 ? 0 : limit;
    const start = this.lo;
    let lo = start;
    const view = this.view;
    try {
      for (let left = available; left > 0; left--) {
        const offset = slotOffset(this.dataOffset, this.slotBytes, this.mask, lo);
        lo = (lo + 1) | 0;
        handler(view, offset, left === 1);
      }
    } finally {
      this.publish(start, lo);
    }
    return available;
  }

  /** Duty-cycle companion of poll: `consumer.idle(consumer.poll(h))`. */
  idle(workCount: number): void {
    this.idleStrategy.idle(workCount);
  }

  /** Records published and not yet consumed. */
  get available(): number {
    return (Atomics.load(this.words, PUBLISHED_INDEX) - this.lo) | 0;
  }

  ready(): boolean {
    return Atomics.load(this.words, PUBLISHED_INDEX) !== this.lo || Atomics.load(this.words, CLOSED_INDEX) !== 0;
  }

  private publish(start: number, lo: number): void {
    if (lo === start) return;
    const hi = (lo >>> 0) < (start >>> 0) ? this.hi + 1 : this.hi;
    const w = this.words;
    storePosition(w, CURSOR_INDEX, lo, hi, this.hi);
    this.lo = lo;
    this.hi = hi;
    wakeParked(w, PRODUCER_PARK_INDEX, NOTIFIES_INDEX);
  }

  private emptyResult(): number {
    const w = this.words;
    if (Atomics.load(w, CLOSED_INDEX) === 0) return 0;
    // The producer may have published just before closing: look again after seeing it.
    return Atomics.load(w, PUBLISHED_INDEX) === this.lo ? RingStatus.CLOSED : 0;
  }
}
