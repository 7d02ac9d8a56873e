/**
 * Writes ORDER_INTENT records (src/core/schema) into the strategy's SPSC intent ring,
 * the only way a strategy's orders reach the oms (design §1). One record per intent,
 * published at once: intents come at order rate, and the oms should see each as soon
 * as it exists. Nothing here allocates except the bigints the caller passed in.
 */
import { EventType, RefSentinel } from '../../core/schema/constants.js';
import { EventBuffer } from '../../core/schema/event-buffer.js';
import { ORDER_INTENT } from '../../core/schema/offsets.js';
import type { SpscProducer } from '../../core/ring/spsc-producer.js';
import type { SpscRing } from '../../core/ring/spsc-ring.js';
import { RingStatus } from '../../core/ring/status.js';
import type { WaitStrategyName } from '../../core/ring/wait-strategy.js';
import { StrategyError, StrategyErrorCode } from './errors.js';

const SLOT_BYTES = 64;

export interface IntentFields {
  action: number;
  flags: number;
  instrument: number;
  orderType: number;
  tif: number;
  intentId: number;
  /** The strategy's number for the order (the NEW intent's id); 0 for CANCEL_ALL. */
  orderRef: number;
  /** null writes PRICE_UNDEF. */
  price: bigint | null;
  qty: bigint;
  createdTimeNs: bigint;
}

export interface IntentWriterStats {
  written: number;
  /** Claims that found the ring full and had to wait. */
  waitedFull: number;
}

export class IntentWriter {
  readonly strategyId: number;
  private readonly producer: SpscProducer;
  private readonly buf: EventBuffer;
  private readonly timeoutMs: number;
  /** The receive stamp of the event being handled, copied into every intent as words. */
  private triggerHi = -2147483648;
  private triggerLo = 0;
  private written = 0;
  private waitedFull = 0;

  constructor(ring: SpscRing, strategyId: number, opts: { wait?: WaitStrategyName; timeoutMs?: number } = {}) {
    if (ring.slotBytes !== SLOT_BYTES) throw new RangeError(`intent ring slots must be ${SLOT_BYTES} bytes, got ${ring.slotBytes}`);
    if (!Number.isInteger(strategyId) || strategyId <= RefSentinel.STRATEGY_UNDEF || strategyId > 0xffffffff) {
      throw new RangeError(`strategyId must be an integer in 1..2^32-1, got ${strategyId}`);
    }
    this.strategyId = strategyId;
    this.producer = ring.producer(opts.wait ?? 'backoff');
    this.buf = new EventBuffer(ring.buffer);
    this.timeoutMs = opts.timeoutMs ?? 100;
  }

  /** Stamps later intents with the receive time of the record at `at` in `src` (tick-to-order). */
  setTrigger(src: EventBuffer, at: number): void {
    this.triggerHi = src.getHi(at);
    this.triggerLo = src.getLo(at);
  }

  /** Intents not caused by a market event (timers, start) carry TIME_UNDEF. */
  clearTrigger(): void {
    this.triggerHi = -2147483648;
    this.triggerLo = 0;
  }

  write(f: IntentFields): void {
    let at = this.producer.tryClaim();
    if (at === RingStatus.FULL) {
      this.waitedFull++;
      at = this.producer.claim(this.timeoutMs);
    }
    if (at === RingStatus.TIMED_OUT || at === RingStatus.FULL) {
      throw new StrategyError(StrategyErrorCode.RING_FULL, `intent ring stayed full for ${this.timeoutMs} ms: the oms is not draining it`);
    }
    if (at === RingStatus.CLOSED) throw new StrategyError(StrategyErrorCode.RING_CLOSED, 'intent ring is closed: the engine is stopping');
    const b = this.buf;
    b.clear(at, SLOT_BYTES);
    b.setU8(at + ORDER_INTENT.type, EventType.ORDER_INTENT);
    b.setU8(at + ORDER_INTENT.action, f.action);
    b.setU16(at + ORDER_INTENT.flags, f.flags);
    b.setU32(at + ORDER_INTENT.instrument, f.instrument);
    b.setU32(at + ORDER_INTENT.strategyId, this.strategyId);
    b.setU8(at + ORDER_INTENT.orderType, f.orderType);
    b.setU8(at + ORDER_INTENT.tif, f.tif);
    b.setI64Number(at + ORDER_INTENT.intentId, f.intentId);
    b.setI64Number(at + ORDER_INTENT.clientOrderId, f.orderRef);
    if (f.price === null) b.setUndef(at + ORDER_INTENT.price);
    else b.setI64(at + ORDER_INTENT.price, f.price);
    b.setI64(at + ORDER_INTENT.qty, f.qty);
    b.setI64(at + ORDER_INTENT.createdTimeNs, f.createdTimeNs);
    b.setWords(at + ORDER_INTENT.triggerRecvTimeNs, this.triggerHi, this.triggerLo);
    this.producer.commit();
    this.written++;
  }

  stats(): IntentWriterStats {
    return { written: this.written, waitedFull: this.waitedFull };
  }
}
