/**
 * Public trades to market_trades, batched and idempotent: a trade already stored
 * (same venue, symbol, trade id) is skipped by ON CONFLICT DO NOTHING, so a batch
 * written twice (a retry after a lost reply, a replayed feed) adds nothing.
 *
 * Values are formatted to NUMERIC text when added (exact, via formatDecimal) and sent
 * as one array per column: one INSERT … SELECT FROM unnest(…) per batch, a single
 * statement with seven parameters whatever the batch size (bench/store-trades.ts
 * compares it with multi-row VALUES, COPY and row-by-row inserts).
 */
import type pg from 'pg';
import { INT64_MAX, formatDecimal } from '../../core/fixed/decimal.js';
import { timestamptzFromNs } from '../numeric.js';
import { BatchWriter, type BatchWriterOptions } from './batch-writer.js';
import { badName, badPositiveInt64, badScale, MAX_TIME_MS } from './row-checks.js';

export interface TradeRecord {
  venue: string;
  symbol: string;
  /** The venue's trade id (0 .. 2^63-1): the idempotency key with venue and symbol. */
  tradeId: bigint;
  /** Mantissa at priceScale. */
  price: bigint;
  /** Mantissa at qtyScale. */
  qty: bigint;
  priceScale: number;
  qtyScale: number;
  /** Exchange time, epoch ns (stored to the microsecond). */
  timeNs: bigint;
  aggressor?: 'buy' | 'sell' | null;
}

/** A trade as the text PostgreSQL receives. */
export interface TradeRow {
  venue: string;
  symbol: string;
  tradeId: string;
  ts: string;
  price: string;
  qty: string;
  aggressor: 'buy' | 'sell' | null;
}

const MAX_TIME_NS = BigInt(MAX_TIME_MS) * 1_000_000n;

export const INSERT_TRADES_SQL = `
INSERT INTO market_trades (venue, symbol, trade_id, ts, price, qty, aggressor)
SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[], $5::numeric[], $6::numeric[], $7::text[])
ON CONFLICT DO NOTHING`;

/** The reason a trade cannot be stored, or null. */
export function checkTrade(t: TradeRecord): string | null {
  return (
    badName('venue', t.venue) ??
    badName('symbol', t.symbol) ??
    (typeof t.tradeId === 'bigint' && t.tradeId >= 0n && t.tradeId <= INT64_MAX ? null : 'tradeId must be a bigint in 0..2^63-1') ??
    badScale('priceScale', t.priceScale) ??
    badScale('qtyScale', t.qtyScale) ??
    badPositiveInt64('price', t.price) ??
    badPositiveInt64('qty', t.qty) ??
    (typeof t.timeNs === 'bigint' && t.timeNs >= 0n && t.timeNs < MAX_TIME_NS ? null : 'timeNs must be epoch ns in 1970..2200') ??
    (t.aggressor === undefined || t.aggressor === null || t.aggressor === 'buy' || t.aggressor === 'sell' ? null : 'aggressor must be buy, sell or null')
  );
}

export function tradeRow(t: TradeRecord): TradeRow {
  return {
    venue: t.venue,
    symbol: t.symbol,
    tradeId: t.tradeId.toString(),
    ts: timestamptzFromNs(t.timeNs),
    price: formatDecimal(t.price, t.priceScale),
    qty: formatDecimal(t.qty, t.qtyScale),
    aggressor: t.aggressor ?? null,
  };
}

/** One INSERT … unnest for the rows; returns how many were new. */
export async function insertTrades(db: pg.Pool | pg.PoolClient, rows: readonly TradeRow[]): Promise<number> {
  const n = rows.length;
  const venue = new Array<string>(n);
  const symbol = new Array<string>(n);
  const id = new Array<string>(n);
  const ts = new Array<string>(n);
  const price = new Array<string>(n);
  const qty = new Array<string>(n);
  const aggressor = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as TradeRow;
    venue[i] = r.venue;
    symbol[i] = r.symbol;
    id[i] = r.tradeId;
    ts[i] = r.ts;
    price[i] = r.price;
    qty[i] = r.qty;
    aggressor[i] = r.aggressor;
  }
  const res = await db.query(INSERT_TRADES_SQL, [venue, symbol, id, ts, price, qty, aggressor]);
  return res.rowCount ?? 0;
}

export class TradeWriter extends BatchWriter<TradeRow> {
  constructor(pool: pg.Pool, opts: BatchWriterOptions = {}) {
    super('trades', pool, opts);
  }

  /** Queues a trade without waiting; false if it is malformed or the queue is full (both counted). */
  add(t: TradeRecord): boolean {
    const bad = checkTrade(t);
    if (bad !== null) return this.reject(bad);
    return this.enqueue(tradeRow(t));
  }

  protected writeBatch(rows: TradeRow[]): Promise<number> {
    return insertTrades(this.pool, rows);
  }
}
