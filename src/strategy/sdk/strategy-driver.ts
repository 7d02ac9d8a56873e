/**
 * Runs one strategy over records: turns what arrives on its rings (BOOK_CHANGED,
 * TRADE, ORDER_UPDATE) into typed events (book and trade events are reused views over
 * the record in its slot, see event-views.ts), keeps the context's order view current, fires
 * due timers and calls the handlers. The worker host wraps it with rings, a duty cycle
 * and a watchdog; a backtest drives it from recorded data with a simulated clock. The
 * driver itself never waits and never reads a clock except through the context.
 *
 * A handler that throws does not stop the strategy: the error is counted and passed to
 * `onError` (default: logged through ctx.log). Policy (stop after N errors, freeze the
 * strategy) belongs to the host.
 */
import type { InstrumentRegistry } from '../../core/instruments/registry.js';
import type { RecordHandler } from '../../core/ring/status.js';
import { EventType } from '../../core/schema/constants.js';
import { EventBuffer } from '../../core/schema/event-buffer.js';
import { BOOK_CHANGED, COMMON, MD_TRADE, ORDER_UPDATE } from '../../core/schema/offsets.js';
import type { AnyStrategy } from './define-strategy.js';
import type { BookEvent, OrderEvent, TimerEvent, TradeEvent } from './events.js';
import { BookEventView, TradeEventView } from './event-views.js';
import type { RingStrategyContext } from './ring-context.js';

export type DriverPhase = 'idle' | 'running' | 'stopped';

export interface DriverStats {
  books: number;
  trades: number;
  orders: number;
  timers: number;
  handlerErrors: number;
  /** Records of a type the driver does not hand to strategies. */
  ignored: number;
  /** Records for an instrument id the registry does not know. */
  unknownInstrument: number;
  /** Records that arrived before start or after stop. */
  dropped: number;
}

export interface DriverOptions {
  onError?: (err: unknown, where: string) => void;
}

type Handler<E> = ((ctx: never, event: E) => void) | undefined;

export class StrategyDriver<P = Record<string, unknown>, S = unknown> {
  readonly strategy: AnyStrategy;
  readonly ctx: RingStrategyContext<P>;
  private readonly registry: InstrumentRegistry;
  private readonly onError: (err: unknown, where: string) => void;
  private readonly bookEvent: BookEventView;
  private readonly tradeEvent = new TradeEventView();
  private phase: DriverPhase = 'idle';
  private lastBuffer: ArrayBufferLike | null = null;
  private lastEventBuffer: EventBuffer | null = null;
  private readonly counts: DriverStats = { books: 0, trades: 0, orders: 0, timers: 0, handlerErrors: 0, ignored: 0, unknownInstrument: 0, dropped: 0 };

  /** For ring consumers: `consumer.poll(driver.onRecord)`. */
  readonly onRecord: RecordHandler;

  constructor(strategy: AnyStrategy, ctx: RingStrategyContext<P>, registry: InstrumentRegistry, opts: DriverOptions = {}) {
    this.strategy = strategy;
    this.ctx = ctx;
    this.registry = registry;
    this.onError = opts.onError ?? ((err, where) => ctx.log.error({ err, strategy: ctx.strategy }, `strategy ${ctx.strategy}: ${where} threw`));
    this.bookEvent = new BookEventView((symbol) => ctx.book(symbol));
    this.onRecord = (view, offset) => this.dispatch(this.eventBufferOf(view), offset);
  }

  get state(): DriverPhase {
    return this.phase;
  }

  /** Calls onStart with the state handed over by a predecessor (if any). */
  async start(state?: S): Promise<void> {
    if (this.phase !== 'idle') throw new Error(`strategy ${this.ctx.strategy} was already started`);
    this.phase = 'running';
    this.ctx.clearTrigger();
    const onStart = this.strategy.onStart as ((ctx: unknown, state: unknown) => unknown) | undefined;
    if (onStart !== undefined) await onStart(this.ctx, state);
  }

  /** Calls onStop and returns the state to hand over; events after this are dropped. */
  async stop(): Promise<S | undefined> {
    if (this.phase !== 'running') return undefined;
    this.phase = 'stopped';
    this.ctx.clearTrigger();
    const onStop = this.strategy.onStop as ((ctx: unknown) => unknown) | undefined;
    return onStop === undefined ? undefined : ((await onStop(this.ctx)) as S);
  }

