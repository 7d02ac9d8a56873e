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
  /** Next position to read (int32 low word; the wrap count lives with the published cursor). */
  private lo: number;
  /** The cursor as last published. */
  private publishedLo: number;
  private publishedHi: number;

  constructor(mem: RingMemory, wait: WaitStrategyName | WaitOptions) {
    this.words = mem.words;
    this.view = mem.view;
    const { capacity, mask, slotBytes, dataOffset } = mem.layout;
    this.capacity = capacity;
    this.mask = mask;
    this.slotBytes = slotBytes;
    this.dataOffset = dataOffset;
    const start = mem.position(CURSOR_INDEX);
    this.lo = this.publishedLo = positionLo(start);
    this.publishedHi = positionHi(start);
    this.idleStrategy = createIdleStrategy(this, wait);
  }

  /**
   * Hands up to `limit` available records to `handler`, in order, and returns how many;
   * 0 when there are none; RingStatus.CLOSED once the ring is closed and drained.
   * A handler that throws has consumed its record and the ones before it; the error
   * propagates and the next poll publishes the cursor.
   */
  poll(handler: RecordHandler, limit = this.capacity): number {
    const w = this.words;
    let available = (Atomics.load(w, PUBLISHED_INDEX) - this.lo) | 0;
    if (available === 0) {
      if (this.lo !== this.publishedLo) this.publish();
      return this.emptyResult();
    }
    if (available > limit) available = limit < 1 ? 0 : limit;
    const view = this.view;
    // No try/finally: V8 would box the (possibly non-Smi) position at every handler call
    // to keep it for the handler block. Progress is kept in `this.lo` instead.
    for (let left = available; left > 0; left--) {
      const lo = this.lo;
      this.lo = (lo + 1) | 0;
      handler(view, slotOffset(this.dataOffset, this.slotBytes, this.mask, lo), left === 1);
    }
    this.publish();
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

  private publish(): void {
    const lo = this.lo;
    if (lo === this.publishedLo) return;
    // Positions move less than 2^31 between publications: an unsigned drop is a wrap.
    const hi = (lo >>> 0) < (this.publishedLo >>> 0) ? this.publishedHi + 1 : this.publishedHi;
    const w = this.words;
    storePosition(w, CURSOR_INDEX, lo, hi, this.publishedHi);
    this.publishedLo = lo;
    this.publishedHi = hi;
    wakeParked(w, PRODUCER_PARK_INDEX, NOTIFIES_INDEX);
  }

  private emptyResult(): number {
    const w = this.words;
    if (Atomics.load(w, CLOSED_INDEX) === 0) return 0;
    // The producer may have published just before closing: look again after seeing it.
    return Atomics.load(w, PUBLISHED_INDEX) === this.lo ? RingStatus.CLOSED : 0;
  }
}
