/**
 * What the execution adapter speaks: orders in (fixed-point bigint at the instrument's
 * scales), and venue orders, execution reports, balances and outcomes out. Every
 * outcome says which transport carried it and where it sits in the order of arrival
 * (`seq`: one counter over every inbound reply and event, both transports), so a fill
 * that arrives before its order's ack is recognisable as such.
 */

export type Side = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type RespType = 'ACK' | 'RESULT' | 'FULL';
export type Transport = 'ws' | 'rest' | 'local';

/** Binance spot order statuses (enums.md). */
export type OrderStatus = 'NEW' | 'PENDING_NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'PENDING_CANCEL' | 'REJECTED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';
export type ExecutionType = 'NEW' | 'CANCELED' | 'REPLACED' | 'REJECTED' | 'TRADE' | 'EXPIRED' | 'TRADE_PREVENTION';

export interface NewOrder {
  symbol: string;
  side: Side;
  type: OrderType;
  /** Unique per open order (the oms makes it unique across restarts): 1..36 of [A-Za-z0-9_-]. */
  clientOrderId: string;
  /** At the instrument's qtyScale. Required unless MARKET with quoteOrderQty. */
  quantity?: bigint;
  /** At priceScale. Required for LIMIT and LIMIT_MAKER. */
  price?: bigint;
  /** LIMIT only; default GTC. */
  timeInForce?: TimeInForce;
  /** MARKET by quote amount, at priceScale + qtyScale. */
  quoteOrderQty?: bigint;
  /** Overrides the adapter's default reply type. */
  respType?: RespType;
}

/** One fill in a FULL reply. */
export interface VenueFill {
  price: bigint;
  qty: bigint;
  /** At the commission asset's scale. */
  commission: bigint;
  commissionAsset: string;
  tradeId: number;
}

/** An order as the venue reports it (place/cancel/query replies, open orders). */
export interface VenueOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  /** Cancel replies: the canceled order's id (clientOrderId is then the cancel's own). */
  origClientOrderId?: string;
  /** Absent from ACK replies. */
  status?: OrderStatus;
  side?: Side;
  type?: string;
  timeInForce?: string;
  price?: bigint;
  origQty?: bigint;
  executedQty?: bigint;
  /** At priceScale + qtyScale. */
  cumQuote?: bigint;
  transactTimeMs?: number;
  fills?: VenueFill[];
}

/** An executionReport, parsed. */
export interface ExecReport {
  symbol: string;
  /** The order this report is about: `C` for a cancel (when set), else `c`. */
  orderClientId: string;
  /** `c` as sent: for a cancel, the cancel request's own id. */
  clientOrderId: string;
  /** `C`: the original client order id on cancels, '' otherwise. */
  origClientOrderId: string;
  orderId: number;
  side: Side;
  orderType: string;
  timeInForce: string;
  executionType: ExecutionType;
  orderStatus: OrderStatus;
  rejectReason: string;
  price: bigint;
  quantity: bigint;
  lastQty: bigint;
  cumQty: bigint;
  lastPrice: bigint;
  /** At priceScale + qtyScale. */
  cumQuote: bigint;
  lastQuote: bigint;
  commission: bigint;
  commissionAsset: string | null;
  tradeId: number;
  executionId: number;
  isMaker: boolean;
  onBook: boolean;
  eventTimeMs: number;
  transactTimeMs: number;
  /** Arrival order over all replies and events. */
  seq: number;
  /** process.hrtime.bigint() when the frame was read. */
  receivedNs: bigint;
}

export interface Balance {
  asset: string;
  free: bigint;
  locked: bigint;
  /** Scale of free/locked. */
  scale: number;
}

/** An outboundAccountPosition: the balances that changed. */
export interface BalanceUpdate {
  eventTimeMs: number;
  updateTimeMs: number;
  balances: Balance[];
  seq: number;
}

export interface AccountSnapshot {
  updateTimeMs: number;
  canTrade: boolean;
  balances: Balance[];
}

/**
 * Why the venue refused a request or why the adapter did not send it. `local` reasons
 * mean no byte left this process (definitely not placed).
 */
export type LocalRejectReason = 'RATE_BUDGET' | 'BACKOFF' | 'BANNED' | 'NOT_SENT' | 'INVALID_ORDER' | 'STOPPED';

/** Why an outcome is unknown: the request may or may not have been executed. */
export type UnknownReason = 'TIMEOUT' | 'DISCONNECTED' | 'SERVER_ERROR' | 'IO_ERROR' | 'BAD_REPLY';

export interface OutcomeBase {
  transport: Transport;
  /** Arrival order (0 for outcomes decided locally). */
  seq: number;
}

export type PlaceOutcome =
  | (OutcomeBase & { kind: 'ack'; order: VenueOrder })
  | (OutcomeBase & { kind: 'rejected'; source: 'venue'; code: number; msg: string; httpStatus: number })
  | (OutcomeBase & { kind: 'rejected'; source: 'local'; reason: LocalRejectReason; msg: string })
  | (OutcomeBase & { kind: 'unknown'; reason: UnknownReason; msg: string });

/** Cancels have the same three shapes; `ack` carries the canceled order. */
export type CancelOutcome = PlaceOutcome;

export type QueryOutcome =
  | (OutcomeBase & { kind: 'found'; order: VenueOrder })
  | (OutcomeBase & { kind: 'notFound'; code: number; msg: string })
  | (OutcomeBase & { kind: 'failed'; msg: string; code?: number; reason?: LocalRejectReason | UnknownReason });
