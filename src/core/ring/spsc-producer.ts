/**
 * The producing side of an SPSC ring: claim a slot, fill it, commit. A commit publishes
 * every record claimed since the last one with a single release store, so a producer
 * that claims a batch and commits once pays one store (and one load of the consumer's
 * park flag) per batch.
 */
import {
  PRODUCER_FULL_INDEX,
  PRODUCER_NOTIFIES_INDEX,
  PRODUCER_PARKS_INDEX,
  PRODUCER_PARK_INDEX,
  PUBLISHED_INDEX,
  consumerParkIndex,
  cursorIndex,
  slotOffset,
} from './descriptor.js';
import { positionHi, positionLo, storePosition } from './position.js';
import type { RingMemory } from './ring-memory.js';
import { RingStatus } from './status.js';
import { createIdleStrategy, wakeParked, type IdleStrategy, type ParkTarget, type WaitOptions, type WaitStrategyName } from './wait-strategy.js';

const CURSOR_INDEX = cursorIndex(0);
const CONSUMER_PARK_INDEX = consumerParkIndex(0);

export class SpscProducer implements ParkTarget {
  readonly words: Int32Array;
  /** The ring's memory; claimed offsets index into it. */
  readonly view: DataView;
  readonly parkIndex = PRODUCER_PARK_INDEX;
  readonly parksIndex = PRODUCER_PARKS_INDEX;
  readonly idleStrategy: IdleStrategy;
  private readonly mem: RingMemory;
  private readonly capacity: number;
  private readonly mask: number;
  private readonly slotBytes: number;
  private readonly dataOffset: number;
  /** Next position to claim, as int32 low word plus wrap count. */
  private claimLo: number;
  private claimHi: number;
  private publishedLo: number;
  private publishedHi: number;
  /** Last consumer cursor seen; re-read only when the ring looks full. */
  private consumerLo: number;
  /** Free slots `ready()` waits for: 1, or a bulk writer's whole message (waitForFree). */
  private wanted = 1;

  constructor(mem: RingMemory, wait: WaitStrategyName | WaitOptions) {
    this.mem = mem;
    this.words = mem.words;
    this.view = mem.view;
    const { capacity, mask, slotBytes, dataOffset } = mem.layout;
    this.capacity = capacity;
    this.mask = mask;
    this.slotBytes = slotBytes;
    this.dataOffset = dataOffset;
    const start = mem.position(PUBLISHED_INDEX);
    this.claimLo = this.publishedLo = positionLo(start);
    this.claimHi = this.publishedHi = positionHi(start);
    this.consumerLo = Atomics.load(this.words, CURSOR_INDEX);
    this.idleStrategy = createIdleStrategy(this, wait);
  }

  /**
   * Claims the next slot and returns its byte offset in `view`, or RingStatus.FULL
   * (counted as backpressure) when the consumer has not freed one, or RingStatus.CLOSED
   * when full and closed. Fill the slot, then `commit()`.
   */
  tryClaim(): number {
    if (((this.claimLo - this.consumerLo) | 0) >= this.capacity && !this.hasSpace()) {
      if (this.mem.closed) return RingStatus.CLOSED;
      const w = this.words;
      w[PRODUCER_FULL_INDEX] = (w[PRODUCER_FULL_INDEX]! + 1) | 0;
      return RingStatus.FULL;
    }
    return this.take();
  }

  /**
   * Like tryClaim, but waits with the wait strategy while the ring is full. Commits what
   * is pending first, so the consumer can free the space. Returns an offset,
   * RingStatus.CLOSED, or RingStatus.TIMED_OUT after `timeoutMs`.
   */
  claim(timeoutMs = Infinity): number {
    const off = this.tryClaim();
    if (off !== RingStatus.FULL) return off;
    this.commit();
    const idle = this.idleStrategy;
    idle.reset();
    const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
    for (;;) {
      if (this.mem.closed) return RingStatus.CLOSED;
      idle.idle(0);
      if (this.hasSpace()) return this.take();
      if (deadline !== Infinity && performance.now() >= deadline) return RingStatus.TIMED_OUT;
    }
  }

  /** Publishes every claimed record; wakes the consumer only if it parked. */
  commit(): void {
    const lo = this.claimLo;
    if (lo === this.publishedLo) return;
    const w = this.words;
    storePosition(w, PUBLISHED_INDEX, lo, this.claimHi, this.publishedHi);
    this.publishedLo = lo;
    this.publishedHi = this.claimHi;
    wakeParked(w, CONSUMER_PARK_INDEX, PRODUCER_NOTIFIES_INDEX);
  }

  /**
   * Slot index (position & mask) where the next claim lands. With `free`, it is what a
   * bulk writer needs to fill slots in place (a decoder writing a whole venue message),
   * before it claims them with claimWritten.
   */
  get nextSlot(): number {
    return this.claimLo & this.mask;
  }

  /**
   * Claims `count` slots that were filled in place from nextSlot on. `count` must not
   * exceed `free` as read before filling (a RangeError otherwise: the writer overran the
   * consumer). Commit publishes them.
   */
  claimWritten(count: number): void {
    if (!(count >= 0 && count <= this.capacity - ((this.claimLo - this.consumerLo) | 0))) {
      throw new RangeError(`claimWritten(${count}): only ${this.capacity - ((this.claimLo - this.consumerLo) | 0)} slots were free`);
    }
    const lo = this.claimLo;
    const next = (lo + count) | 0;
    this.claimLo = next;
    if ((next >>> 0) < (lo >>> 0)) this.claimHi++;
  }

  /**
   * Waits with the wait strategy until at least `count` slots are free (a message that
   * must land whole). Commits what is pending first. Returns true when they are, false
   * after `timeoutMs`, when the ring is closed, or when `count` exceeds the capacity.
   */
  waitForFree(count: number, timeoutMs: number): boolean {
    if (count > this.capacity) return false;
    if (this.freeSlots() >= count) return true;
    this.commit();
    const idle = this.idleStrategy;
    idle.reset();
    const deadline = performance.now() + timeoutMs;
    this.wanted = count;
    try {
      for (;;) {
        if (this.mem.closed) return false;
        idle.idle(0);
        if (this.freeSlots() >= count) return true;
        if (performance.now() >= deadline) return false;
      }
    } finally {
      this.wanted = 1;
    }
  }

  /** Records claimed and not yet committed. */
  get pending(): number {
    return (this.claimLo - this.publishedLo) | 0;
  }

  /** Free slots as of now (re-reads the consumer cursor). */
  get free(): number {
    this.consumerLo = Atomics.load(this.words, CURSOR_INDEX);
    return this.capacity - ((this.claimLo - this.consumerLo) | 0);
  }

  ready(): boolean {
    return this.freeSlots() >= this.wanted || this.mem.closed;
  }

  private freeSlots(): number {
    this.consumerLo = Atomics.load(this.words, CURSOR_INDEX);
    return this.capacity - ((this.claimLo - this.consumerLo) | 0);
  }

  private hasSpace(): boolean {
    this.consumerLo = Atomics.load(this.words, CURSOR_INDEX);
    return ((this.claimLo - this.consumerLo) | 0) < this.capacity;
  }

  private take(): number {
    const lo = this.claimLo;
    const next = (lo + 1) | 0;
    this.claimLo = next;
    if (next === 0) this.claimHi++;
    return slotOffset(this.dataOffset, this.slotBytes, this.mask, lo);
  }
}
