/**
 * The contract between the sim's matching engine (matching/) and its users: the market
 * generator and market-data streams (market/) and order entry (orderentry/, account/).
 * Prices are mantissas at the symbol's priceScale, quantities at its qtyScale.
 */

export type Side = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'LIMIT_MAKER' | 'MARKET';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
/** Binance order statuses. */
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

/** Who owns an order: an account id (API-key holder) or FLOW_OWNER for generated flow. */
export const FLOW_OWNER = '__flow__';

export interface NewOrderRequest {
  symbol: string;
  owner: string;
  clientOrderId: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  /** Limit price; ignored for MARKET. */
  price: bigint;
  quantity: bigint;
  /** Engine time in ms (Binance transactTime), supplied by the caller's clock. */
  timeMs: number;
}

export interface OrderView {
  symbol: string;
  orderId: number;
  owner: string;
  clientOrderId: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  price: bigint;
  origQty: bigint;
  executedQty: bigint;
  /** Sum of price × qty of fills, at priceScale + qtyScale. */
  cumQuote: bigint;
  status: OrderStatus;
  timeMs: number;
  updateTimeMs: number;
}

export interface Fill {
  symbol: string;
  tradeId: number;
  price: bigint;
  quantity: bigint;
  /** Side of the incoming (taker) order. */
  takerSide: Side;
  maker: OrderView;
  taker: OrderView;
  timeMs: number;
}

/** A change of aggregate quantity at one price level (0 = level removed). */
export interface LevelChange {
  side: Side;
  price: bigint;
  quantity: bigint;
}

export interface SubmitResult {
  /** Final view of the incoming order after matching. */
  order: OrderView;
  fills: Fill[];
  /** Set when the order was refused before touching the book (e.g. LIMIT_MAKER would cross). */
  rejectReason?: 'WOULD_CROSS' | 'FOK_NOT_FILLABLE' | 'NO_LIQUIDITY';
}

/**
 * Everything that happens in one symbol's book is reported through these callbacks, in
 * order, synchronously during submit/cancel. One book mutation batch ends with
 * onBatchEnd, so market data can emit one depthUpdate per batch with a fresh update id.
 */
export interface MatchingListener {
  onOrderUpdate?(order: OrderView, fill: Fill | null): void;
  onTrade?(fill: Fill): void;
  onLevelChange?(symbol: string, change: LevelChange): void;
  onBatchEnd?(symbol: string): void;
}
