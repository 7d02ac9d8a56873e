/**
 * The producing side of a 1→N broadcast ring. It never waits for anyone: it overwrites
 * the oldest slot whether or not every consumer has read it. To let a consumer tell an
 * intact copy from an overwritten one, it first publishes a claim (Aeron's "tail
 * intent"): every position below the claim may be being written. A consumer that copied
 * the record at `p` and then sees `claim - p <= capacity` knows slot p still held p
 * (position p + capacity, the next user of that slot, was not yet claimed).
 *
 * Order per batch: claim store → fill slots → publish store. `reserve(n)` claims a whole
 * batch with one store; `claim()` without a reservation claims one record at a time.
 */
import { CLAIM_INDEX, PUBLISHED_INDEX, PRODUCER_NOTIFIES_INDEX, consumerParkIndex, slotOffset } from './descriptor.js';
import { RingError, RingErrorCode } from './errors.js';
import { positionHi, positionLo, storePosition } from './position.js';
import type { RingMemory } from './ring-memory.js';
import { wakeParked } from './wait-strategy.js';

export class BroadcastProducer {
  readonly words: Int32Array;
  /** The ring's memory; claimed offsets index into it. */
  readonly view: DataView;
  private readonly capacity: number;
  private readonly mask: number;
  private readonly slotBytes: number;
  private readonly dataOffset: number;
  private readonly parkIndexes: Int32Array;
  private claimLo: number;
  private claimHi: number;
  private publishedLo: number;
  private publishedHi: number;
  /** Published claim limit: positions below it may be being written. */
  private limitLo: number;
  private limitHi: number;

  constructor(mem: RingMemory) {
    this.words = mem.words;
    this.view = mem.view;
    const { capacity, mask, slotBytes, dataOffset, consumers } = mem.layout;
    this.capacity = capacity;
    this.mask = mask;
    this.slotBytes = slotBytes;
    this.dataOffset = dataOffset;
    this.parkIndexes = new Int32Array(consumers);
    for (let i = 0; i < consumers; i++) this.parkIndexes[i] = consumerParkIndex(i);
    const start = mem.position(PUBLISHED_INDEX);
    this.claimLo = this.publishedLo = positionLo(start);
    this.claimHi = this.publishedHi = positionHi(start);
    const limit = mem.position(CLAIM_INDEX);
    this.limitLo = positionLo(limit);
    this.limitHi = positionHi(limit);
  }

  /** Announces the next `count` (1..capacity) claims with one store. */
  reserve(count: number): void {
    if (!(Number.isInteger(count) && count >= 1 && count <= this.capacity)) {
      throw new RingError(RingErrorCode.RESERVE, `reserve(${count}): count must be an integer in 1..${this.capacity}`);
    }
    const lo = (this.claimLo + count) | 0;
    if (((lo - this.limitLo) | 0) > 0) this.raiseLimit(lo, (lo >>> 0) < (this.claimLo >>> 0) ? this.claimHi + 1 : this.claimHi);
  }

  /** Claims the next slot and returns its byte offset in `view`. Never fails. */
  claim(): number {
    const lo = this.claimLo;
    const next = (lo + 1) | 0;
    if (lo === this.limitLo) this.raiseLimit(next, next === 0 ? this.claimHi + 1 : this.claimHi);
    this.claimLo = next;
    if (next === 0) this.claimHi++;
    return slotOffset(this.dataOffset, this.slotBytes, this.mask, lo);
  }

  /** Publishes every claimed record; wakes the consumers that parked. */
  commit(): void {
    const lo = this.claimLo;
    if (lo === this.publishedLo) return;
    const w = this.words;
    storePosition(w, PUBLISHED_INDEX, lo, this.claimHi, this.publishedHi);
    this.publishedLo = lo;
    this.publishedHi = this.claimHi;
    const parks = this.parkIndexes;
    for (let i = 0; i < parks.length; i++) wakeParked(w, parks[i]!, PRODUCER_NOTIFIES_INDEX);
  }

  private raiseLimit(lo: number, hi: number): void {
    storePosition(this.words, CLAIM_INDEX, lo, hi, this.limitHi);
    this.limitLo = lo;
    this.limitHi = hi;
  }
}
