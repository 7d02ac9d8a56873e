/**
 * One consumer of a broadcast ring. The producer may overwrite a slot at any time, so
 * records are copied out of shared memory in chunks, the chunk is checked against the
 * producer's claim, and only then are its records handed to the handler: the handler
 * never sees a torn record. One claim check (three atomic loads) covers a chunk of up
 * to COPY_CHUNK_BYTES; in V8 11 each Atomics call is a builtin call (~10 ns here), so
 * per-record checks would cost more than the copy.
 *
 * Why a chunk starting at position p is intact when `claim - p <= capacity` after the
 * copy: the producer stores the claim before it writes a slot, so had any copied word
 * come from position p + capacity (the next user of p's slot) or later, that claim
 * would be visible to the load that follows the copy. The copy uses plain loads: V8
 * keeps memory accesses in program order around an Atomics builtin call, and x86-64
 * does not reorder loads with loads (nor the producer's stores with stores).
 *
 * A consumer that fell more than a ring behind gets RingStatus.LAPPED (counted, with the
 * records lost), and its cursor jumps to the producer's position.
 */
import {
  CLAIM_INDEX,
  CLOSED_INDEX,
  PUBLISHED_INDEX,
  consumerLappedIndex,
  consumerLostIndex,
  consumerParkIndex,
  consumerParksIndex,
  consumerTornIndex,
  cursorIndex,
  slotOffset,
} from './descriptor.js';
import { POSITION_BUSY, TWO32, fullPosition, loadPosition, positionHi, positionLo, storePosition } from './position.js';
import type { RingMemory } from './ring-memory.js';
import { RingStatus, type RecordHandler } from './status.js';
import { createIdleStrategy, type IdleStrategy, type ParkTarget, type WaitOptions, type WaitStrategyName } from './wait-strategy.js';

/** Bytes copied per claim check: 16 events of 64 bytes. */
export const COPY_CHUNK_BYTES = 1024;

export class BroadcastConsumer implements ParkTarget {
  readonly index: number;
  readonly words: Int32Array;
  readonly parkIndex: number;
  readonly parksIndex: number;
  readonly idleStrategy: IdleStrategy;
  /** The private copy the handler reads. */
  readonly record: DataView;
  private readonly copy: Int32Array;
  private readonly chunkRecords: number;
  private readonly release: (index: number) => void;
  private readonly capacity: number;
  private readonly mask: number;
  private readonly slotBytes: number;
  private readonly dataOffset: number;
  private readonly cursorIndex: number;
  private lo: number;
  private hi: number;
  private lost = 0;

  constructor(mem: RingMemory, index: number, wait: WaitStrategyName | WaitOptions, release: (index: number) => void) {
    this.index = index;
    this.words = mem.words;
    const { capacity, mask, slotBytes, dataOffset } = mem.layout;
    this.capacity = capacity;
    this.mask = mask;
    this.slotBytes = slotBytes;
    this.dataOffset = dataOffset;
    this.parkIndex = consumerParkIndex(index);
    this.parksIndex = consumerParksIndex(index);
    this.cursorIndex = cursorIndex(index);
    this.release = release;
    this.chunkRecords = Math.max(1, Math.min(capacity, Math.floor(COPY_CHUNK_BYTES / slotBytes)));
    const bytes = new ArrayBuffer(this.chunkRecords * slotBytes);
    this.copy = new Int32Array(bytes);
    this.record = new DataView(bytes);
    // A new subscriber starts at the producer's position: it sees what is published next.
    const start = mem.position(PUBLISHED_INDEX);
    this.lo = positionLo(start);
    this.hi = positionHi(start);
    storePosition(this.words, this.cursorIndex, this.lo, this.hi, -2);
    this.idleStrategy = createIdleStrategy(this, wait);
  }

  /** Position of the next record this consumer will read. */
  get position(): number {
    return fullPosition(this.hi, this.lo);
  }

