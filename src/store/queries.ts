/**
 * The read API over the store, for the gateway and the CLI. Results are plain,
 * JSON-ready objects: NUMERIC values stay exact decimal strings (convert with
 * parseNumericInt64 / parseNumeric at the instrument's scale, never parseFloat),
 * timestamps are ISO-8601 UTC strings with microseconds, kline times epoch ms.
 * Every parameter is validated: a bad one is a StoreError with code QUERY_INVALID.
 */
import type pg from 'pg';
import { StoreError } from './errors.js';
import { isKlinePeriod, type KlinePeriod } from './klines/periods.js';
import { timestamptzFromMs } from './numeric.js';

/** An exact decimal number as text, e.g. "65000.5". */
export type DecimalText = string;
type Db = pg.Pool | pg.PoolClient;

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

const ISO = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface TimeRange {
  /** Inclusive, epoch ms. */
  fromMs?: number;
  /** Exclusive, epoch ms. */
  toMs?: number;
}

export interface OrderRow {
  clientOrderId: string;
  strategy: string;
  venue: string;
  symbol: string;
  venueOrderId: string | null;
  side: 'buy' | 'sell';
  orderType: string;
  timeInForce: string | null;
  price: DecimalText | null;
  qty: DecimalText;
  filledQty: DecimalText;
  avgFillPrice: DecimalText | null;
  status: string;
  rejectReason: string | null;
  createdAt: string;
  updatedAt: string;
  lastWalSeq: string;
}

export interface FillRow {
  venue: string;
  symbol: string;
  tradeId: string;
  clientOrderId: string;
  strategy: string;
  side: 'buy' | 'sell';
  price: DecimalText;
  qty: DecimalText;
  fee: DecimalText;
  feeAsset: string | null;
  liquidity: 'maker' | 'taker' | null;
  realizedPnl: DecimalText;
  ts: string;
  walSeq: string;
}

export interface PositionRow {
  strategy: string;
  venue: string;
  symbol: string;
  qty: DecimalText;
  avgEntryPrice: DecimalText | null;
  realizedPnl: DecimalText;
  updatedAt: string;
  lastWalSeq: string;
}

export interface DailyPnlRow {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  strategy: string;
  realizedPnl: DecimalText;
  /** Fees paid that day by asset (an empty key: fills with no fee asset). */
  fees: Record<string, DecimalText>;
  fills: number;
}

export interface KlineQueryRow {
  venue: string;
  symbol: string;
  period: KlinePeriod;
  openTimeMs: number;
  closeTimeMs: number;
  open: DecimalText;
  high: DecimalText;
  low: DecimalText;
  close: DecimalText;
  volume: DecimalText;
  quoteVolume: DecimalText;
  trades: number;
  closed: boolean;
}

function invalid(message: string): StoreError {
  return new StoreError('QUERY_INVALID', message);
}

/** Collects WHERE conditions and their parameters. */
class Where {
  readonly params: unknown[] = [];
  private readonly conds: string[] = [];

  eq(col: string, v: string | undefined, field: string): this {
    if (v === undefined) return this;
    if (typeof v !== 'string' || v.length === 0 || v.length > 128) throw invalid(`${field} must be a non-empty string`);
    this.params.push(v);
    this.conds.push(`${col} = $${this.params.length}`);
    return this;
  }

  range(col: string, r: TimeRange): this {
    for (const [v, op, field] of [
      [r.fromMs, '>=', 'fromMs'],
      [r.toMs, '<', 'toMs'],
    ] as const) {
      if (v === undefined) continue;
      if (!Number.isSafeInteger(v) || v < 0) throw invalid(`${field} must be epoch ms, got ${String(v)}`);
      this.params.push(timestamptzFromMs(v));
      this.conds.push(`${col} ${op} $${this.params.length}::timestamptz`);
    }
    return this;
  }

  raw(cond: string): this {
    this.conds.push(cond);
    return this;
  }

  sql(): string {
    return this.conds.length === 0 ? '' : `WHERE ${this.conds.join(' AND ')}`;
  }

  limit(v: number | undefined): string {
    const n = v ?? DEFAULT_LIMIT;
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_LIMIT) throw invalid(`limit must be an integer in 1..${MAX_LIMIT}, got ${String(v)}`);
    this.params.push(n);
    return `LIMIT $${this.params.length}`;
  }
}

const OPEN_STATUSES = "('pending_new', 'new', 'partially_filled', 'pending_cancel', 'pending_replace')";

export interface OrderQuery extends TimeRange {
  strategy?: string;
  symbol?: string;
  /** Only orders still working at the venue. */
  openOnly?: boolean;
  limit?: number;
}

/** Orders, newest first (by creation time). */
export async function listOrders(db: Db, q: OrderQuery = {}): Promise<OrderRow[]> {
  const w = new Where().eq('strategy', q.strategy, 'strategy').eq('symbol', q.symbol, 'symbol').range('created_at', q);
  if (q.openOnly) w.raw(`status IN ${OPEN_STATUSES}`);
  const limit = w.limit(q.limit);
  const r = await db.query<OrderRow>(
    `SELECT client_order_id AS "clientOrderId", strategy, venue, symbol, venue_order_id AS "venueOrderId", side,
            order_type AS "orderType", time_in_force AS "timeInForce", price::text AS price, qty::text AS qty,
            filled_qty::text AS "filledQty", avg_fill_price::text AS "avgFillPrice", status, reject_reason AS "rejectReason",
            ${ISO('created_at')} AS "createdAt", ${ISO('updated_at')} AS "updatedAt", last_wal_seq::text AS "lastWalSeq"
       FROM orders ${w.sql()} ORDER BY created_at DESC, client_order_id ${limit}`,
    w.params,
  );
  return r.rows;
}

