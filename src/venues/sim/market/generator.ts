/**
 * Generated order flow, deterministic from a seed: passive adds and cancels concentrated
 * near the touch, marketable orders that trade, and quiet/volatile regimes that switch at
 * random. Everything goes through the matching engine as FLOW_OWNER, so API orders rest
 * among, fill against and get swept by the same flow.
 *
 * Each symbol has its own PRNG (derived from the sim seed and the symbol's position), so
 * a symbol's event sequence does not depend on how symbols interleave in time.
 *
 * Pacing: `rate` events per second per symbol (volatile regime ×3), run from a timer in
 * slices (no busy loop); `'max'` generates batches every event-loop turn while consumers
 * keep up (isBackpressured() false); 0 generates nothing (use step() in tests).
 */
import { parseDecimal } from '../../../core/fixed/decimal.js';
import type { MatchingEngine } from '../matching/engine.js';
import type { OrderBook } from '../matching/order-book.js';
import { ASK, BID, type SideCode } from '../matching/resting-order.js';
import type { SimClock } from '../server/plugin.js';
import type { SimSymbolConfig } from './catalog.js';
import { deriveSeed, Xoshiro128 } from './prng.js';

export type FlowRate = number | 'max';

export interface GeneratorOptions {
  seed: number;
  rate: FlowRate;
  clock: SimClock;
  symbols: readonly SimSymbolConfig[];
  /** Flow orders a symbol's book tends towards (cancels speed up above it). Default 1500. */
  targetOrders?: number;
  /** Events per symbol generated per event-loop turn in 'max' mode. Default 64. */
  maxBatch?: number;
  /** 'max' mode waits while this says the consumers are behind. */
  isBackpressured?: () => boolean;
  /** Called after every slice of generated events (the publisher flushes its frames). */
  afterSlice?: () => void;
}

/**
 * Per-event mix. Passive prices are `behind` ticks from the own touch: with probability
 * nearShare geometric(nearP) (mean a few ticks), otherwise geometric(farP) (tens of ticks),
 * so the book is dense at the touch with a long thinner tail.
 */
const QUIET = { pMarketable: 0.05, nearShare: 0.75, nearP: 0.3, farP: 0.03, insideP: 0.1, takeScale: 1, rateMult: 1 };
const VOLATILE = { pMarketable: 0.15, nearShare: 0.6, nearP: 0.2, farP: 0.02, insideP: 0.3, takeScale: 2, rateMult: 3 };
type Regime = typeof QUIET;
/** Cancel share of non-marketable events at the target book size (it scales with size). */
const CANCEL_AT_TARGET = 0.5;
/** Per-event switch probabilities: quiet spells last ~4000 events, volatile ~800. */
const P_TO_VOLATILE = 1 / 4000;
const P_TO_QUIET = 1 / 800;
const MIN_LEVELS = 8;
const SEED_LEVELS = 150;
/** Events one symbol may run in one timer slice, so a late timer cannot block the loop. */
const MAX_EVENTS_PER_SLICE = 20_000;

class SymbolFlow {
  readonly rng: Xoshiro128;
  readonly tick: number;
  readonly step: number;
  readonly typicalSteps: number;
  readonly startPrice: number;
  readonly openIds: number[] = [];
  volatile = false;
  trendUp = true;
  credit = 0;
  events = 0;

  constructor(
    readonly book: OrderBook,
    cfg: SimSymbolConfig,
    priceScale: number,
    qtyScale: number,
    tick: bigint,
    step: bigint,
    seed: number,
  ) {
    this.rng = new Xoshiro128(seed);
    this.tick = Number(tick);
    this.step = Number(step);
    this.startPrice = Number(parseDecimal(cfg.startPrice, priceScale));
    const typical = cfg.typicalQty ? Number(parseDecimal(cfg.typicalQty, qtyScale)) : this.step * 100;
    this.typicalSteps = Math.max(1, Math.round(typical / this.step));
  }
}

