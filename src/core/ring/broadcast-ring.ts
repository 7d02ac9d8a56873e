/**
 * A 1→N broadcast ring over one SharedArrayBuffer: one producer that never waits, up to
 * `consumers` readers, each with its own cursor, park word and counters, subscribed by
 * index (from config, so every thread agrees who is who). The producer's speed is never
 * set by its slowest reader: a reader that falls a whole ring behind is told LAPPED and
 * resyncs from shared state (for the book ring: re-reads the seqlocked books).
 */
import {
  PRODUCER_NOTIFIES_INDEX,
  PUBLISHED_INDEX,
  RingKind,
  consumerInUseIndex,
  consumerLappedIndex,
  consumerLostIndex,
  consumerParkIndex,
  consumerParksIndex,
  consumerTornIndex,
  cursorIndex,
  type RingLayout,
} from './descriptor.js';
import { BroadcastConsumer } from './broadcast-consumer.js';
import { BroadcastProducer } from './broadcast-producer.js';
import { RingError, RingErrorCode } from './errors.js';
import { fullPosition } from './position.js';
import { DEFAULT_SLOT_BYTES, RingMemory, type RingCreateOptions } from './ring-memory.js';
import type { WaitOptions, WaitStrategyName } from './wait-strategy.js';

export interface BroadcastRingOptions extends RingCreateOptions {
  /** Most consumers that can be subscribed at once (1..64). */
  consumers: number;
}

export interface BroadcastConsumerStats {
  index: number;
  subscribed: boolean;
  position: number;
  /** Published records this consumer has not read (can exceed capacity: it will lap). */
  lag: number;
  lapped: number;
  lost: number;
  /** Copies discarded because the producer reclaimed the slot while they were made. */
  torn: number;
  parks: number;
  parked: boolean;
}

export class BroadcastRing {
  private readonly mem: RingMemory;

  private constructor(mem: RingMemory) {
    this.mem = mem;
  }

  static create(opts: BroadcastRingOptions): BroadcastRing {
    return new BroadcastRing(
      RingMemory.create(
        RingKind.BROADCAST,
        { capacity: opts.capacity, slotBytes: opts.slotBytes ?? DEFAULT_SLOT_BYTES, consumers: opts.consumers },
        opts.initialPosition,
      ),
    );
  }

  /** Attaches to a ring another thread created; throws RingError if it is not one. */
  static attach(buffer: SharedArrayBuffer): BroadcastRing {
    return new BroadcastRing(RingMemory.attach(buffer, RingKind.BROADCAST));
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

  /** The producing side. One producer per ring; not policed. */
  producer(): BroadcastProducer {
    return new BroadcastProducer(this.mem);
  }

  /**
   * Takes consumer slot `index`, starting at the producer's current position. Throws
   * RingError RING_CONSUMER_IN_USE if another consumer holds it.
   */
  subscribe(index: number, wait: WaitStrategyName | WaitOptions = 'backoff'): BroadcastConsumer {
    const n = this.mem.layout.consumers;
    if (!(Number.isInteger(index) && index >= 0 && index < n)) {
      throw new RingError(RingErrorCode.CONSUMER_INDEX, `consumer index ${index} is outside 0..${n - 1}`);
    }
    if (Atomics.compareExchange(this.mem.words, consumerInUseIndex(index), 0, 1) !== 0) {
      throw new RingError(RingErrorCode.CONSUMER_IN_USE, `broadcast consumer ${index} is already subscribed`);
    }
    return new BroadcastConsumer(this.mem, index, wait, (i) => {
      Atomics.store(this.mem.words, consumerParkIndex(i), 0);
      Atomics.store(this.mem.words, consumerInUseIndex(i), 0);
    });
  }

  get closed(): boolean {
    return this.mem.closed;
  }

  /** Stops the ring: parked consumers wake, and poll returns CLOSED once drained. */
  close(): void {
    this.mem.close();
  }

  /** The producer's published position. */
  get published(): number {
    return this.mem.position(PUBLISHED_INDEX);
  }

  /** Consumer `index`'s cursor: the next position it will read. */
  consumerPosition(index: number): number {
    return this.mem.position(cursorIndex(index));
  }

  get producerNotifies(): number {
    return this.mem.words[PRODUCER_NOTIFIES_INDEX]! >>> 0;
  }

  consumerStats(index: number): BroadcastConsumerStats {
    const w = this.mem.words;
    const position = this.consumerPosition(index);
    const lost = consumerLostIndex(index);
    return {
      index,
      subscribed: Atomics.load(w, consumerInUseIndex(index)) !== 0,
      position,
      lag: this.published - position,
      lapped: w[consumerLappedIndex(index)]! >>> 0,
      lost: fullPosition(w[lost + 1]!, w[lost]!),
      torn: w[consumerTornIndex(index)]! >>> 0,
      parks: w[consumerParksIndex(index)]! >>> 0,
      parked: Atomics.load(w, consumerParkIndex(index)) !== 0,
    };
  }
}