export interface FillQuery extends TimeRange {
  strategy?: string;
  symbol?: string;
  clientOrderId?: string;
  limit?: number;
}

/** Fills, newest first. */
export async function listFills(db: Db, q: FillQuery = {}): Promise<FillRow[]> {
  const w = new Where()
    .eq('strategy', q.strategy, 'strategy')
    .eq('symbol', q.symbol, 'symbol')
    .eq('client_order_id', q.clientOrderId, 'clientOrderId')
    .range('ts', q);
  const limit = w.limit(q.limit);
  const r = await db.query<FillRow>(
    `SELECT venue, symbol, trade_id::text AS "tradeId", client_order_id AS "clientOrderId", strategy, side,
            price::text AS price, qty::text AS qty, fee::text AS fee, fee_asset AS "feeAsset", liquidity,
            realized_pnl::text AS "realizedPnl", ${ISO('ts')} AS ts, wal_seq::text AS "walSeq"
       FROM fills ${w.sql()} ORDER BY ts DESC, venue, symbol, trade_id DESC ${limit}`,
    w.params,
  );
  return r.rows;
}

export interface PositionQuery {
  strategy?: string;
  symbol?: string;
  /** Leave out flat positions (qty = 0). */
  nonZeroOnly?: boolean;
}

export async function listPositions(db: Db, q: PositionQuery = {}): Promise<PositionRow[]> {
  const w = new Where().eq('strategy', q.strategy, 'strategy').eq('symbol', q.symbol, 'symbol');
  if (q.nonZeroOnly) w.raw('qty <> 0');
  const r = await db.query<PositionRow>(
    `SELECT strategy, venue, symbol, qty::text AS qty, avg_entry_price::text AS "avgEntryPrice",
            realized_pnl::text AS "realizedPnl", ${ISO('updated_at')} AS "updatedAt", last_wal_seq::text AS "lastWalSeq"
       FROM positions ${w.sql()} ORDER BY strategy, venue, symbol`,
    w.params,
  );
  return r.rows;
}

export interface PnlQuery extends TimeRange {
  strategy?: string;
}

/** Realized PnL and fees per UTC day and strategy, from the fills (sums are exact NUMERIC). */
export async function pnlByDay(db: Db, q: PnlQuery = {}): Promise<DailyPnlRow[]> {
  const w = new Where().eq('strategy', q.strategy, 'strategy').range('ts', q);
  const r = await db.query<{ day: string; strategy: string; realizedPnl: string; fills: string; fees: Record<string, string> | null }>(
    `WITH f AS (SELECT date_trunc('day', ts, 'UTC') AS d, strategy, realized_pnl, fee, coalesce(fee_asset, '') AS fee_asset
                  FROM fills ${w.sql()}),
          fee_sums AS (SELECT d, strategy, jsonb_object_agg(fee_asset, amount) AS fees
                         FROM (SELECT d, strategy, fee_asset, sum(fee)::text AS amount FROM f WHERE fee <> 0 GROUP BY 1, 2, 3) x
                        GROUP BY 1, 2)
     SELECT to_char(f.d AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, f.strategy, sum(f.realized_pnl)::text AS "realizedPnl",
            count(*)::text AS fills, fee_sums.fees
       FROM f LEFT JOIN fee_sums USING (d, strategy)
      GROUP BY f.d, f.strategy, fee_sums.fees
      ORDER BY f.d, f.strategy`,
    w.params,
  );
  return r.rows.map((row) => ({
    day: row.day,
    strategy: row.strategy,
    realizedPnl: row.realizedPnl,
    fees: row.fees ?? {},
    fills: Number.parseInt(row.fills, 10),
  }));
}

export interface KlineQuery {
  venue?: string;
  symbol: string;
  period: string;
  /** Inclusive, on open time. */
  fromMs: number;
  /** Exclusive, on open time. */
  toMs: number;
  limit?: number;
}

/** Klines of one symbol and period whose open time lies in [fromMs, toMs), oldest first. */
export async function listKlines(db: Db, q: KlineQuery): Promise<KlineQueryRow[]> {
  if (!isKlinePeriod(q.period)) throw invalid(`period must be one of 1m 5m 15m 1h 4h 1d, got ${JSON.stringify(q.period)}`);
  if (q.fromMs === undefined || q.toMs === undefined || !(q.toMs > q.fromMs)) throw invalid('klines need fromMs < toMs');
  const w = new Where().eq('symbol', q.symbol, 'symbol').eq('venue', q.venue, 'venue').range('open_time', q);
  w.params.push(q.period);
  w.raw(`period = $${w.params.length}`);
  const limit = w.limit(q.limit ?? MAX_LIMIT);
  const r = await db.query<Omit<KlineQueryRow, 'openTimeMs' | 'closeTimeMs' | 'trades'> & { openTimeMs: string; closeTimeMs: string; trades: string }>(
    `SELECT venue, symbol, period,
            (extract(epoch FROM open_time) * 1000)::bigint::text AS "openTimeMs",
            (extract(epoch FROM close_time) * 1000)::bigint::text AS "closeTimeMs",
            open::text AS open, high::text AS high, low::text AS low, close::text AS close,
            volume::text AS volume, quote_volume::text AS "quoteVolume", trades::text AS trades, closed
       FROM market_klines ${w.sql()} ORDER BY open_time, venue ${limit}`,
    w.params,
  );
  return r.rows.map((row) => ({
    ...row,
    openTimeMs: Number.parseInt(row.openTimeMs, 10),
    closeTimeMs: Number.parseInt(row.closeTimeMs, 10),
    trades: Number.parseInt(row.trades, 10),
  }));
}
