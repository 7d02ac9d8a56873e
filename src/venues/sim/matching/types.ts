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
  /**
   * MARKET only: spend up to this quote amount (at priceScale + qtyScale) instead of
   * filling `quantity` (Binance quoteOrderQty); each fill is rounded down to whole steps.
   */
  quoteOrderQty?: bigint;
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
  /**
   * Set true to receive no onOrderUpdate for FLOW_OWNER orders (generated flow is most of
   * the traffic). Fills between a flow order and another owner's order still reach that
   * owner's onOrderUpdate, with the flow order as the Fill's maker or taker.
   */
  ignoreFlowOrders?: boolean;
  onOrderUpdate?(order: OrderView, fill: Fill | null): void;
  onTrade?(fill: Fill): void;
  onLevelChange?(symbol: string, change: LevelChange): void;
  onBatchEnd?(symbol: string): void;
}

/** Aggregated price levels, best first, as the venue believes them. */
export interface BookSnapshot {
  symbol: string;
  /** The update id of the last book change included (Binance lastUpdateId). */
  lastUpdateId: number;
  bids: LevelChange[];
  asks: LevelChange[];
}

export interface OrderFilter {
  symbol?: string;
  owner?: string;
  /** Only orders resting on the book (NEW or PARTIALLY_FILLED). */
  openOnly?: boolean;
}

/**
 * What the sim's matching engine offers to order entry (implemented by
 * matching/engine.ts MatchingEngine). Everything is synchronous: a submit or cancel runs
 * to completion, listeners included, before it returns.
 *
 * Order lifecycle reported through onOrderUpdate, in this order for an accepted order:
 * NEW (accepted, before matching), then one PARTIALLY_FILLED/FILLED per fill (with the
 * Fill), then EXPIRED for an IOC/MARKET remainder or a FOK that cannot fill in full
 * (FOK: NEW then EXPIRED, no fills). A LIMIT_MAKER that would cross is refused before
 * it exists: SubmitResult.rejectReason = 'WOULD_CROSS', order.status REJECTED,
 * order.orderId -1, no onOrderUpdate (Binance answers -2010 and sends no report).
 * Orders of non-flow owners are kept after they finish (queryable); flow orders are
 * forgotten once they leave the book.
 */
export interface SimMatchingEngine {
  /** Symbols (canonical, upper case) this engine runs a book for. */
  symbols(): string[];
  hasSymbol(symbol: string): boolean;
  submit(req: NewOrderRequest): SubmitResult;
  /** Cancels a resting order; returns its final view, or undefined if it is not open. */
  cancel(symbol: string, orderId: number, timeMs: number): OrderView | undefined;
  getOrder(symbol: string, orderId: number): OrderView | undefined;
  getOrderByClientId(symbol: string, owner: string, clientOrderId: string): OrderView | undefined;
  openOrders(owner: string, symbol?: string): OrderView[];
  orders(filter?: OrderFilter): OrderView[];
  /** Aggregated book to `depth` levels per side. */
  bookSnapshot(symbol: string, depth: number): BookSnapshot;
  /** Adds a listener; returns a function that removes it. */
  addListener(listener: MatchingListener): () => void;
}