export class MarketGenerator {
  private readonly flows: SymbolFlow[] = [];
  private rate: FlowRate;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private running = false;
  private lastSliceMs = 0;
  private readonly targetOrders: number;
  private readonly maxBatch: number;

  constructor(
    private readonly engine: MatchingEngine,
    private readonly options: GeneratorOptions,
  ) {
    this.rate = options.rate;
    this.targetOrders = options.targetOrders ?? 1500;
    this.maxBatch = options.maxBatch ?? 64;
    options.symbols.forEach((cfg, i) => {
      const inst = engine.instrument(cfg.symbol);
      this.flows.push(new SymbolFlow(engine.book(cfg.symbol), cfg, inst.priceScale, inst.qtyScale, inst.tickSize, inst.stepSize, deriveSeed(options.seed, i)));
    });
  }

  /** Puts an initial ladder on every book (1-3 orders on each of SEED_LEVELS levels per side). */
  seedBooks(): void {
    const now = this.options.clock.nowMs();
    for (const f of this.flows) {
      for (let lvl = 0; lvl < SEED_LEVELS; lvl++) {
        for (const side of [BID, ASK] as const) {
          const px = side === BID ? f.startPrice - f.tick * (lvl + 1) : f.startPrice + f.tick * (lvl + 1);
          if (px <= 0) continue;
          const n = 1 + f.rng.int(3);
          for (let k = 0; k < n; k++) this.add(f, side, px, this.qty(f, 1), now);
        }
      }
    }
    this.options.afterSlice?.();
  }

  get currentRate(): FlowRate {
    return this.rate;
  }

  setRate(rate: FlowRate): void {
    this.rate = rate;
    if (this.running) {
      this.stop();
      this.start();
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastSliceMs = performance.now();
    for (const f of this.flows) f.credit = 0;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = null;
    }
  }

  /** Runs `n` events for every symbol (or just `symbol`) right now. Returns events run. */
  step(n: number, symbol?: string): number {
    let done = 0;
    const now = this.options.clock.nowMs();
    for (const f of this.flows) {
      if (symbol !== undefined && f.book.symbol !== symbol) continue;
      for (let i = 0; i < n; i++) this.event(f, now);
      done += n;
    }
    this.options.afterSlice?.();
    return done;
  }

