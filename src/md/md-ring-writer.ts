/**
 * The producing side of the md ring on the io thread: venue frames and snapshot bodies
 * are decoded straight into ring slots (the decoder writes a whole message in place from
 * the producer's next slot, then the slots are claimed and published with one commit),
 * and the engine writes its own markers (BOOK_CLEAR on a lost connection) between
 * messages, so the book worker sees every venue message whole and in arrival order.
 *
 * A message that does not fit the free slots (NEED_SPACE) waits for the book worker with
 * the io thread's wait strategy, at most `maxWaitMs`, counted as backpressure. Past that
 * bound, or when the message is larger than the whole ring, it is dropped and counted:
 * a dropped depth message is a gap the book's sync detects and repairs.
 */
import type { SpscRing } from '../core/ring/spsc-ring.js';
import type { SpscProducer } from '../core/ring/spsc-producer.js';
import type { WaitOptions, WaitStrategyName } from '../core/ring/wait-strategy.js';
import { EventBuffer } from '../core/schema/event-buffer.js';
import { IdSentinel, MdFlag, Sentinel, Source } from '../core/schema/constants.js';
import { MD_MARKER } from '../core/schema/offsets.js';
import type { MdFrameDecoder } from './md-venue.js';

/** Outcomes beyond the decoder's own statuses. */
export const MdWrite = {
  /** Waited maxWaitMs for ring space: dropped. */
  DROPPED_TIMEOUT: -1001,
  /** Needs more slots than the ring has: dropped. */
  DROPPED_TOO_SMALL: -1002,
} as const;

export interface MdRingWriterCounters {
  /** Messages that had to wait for ring space. */
  ringFull: number;
  droppedTimeout: number;
  droppedTooSmall: number;
}

interface Geometry {
  dataOffset: number;
  slotBytes: number;
  mask: number;
  startPos: number;
  freeSlots: number;
}

export class MdRingWriter {
  readonly counters: MdRingWriterCounters = { ringFull: 0, droppedTimeout: 0, droppedTooSmall: 0 };
  private readonly producer: SpscProducer;
  private readonly buffer: SharedArrayBuffer;
  private readonly events: EventBuffer;
  private readonly capacity: number;
  /** One mutable geometry object, so a decode call creates nothing. */
  private readonly geometry: Geometry;

  constructor(
    ring: SpscRing,
    wait: WaitStrategyName | WaitOptions,
    private readonly decoder: MdFrameDecoder,
    private readonly needSpace: number,
    private readonly maxWaitMs: number,
  ) {
    if (ring.slotBytes !== 64) throw new RangeError(`the md ring must have 64-byte slots, not ${ring.slotBytes}`);
    this.producer = ring.producer(wait);
    this.buffer = ring.buffer;
    this.events = new EventBuffer(ring.buffer);
    this.capacity = ring.capacity;
    this.geometry = { dataOffset: ring.layout.dataOffset, slotBytes: 64, mask: ring.layout.mask, startPos: 0, freeSlots: 0 };
  }

  /** Decodes one venue frame into the ring: slots written, or a negative status. */
  writeFrame(frame: Uint8Array, recvNs: bigint): number {
    const g = this.place();
    let n = this.decoder.decodeInto(frame, recvNs, this.buffer, g);
    if (n === this.needSpace) {
      const st = this.makeRoom(this.decoder.result.slots);
      if (st < 0) return st;
      n = this.decoder.decodeInto(frame, recvNs, this.buffer, this.place());
    }
    if (n > 0) this.publish(n);
    return n;
  }

  /** Decodes a REST depth snapshot of `instrumentId` into the ring. */
  writeSnapshot(body: Uint8Array, instrumentId: number, recvNs: bigint): number {
    const g = this.place();
    let n = this.decoder.decodeSnapshotInto(body, instrumentId, recvNs, this.buffer, g);
    if (n === this.needSpace) {
      const st = this.makeRoom(this.decoder.result.slots);
      if (st < 0) return st;
      n = this.decoder.decodeSnapshotInto(body, instrumentId, recvNs, this.buffer, this.place());
    }
    if (n > 0) this.publish(n);
    return n;
  }

  /**
   * Writes one engine marker (MdMarker: BOOK_CLEAR, …) for `instrument` as a message of
   * its own. Returns 1, or a drop status when no slot freed up in time.
   */
  writeMarker(type: number, instrument: number, reason: number, recvNs: bigint): number {
    if (this.makeRoom(1) < 0) return MdWrite.DROPPED_TIMEOUT;
    const at = this.geometry.dataOffset + this.producer.nextSlot * 64;
    const e = this.events;
    e.clear(at, 64);
    e.setU8(at + MD_MARKER.type, type);
    e.setU8(at + MD_MARKER.source, Source.ENGINE);
    e.setU16(at + MD_MARKER.flags, MdFlag.BATCH_END);
    e.setU32(at + MD_MARKER.instrument, instrument);
    e.setU64(at + MD_MARKER.seq, IdSentinel.SEQ_UNDEF);
    e.setI64(at + MD_MARKER.exchTimeNs, Sentinel.TIME_UNDEF);
    e.setI64(at + MD_MARKER.recvTimeNs, recvNs);
    e.setU16(at + MD_MARKER.reason, reason);
    e.setU64(at + MD_MARKER.firstSeq, IdSentinel.SEQ_UNDEF);
    e.setU64(at + MD_MARKER.prevSeq, IdSentinel.SEQ_UNDEF);
    this.publish(1);
    return 1;
  }

  /** Slots free right now. */
  get free(): number {
    return this.producer.free;
  }

  private place(): Geometry {
    const g = this.geometry;
    g.freeSlots = this.producer.free;
    g.startPos = this.producer.nextSlot;
    return g;
  }

  private makeRoom(slots: number): number {
    if (slots > this.capacity) {
      this.counters.droppedTooSmall++;
      return MdWrite.DROPPED_TOO_SMALL;
    }
    if (this.producer.free >= slots) return 0;
    this.counters.ringFull++;
    if (this.producer.waitForFree(slots, this.maxWaitMs)) return 0;
    this.counters.droppedTimeout++;
    return MdWrite.DROPPED_TIMEOUT;
  }

  private publish(slots: number): void {
    this.producer.claimWritten(slots);
    this.producer.commit();
  }
}
