export { BinanceExecAdapter, type ExecAdapterCounters, type ExecSessionEvent } from './binance-exec-adapter.js';
export { resolveExecConfig, ExecConfigError, type BinanceExecOptions, type RateLimitOptions, type LocalClock } from './config.js';
export { BinanceRequestError, ReplyFormatError, isUnknownExecution, type ExecErrorCode } from './errors.js';
export { InvalidOrderError, CLIENT_ORDER_ID_RE } from './order-params.js';
export type { InstrumentScales } from './scales.js';
export type * from './types.js';