  /** Handles the record at byte `at` of `buf`. */
  dispatch(buf: EventBuffer, at: number): void {
    if (this.phase !== 'running') {
      this.counts.dropped++;
      return;
    }
    const type = buf.getU8(at + COMMON.type);
    if (type !== EventType.BOOK_CHANGED && type !== EventType.TRADE && type !== EventType.ORDER_UPDATE) {
      this.counts.ignored++;
      return;
    }
    const inst = this.registry.byId(buf.getU32(at + COMMON.instrument));
    if (inst === undefined) {
      this.counts.unknownInstrument++;
      return;
    }
    if (type === EventType.BOOK_CHANGED) {
      this.counts.books++;
      const h = this.strategy.onBook as Handler<BookEvent>;
      if (h === undefined) return;
      const ev = this.bookEvent;
      ev.load(buf, at, inst.symbol);
      this.ctx.setTrigger(buf, at + BOOK_CHANGED.recvTimeNs);
      this.call(h, ev, 'onBook');
      ev.release();
    } else if (type === EventType.TRADE) {
      this.counts.trades++;
      const h = this.strategy.onTrade as Handler<TradeEvent>;
      if (h === undefined) return;
      const ev = this.tradeEvent;
      ev.load(buf, at, inst.symbol);
      this.ctx.setTrigger(buf, at + MD_TRADE.recvTimeNs);
      this.call(h, ev, 'onTrade');
      ev.release();
    } else {
      this.counts.orders++;
      // The order view is updated even when the strategy has no onOrder.
      const ev = this.ctx.orders.apply({
        ref: buf.getU64Number(at + ORDER_UPDATE.clientOrderId),
        instrument: inst.symbol,
        state: buf.getU8(at + ORDER_UPDATE.state),
        flags: buf.getU16(at + ORDER_UPDATE.flags),
        reason: buf.getU16(at + ORDER_UPDATE.reason),
        feeAsset: buf.getU16(at + ORDER_UPDATE.feeAsset),
        filledQty: buf.getI64(at + ORDER_UPDATE.filledQty),
        leavesQty: buf.getI64(at + ORDER_UPDATE.leavesQty),
        lastPx: buf.getI64(at + ORDER_UPDATE.lastPx),
        lastQty: buf.getI64(at + ORDER_UPDATE.lastQty),
        fee: buf.getI64(at + ORDER_UPDATE.fee),
      });
      const h = this.strategy.onOrder as Handler<OrderEvent>;
      if (h === undefined) return;
      this.ctx.clearTrigger();
      this.call(h, ev, 'onOrder');
    }
  }

  /** Fires every timer due by the context's clock; returns how many fired. */
  runTimers(): number {
    if (this.phase !== 'running' || this.ctx.timers.size === 0) return 0;
    const due = this.ctx.timers.takeDue(this.ctx.clock.nowNs());
    const h = this.strategy.onTimer as Handler<TimerEvent>;
    this.counts.timers += due.length;
    if (h === undefined) return due.length;
    this.ctx.clearTrigger();
    for (const ev of due) this.call(h, ev, `onTimer(${ev.name})`);
    return due.length;
  }

  /** Earliest timer due time (clock ns), or null: how long a host may wait for records. */
  nextTimerDueNs(): bigint | null {
    return this.ctx.timers.nextDueNs();
  }

  stats(): DriverStats {
    return { ...this.counts };
  }

  private call<E>(h: (ctx: never, event: E) => void, ev: E, where: string): void {
    try {
      const r = (h as (ctx: unknown, event: E) => unknown)(this.ctx, ev);
      if (typeof r === 'object' && r !== null && typeof (r as Promise<unknown>).then === 'function') {
        (r as Promise<unknown>).then(undefined, (err: unknown) => this.failed(err, where));
      }
    } catch (err) {
      this.failed(err, where);
    }
  }

  private failed(err: unknown, where: string): void {
    this.counts.handlerErrors++;
    try {
      this.onError(err, where);
    } catch {
      // An error reporter that throws must not take the strategy down with it.
    }
  }

  private eventBufferOf(view: DataView): EventBuffer {
    if (view.buffer !== this.lastBuffer || this.lastEventBuffer === null) {
      this.lastBuffer = view.buffer;
      this.lastEventBuffer = new EventBuffer(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength);
    }
    return this.lastEventBuffer;
  }
}