  /**
   * Hands up to `limit` records to `handler`, in order, each a validated private copy
   * (in `record`, at the offset the handler is given);
   * returns how many, 0 when none, RingStatus.CLOSED once closed and drained, or
   * RingStatus.LAPPED when records were overwritten before this consumer read them (the
   * records already handed over in this call stand; what follows is a gap).
   */
  poll(handler: RecordHandler, limit = this.capacity): number {
    const w = this.words;
    const published = loadPosition(w, PUBLISHED_INDEX);
    if (published === POSITION_BUSY) return 0;
    let pos = fullPosition(this.hi, this.lo);
    const lag = published - pos;
    if (lag === 0) return this.emptyResult();
    if (lag > this.capacity) return this.lapped(published, pos);
    const count = lag > limit ? (limit < 1 ? 0 : limit) : lag;
    const copy = this.copy;
    const slotWords = this.slotBytes >> 2;
    const record = this.record;
    let lo = this.lo;
    let delivered = 0;
    let overwritten = false;
    try {
      while (delivered < count) {
        const left = count - delivered;
        const n = left < this.chunkRecords ? left : this.chunkRecords;
        let from = lo;
        let to = 0;
        for (let r = 0; r < n; r++) {
          const base = slotOffset(this.dataOffset, this.slotBytes, this.mask, from) >> 2;
          for (let k = 0; k < slotWords; k++) copy[to++] = w[base + k]!;
          from = (from + 1) | 0;
        }
        const claim = loadPosition(w, CLAIM_INDEX);
        if (claim === POSITION_BUSY) break;
        if (claim - pos > this.capacity) {
          overwritten = true;
          break;
        }
        for (let r = 0; r < n; r++) {
          lo = (lo + 1) | 0;
          pos++;
          delivered++;
          handler(record, r * this.slotBytes, delivered === count);
        }
      }
    } finally {
      this.advance(lo);
    }
    if (overwritten) {
      const torn = consumerTornIndex(this.index);
      w[torn] = (w[torn]! + 1) | 0;
      const now = loadPosition(w, PUBLISHED_INDEX);
      return this.lapped(now === POSITION_BUSY ? published : now, pos);
    }
    return delivered;
  }

  /** Duty-cycle companion of poll: `consumer.idle(consumer.poll(h))` (LAPPED counts as work). */
  idle(workCount: number): void {
    this.idleStrategy.idle(workCount === 0 || workCount === RingStatus.CLOSED ? 0 : 1);
  }

  ready(): boolean {
    return Atomics.load(this.words, PUBLISHED_INDEX) !== this.lo || Atomics.load(this.words, CLOSED_INDEX) !== 0;
  }

  /** Gives the consumer slot back to the ring (another thread may subscribe to it). */
  unsubscribe(): void {
    this.release(this.index);
  }

  private advance(lo: number): void {
    if (lo === this.lo) return;
    const hi = (lo >>> 0) < (this.lo >>> 0) ? this.hi + 1 : this.hi;
    storePosition(this.words, this.cursorIndex, lo, hi, this.hi);
    this.lo = lo;
    this.hi = hi;
  }

  private lapped(target: number, from: number): number {
    const w = this.words;
    const lappedIndex = consumerLappedIndex(this.index);
    w[lappedIndex] = (w[lappedIndex]! + 1) | 0;
    this.lost += target - from;
    const lostIndex = consumerLostIndex(this.index);
    w[lostIndex] = this.lost % TWO32 | 0;
    w[lostIndex + 1] = Math.floor(this.lost / TWO32);
    const lo = positionLo(target);
    const hi = positionHi(target);
    storePosition(w, this.cursorIndex, lo, hi, this.hi === hi ? hi : -2);
    this.lo = lo;
    this.hi = hi;
    return RingStatus.LAPPED;
  }

  private emptyResult(): number {
    const w = this.words;
    if (Atomics.load(w, CLOSED_INDEX) === 0) return 0;
    return Atomics.load(w, PUBLISHED_INDEX) === this.lo ? RingStatus.CLOSED : 0;
  }
}
