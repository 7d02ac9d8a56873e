/**
 * A lossless single-producer single-consumer ring over one SharedArrayBuffer. Created in
 * one thread, attached in another from the buffer; each thread takes its side:
 *
 *     const ring = SpscRing.create({ capacity: 4096 });      // thread A
 *     worker.postMessage(ring.buffer);
 *     const out = ring.producer('block');                     // thread A
 *     const inn = SpscRing.attach(buffer).consumer('block');  // thread B
 *
 * Exactly one producer and one consumer may exist at a time; the ring does not police
 * this (it would cost a shared word per side).
 */
import {
  PRODUCER_FULL_INDEX,
  PRODUCER_NOTIFIES_INDEX,
  PRODUCER_PARKS_INDEX,
  PRODUCER_PARK_INDEX,
  PUBLISHED_INDEX,
  RingKind,
  consumerNotifiesIndex,
  consumerParkIndex,
  consumerParksIndex,
  cursorIndex,
  type RingLayout,
} from './descriptor.js';
import { DEFAULT_SLOT_BYTES, RingMemory, type RingCreateOptions } from './ring-memory.js';
import { SpscConsumer } from './spsc-consumer.js';
import { SpscProducer } from './spsc-producer.js';
import type { WaitOptions, WaitStrategyName } from './wait-strategy.js';

export interface SpscRingStats {
  published: number;
  consumed: number;
  /** tryClaim calls that found the ring full. */
  full: number;
  producerParks: number;
  consumerParks: number;
  /** Notifies the producer sent to a parked consumer. */
  producerNotifies: number;
  /** Notifies the consumer sent to a parked producer. */
  consumerNotifies: number;
  /** Whether each side is parked right now (block strategy). */
  producerParked: boolean;
  consumerParked: boolean;
  closed: boolean;
}

export class SpscRing {
  private readonly mem: RingMemory;

  private constructor(mem: RingMemory) {
    this.mem = mem;
  }

  static create(opts: RingCreateOptions): SpscRing {
    return new SpscRing(
      RingMemory.create(
        RingKind.SPSC,
        { capacity: opts.capacity, slotBytes: opts.slotBytes ?? DEFAULT_SLOT_BYTES, consumers: 1 },
        opts.initialPosition,
      ),
    );
  }

  /** Attaches to a ring another thread created; throws RingError if it is not one. */
  static attach(buffer: SharedArrayBuffer): SpscRing {
    return new SpscRing(RingMemory.attach(buffer, RingKind.SPSC));
  }

  get buffer(): SharedArrayBuffer {
    return this.mem.buffer;
  }

  get layout(): RingLayout {
    return this.mem.layout;
  }

  get capacity(): number {
    return this.mem.layout.capacity;
  }

  get slotBytes(): number {
    return this.mem.layout.slotBytes;
  }

  /** The producing side, waiting with `wait` when full (default backoff). */
  producer(wait: WaitStrategyName | WaitOptions = 'backoff'): SpscProducer {
    return new SpscProducer(this.mem, wait);
  }

  /** The consuming side, idling with `wait` when empty (default backoff). */
  consumer(wait: WaitStrategyName | WaitOptions = 'backoff'): SpscConsumer {
    return new SpscConsumer(this.mem, wait);
  }

  get closed(): boolean {
    return this.mem.closed;
  }

  /** Stops both sides: parked ones wake; claim returns CLOSED; poll returns CLOSED once drained. */
  close(): void {
    this.mem.close();
  }

  stats(): SpscRingStats {
    const w = this.mem.words;
    return {
      published: this.mem.position(PUBLISHED_INDEX),
      consumed: this.mem.position(cursorIndex(0)),
      full: w[PRODUCER_FULL_INDEX]! >>> 0,
      producerParks: w[PRODUCER_PARKS_INDEX]! >>> 0,
      consumerParks: w[consumerParksIndex(0)]! >>> 0,
      producerNotifies: w[PRODUCER_NOTIFIES_INDEX]! >>> 0,
      consumerNotifies: w[consumerNotifiesIndex(0)]! >>> 0,
      producerParked: Atomics.load(w, PRODUCER_PARK_INDEX) !== 0,
      consumerParked: Atomics.load(w, consumerParkIndex(0)) !== 0,
      closed: this.mem.closed,
    };
  }
}