  /** Events generated per symbol so far. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const f of this.flows) out[f.book.symbol] = f.events;
    return out;
  }

  private schedule(): void {
    if (!this.running) return;
    if (this.rate === 'max') {
      this.timer = this.options.isBackpressured?.() ? setTimeout(() => this.maxSlice(), 1) : setImmediate(() => this.maxSlice());
      return;
    }
    if (this.rate <= 0) return;
    // Wake about every 1/rate seconds, between 1 ms and 50 ms, and run what is due.
    const interval = Math.min(50, Math.max(1, Math.floor(1000 / this.rate)));
    this.timer = setTimeout(() => this.pacedSlice(), interval);
  }

  private maxSlice(): void {
    this.timer = null;
    if (!this.running) return;
    if (!this.options.isBackpressured?.()) {
      const now = this.options.clock.nowMs();
      for (let i = 0; i < this.maxBatch; i++) for (const f of this.flows) this.event(f, now);
      this.options.afterSlice?.();
    }
    this.schedule();
  }

  private pacedSlice(): void {
    this.timer = null;
    if (!this.running || this.rate === 'max') return;
    const t = performance.now();
    const elapsed = t - this.lastSliceMs;
    this.lastSliceMs = t;
    const now = this.options.clock.nowMs();
    for (const f of this.flows) {
      f.credit += (elapsed * this.rate * (f.volatile ? VOLATILE.rateMult : QUIET.rateMult)) / 1000;
      const due = Math.min(Math.floor(f.credit), MAX_EVENTS_PER_SLICE);
      f.credit -= due;
      if (f.credit > MAX_EVENTS_PER_SLICE) f.credit = 0; // never owe more than a slice
      for (let i = 0; i < due; i++) this.event(f, now);
    }
    this.options.afterSlice?.();
    this.schedule();
  }

  private event(f: SymbolFlow, now: number): void {
    f.events++;
    const rng = f.rng;
    if (f.volatile ? rng.chance(P_TO_QUIET) : rng.chance(P_TO_VOLATILE)) {
      f.volatile = !f.volatile;
      f.trendUp = rng.chance(0.5);
    }
    const regime = f.volatile ? VOLATILE : QUIET;
    const book = f.book;
    // Keep both sides stocked so the touch always exists.
    if (book.bids.size < MIN_LEVELS) return this.passive(f, BID, regime, now);
    if (book.asks.size < MIN_LEVELS) return this.passive(f, ASK, regime, now);
    if (rng.chance(regime.pMarketable)) return this.marketable(f, now);
    const pCancel = Math.min(0.9, (CANCEL_AT_TARGET * book.open.size) / this.targetOrders);
    if (rng.chance(pCancel) && this.cancelOne(f, now)) return;
    this.passive(f, rng.chance(0.5) ? BID : ASK, regime, now);
  }

  /** A resting order at or behind the touch, sometimes improving it inside the spread. */
  private passive(f: SymbolFlow, side: SideCode, regime: Regime, now: number): void {
    const rng = f.rng;
    const book = f.book;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    let px: number;
    if (bid > 0 && ask > 0 && ask - bid > f.tick && rng.chance(regime.insideP)) {
      const inside = 1 + rng.int(Math.min((ask - bid) / f.tick - 1, 3));
      px = side === BID ? bid + inside * f.tick : ask - inside * f.tick;
    } else {
      const own = side === BID ? bid : ask;
      const other = side === BID ? ask : bid;
      const touch = own > 0 ? own : other > 0 ? (side === BID ? other - f.tick : other + f.tick) : f.startPrice;
      const behind = (rng.chance(regime.nearShare) ? rng.geometric(regime.nearP, 50) : rng.geometric(regime.farP, 400)) * f.tick;
      px = side === BID ? touch - behind : touch + behind;
    }
    if (px <= 0) px = f.tick;
    this.add(f, side, px, this.qty(f, 1), now);
  }

  private marketable(f: SymbolFlow, now: number): void {
    const rng = f.rng;
    const regime = f.volatile ? VOLATILE : QUIET;
    const side: SideCode = f.volatile ? (rng.chance(0.65) === f.trendUp ? BID : ASK) : rng.chance(0.5) ? BID : ASK;
    // One in ten marketable orders is large enough to sweep several levels.
    const qty = this.qty(f, regime.takeScale * (rng.chance(0.1) ? 6 : 1));
    if (rng.chance(0.15)) {
      this.engine.submitFlow(f.book, side, 'MARKET', 'GTC', 0, qty, now);
      return;
    }
    const opposite = side === BID ? f.book.bestAsk() : f.book.bestBid();
    const through = rng.geometric(0.6, 5) * f.tick;
    const px = side === BID ? opposite + through : Math.max(f.tick, opposite - through);
    this.engine.submitFlow(f.book, side, 'LIMIT', 'IOC', px, qty, now);
  }

  private cancelOne(f: SymbolFlow, now: number): boolean {
    for (let tries = 0; tries < 4 && f.openIds.length > 0; tries++) {
      const i = f.rng.int(f.openIds.length);
      const id = f.openIds[i] as number;
      f.openIds[i] = f.openIds[f.openIds.length - 1] as number;
      f.openIds.pop();
      if (this.engine.cancelFlow(f.book, id, now)) return true;
    }
    return false;
  }

  private add(f: SymbolFlow, side: SideCode, px: number, qty: number, now: number): void {
    const id = this.engine.submitFlow(f.book, side, 'LIMIT', 'GTC', px, qty, now);
    if (id > 0) f.openIds.push(id);
  }

  /** A quantity in whole steps: typical × scale × Exp(1), at least one step. */
  private qty(f: SymbolFlow, scale: number): number {
    const steps = Math.max(1, Math.round(f.typicalSteps * scale * f.rng.exp()));
    return Math.min(steps, f.typicalSteps * 50) * f.step;
  }
}
