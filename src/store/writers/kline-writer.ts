/**
 * Klines to market_klines, batched, upserted by (venue, symbol, period, open_time).
 * Open-candle updates and the final candle share the key; a closed row is replaced only
 * by a closed one, so a late open update (a retry) never reopens a final candle.
 * Within a batch the last row per key wins (a statement may not touch a row twice).
 */
import type pg from 'pg';
import { formatDecimal } from '../../core/fixed/decimal.js';
import type { Kline } from '../klines/kline.js';
import { isKlinePeriod, PERIOD_MS } from '../klines/periods.js';
import { formatNumeric, timestamptzFromMs } from '../numeric.js';
import { BatchWriter, type BatchWriterOptions } from './batch-writer.js';
import { badName, badPositiveInt64, badScale, badTimeMs } from './row-checks.js';

export interface KlineRow {
  key: string;
  venue: string;
  symbol: string;
  period: string;
  openTime: string;
  closeTime: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  quoteVolume: string;
  trades: string;
  closed: boolean;
}

export const UPSERT_KLINES_SQL = `
INSERT INTO market_klines (venue, symbol, period, open_time, close_time, open, high, low, close, volume, quote_volume, trades, closed)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::numeric[], $7::numeric[],
                     $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::bigint[], $13::boolean[])
ON CONFLICT (venue, symbol, period, open_time) DO UPDATE SET
  close_time = EXCLUDED.close_time, open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
  close = EXCLUDED.close, volume = EXCLUDED.volume, quote_volume = EXCLUDED.quote_volume,
  trades = EXCLUDED.trades, closed = EXCLUDED.closed, updated_at = now()
WHERE NOT market_klines.closed OR EXCLUDED.closed`;

export function checkKline(k: Kline): string | null {
  if (!isKlinePeriod(k.period)) return `period must be one of 1m 5m 15m 1h 4h 1d`;
  return (
    badName('venue', k.venue) ??
    badName('symbol', k.symbol) ??
    badScale('priceScale', k.priceScale) ??
    badScale('qtyScale', k.qtyScale) ??
    badTimeMs('openTimeMs', k.openTimeMs) ??
    (k.openTimeMs % PERIOD_MS[k.period] === 0 && k.closeTimeMs === k.openTimeMs + PERIOD_MS[k.period] ? null : 'open/close time not aligned to the period') ??
    badPositiveInt64('open', k.open) ??
    badPositiveInt64('high', k.high) ??
    badPositiveInt64('low', k.low) ??
    badPositiveInt64('close', k.close) ??
    (k.low <= k.open && k.low <= k.close && k.high >= k.open && k.high >= k.close ? null : 'low/high do not bound open and close') ??
    (typeof k.volume === 'bigint' && k.volume > 0n ? null : 'volume must be a positive bigint') ??
    (typeof k.quoteVolume === 'bigint' && k.quoteVolume > 0n ? null : 'quoteVolume must be a positive bigint') ??
    (Number.isSafeInteger(k.trades) && k.trades > 0 ? null : 'trades must be a positive integer')
  );
}

export function klineRow(k: Kline): KlineRow {
  return {
    key: `${k.venue}\u0000${k.symbol}\u0000${k.period}\u0000${k.openTimeMs}`,
    venue: k.venue,
    symbol: k.symbol,
    period: k.period,
    openTime: timestamptzFromMs(k.openTimeMs),
    closeTime: timestamptzFromMs(k.closeTimeMs),
    open: formatDecimal(k.open, k.priceScale),
    high: formatDecimal(k.high, k.priceScale),
    low: formatDecimal(k.low, k.priceScale),
    close: formatDecimal(k.close, k.priceScale),
    // Sums can outgrow int64; formatNumeric takes any bigint and the wide quote scale.
    volume: formatNumeric(k.volume, k.qtyScale),
    quoteVolume: formatNumeric(k.quoteVolume, k.priceScale + k.qtyScale),
    trades: String(k.trades),
    closed: k.closed,
  };
}

/** The last row per key, except that an open row never replaces a closed one. */
function lastPerKey(rows: readonly KlineRow[]): KlineRow[] {
  const byKey = new Map<string, KlineRow>();
  for (const r of rows) {
    const prev = byKey.get(r.key);
    if (prev === undefined || r.closed || !prev.closed) byKey.set(r.key, r);
  }
  return [...byKey.values()];
}

export async function upsertKlines(db: pg.Pool | pg.PoolClient, batch: readonly KlineRow[]): Promise<number> {
  const rows = lastPerKey(batch);
  const cols: (string | boolean)[][] = Array.from({ length: 13 }, () => new Array<string | boolean>(rows.length));
  rows.forEach((r, i) => {
    const values = [r.venue, r.symbol, r.period, r.openTime, r.closeTime, r.open, r.high, r.low, r.close, r.volume, r.quoteVolume, r.trades, r.closed];
    for (let c = 0; c < 13; c++) (cols[c] as (string | boolean)[])[i] = values[c] as string | boolean;
  });
  const res = await db.query(UPSERT_KLINES_SQL, cols);
  return res.rowCount ?? 0;
}

export class KlineWriter extends BatchWriter<KlineRow> {
  constructor(pool: pg.Pool, opts: BatchWriterOptions = {}) {
    super('klines', pool, opts);
  }

  /** Queues a kline (final or an open update) without waiting; false if malformed or the queue is full. */
  add(k: Kline): boolean {
    const bad = checkKline(k);
    if (bad !== null) return this.reject(bad);
    return this.enqueue(klineRow(k));
  }

  protected writeBatch(rows: KlineRow[]): Promise<number> {
    return upsertKlines(this.pool, rows);
  }
}
