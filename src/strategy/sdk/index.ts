/**
 * The strategy SDK: everything a strategy module imports. A strategy needs only
 * `defineStrategy`, `z`, `decimalParam` and the types; the rest is for the engine's
 * hosts (worker, paper, backtest) and for tests.
 */
export { z } from 'zod';
export { defineStrategy, isStrategy, strategyFromModule, STRATEGY_NAME, HANDLER_KEYS, type Strategy, type AnyStrategy, type StrategySpec, type ParamsOf, type NoParams } from './define-strategy.js';
export { decimalParam, parseStrategyParams, type ParamsSchema } from './params.js';
export type {
  StrategyContext,
  PlaceOrder,
  LimitOrder,
  MarketOrder,
  AmendFields,
  OpenOrder,
  OrderRef,
  IntentId,
  Clock,
  RunMode,
  StrategyLogger,
} from './context.js';
export type {
  BookEvent,
  BookView,
  BookDepth,
  BestPrices,
  TradeEvent,
  OrderEvent,
  OrderUpdateEvent,
  OrderFillEvent,
  OrderRejectEvent,
  TimerEvent,
} from './events.js';
export type { SideName, OrderTypeName, TifName, OrderStateName, RejectReasonName } from './names.js';
export { StrategyError, StrategyErrorCode, StrategyParamsError, type ParamIssue } from './errors.js';
export { MonotonicClock, SimulatedClock } from './clock.js';
export { TimerTable } from './timer-table.js';
export { SharedBookView } from './book-view.js';
export { OrderTracker } from './order-tracker.js';
export { IntentWriter } from './intent-writer.js';
export { RingStrategyContext, type RingContextOptions, type RingContextStats } from './ring-context.js';
export { StrategyDriver, type DriverStats, type DriverOptions } from './strategy-driver.js';
