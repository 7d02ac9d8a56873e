/**
 * StrategyContext: the whole environment a strategy sees. Live, paper and backtest give
 * the same interface (design §8): a strategy imports nothing of the engine, so it cannot
 * tell, and does not need to tell, which one runs it.
 */
import type { Logger } from 'pino';
import type { Instrument } from '../../core/instruments/instrument.js';
import type { BookView } from './events.js';
import type { OrderStateName, OrderTypeName, SideName, TifName } from './names.js';

/** The id of an intent. The id of a `place` is also the order's reference. */
export type IntentId = number;
export type OrderRef = number;

export type RunMode = 'live' | 'paper' | 'backtest';

interface OrderCommon {
  /** Canonical symbol of the strategy's venue, e.g. 'BTCUSDT'. */
  instrument: string;
  side: SideName;
  /** Quantity mantissa at the instrument's qtyScale; > 0. */
  qty: bigint;
  /** Only reduce an open position. */
  reduceOnly?: boolean;
  /** A label for the strategy's own bookkeeping, echoed in order events (≤ 32 chars). */
  clientTag?: string;
}

export interface LimitOrder extends OrderCommon {
  type: 'limit';
  /** Price mantissa at the instrument's priceScale; > 0. */
  price: bigint;
  tif: TifName;
  /** Refuse to take liquidity (GTC only). */
  postOnly?: boolean;
}

export interface MarketOrder extends OrderCommon {
  type: 'market';
  /** A market order never rests: IOC (default) or FOK. */
  tif?: 'IOC' | 'FOK';
  price?: undefined;
  postOnly?: false;
}

export type PlaceOrder = LimitOrder | MarketOrder;

/** New price and/or new total quantity; what is left out stays as it is. */
export interface AmendFields {
  price?: bigint;
  qty?: bigint;
}

/** An order as this strategy knows it: from its intents and the oms's updates. */
export interface OpenOrder {
  readonly ref: OrderRef;
  readonly instrument: string;
  readonly side: SideName;
  readonly type: OrderTypeName;
  readonly tif: TifName;
  /** null for market orders. */
  readonly price: bigint | null;
  readonly qty: bigint;
  readonly filledQty: bigint;
  readonly leavesQty: bigint;
  readonly state: OrderStateName;
  readonly postOnly: boolean;
  readonly clientTag: string | undefined;
}

export interface Clock {
  /** Monotonic ns (CLOCK_MONOTONIC live, the replayed time in backtest). */
  nowNs(): bigint;
  /** Wall-clock ns since the Unix epoch (simulated in backtest). */
  epochNs(): bigint;
}

export type StrategyLogger = Pick<Logger, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'level'>;

export interface StrategyContext<P = Record<string, unknown>> {
  /** The strategy's name (config), which owns its orders across restarts and swaps. */
  readonly strategy: string;
  readonly mode: RunMode;
  /** The params, parsed by the strategy's own schema. */
  readonly params: Readonly<P>;
  readonly log: StrategyLogger;
  readonly clock: Clock;

  /** Sends a new order; returns its reference (also the intent id). */
  place(order: PlaceOrder): OrderRef;
  /** Asks to cancel an order; returns the intent id. */
  cancel(ref: OrderRef): IntentId;
  /** Asks to cancel every open order of this strategy, on one instrument or all. */
  cancelAll(instrument?: string): IntentId;
  /** Asks to change price and/or total quantity of an open order. */
  amend(ref: OrderRef, change: AmendFields): IntentId;

  /** Net position (qty mantissa, + long / − short) on one instrument. */
  positions(instrument: string): bigint;
  /** Every non-zero position, by symbol. */
  positions(): ReadonlyMap<string, bigint>;
  /** Orders not yet in a final state, oldest first. */
  openOrders(instrument?: string): readonly OpenOrder[];

  /** The shared book of an instrument. */
  book(instrument: string): BookView;
  /** Scales, tick and step of an instrument (to build mantissas). */
  instrument(symbol: string): Instrument;

  /** (Re)arms timer `name` to fire after `ms` (then every `ms` when `repeat`). */
  setTimer(name: string, ms: number, repeat?: boolean): void;
  /** Disarms a timer; false if it was not armed. */
  clearTimer(name: string): boolean;
}
