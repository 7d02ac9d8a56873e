import { DecimalError } from '../fixed/errors.js';
import { parseDecimal } from '../fixed/decimal.js';

/** Instrument id 0 is never assigned: it marks "no instrument" in binary records. */
export const INSTRUMENT_UNDEF = 0;

export type InstrumentKind = 'spot' | 'perpetual' | 'future';

/**
 * One tradable instrument on one venue. Prices are mantissas at `priceScale`,
 * quantities at `qtyScale`; notionals (price × qty) are at `priceScale + qtyScale`
 * and compared as bigint.
 */
export interface Instrument {
  readonly id: number;
  readonly venue: string;
  /** Canonical engine symbol, e.g. BTCUSDT. */
  readonly symbol: string;
  /** The venue's own spelling, e.g. btcusdt on a Binance stream name, BTC-USDT on OKX. */
  readonly venueSymbol: string;
  readonly base: string;
  readonly quote: string;
  readonly kind: InstrumentKind;
  readonly priceScale: number;
  readonly qtyScale: number;
  /** Price increment, at priceScale. */
  readonly tickSize: bigint;
  /** Quantity increment, at qtyScale. */
  readonly stepSize: bigint;
  /** Smallest order quantity, at qtyScale. */
  readonly minQty: bigint;
  /** Smallest price × qty, at priceScale + qtyScale. */
  readonly minNotional: bigint;
  /** Units of base per contract (1 for spot), at scale 0 × the qty. */
  readonly contractMultiplier: bigint;
}

/** Venue filter values as decimal strings, the way exchangeInfo reports them. */
export interface InstrumentDefinition {
  venue: string;
  symbol: string;
  venueSymbol: string;
  base: string;
  quote: string;
  kind?: InstrumentKind;
  tickSize: string;
  stepSize: string;
  minQty?: string;
  minNotional?: string;
  contractMultiplier?: string;
  /** Defaults to the number of significant decimals of tickSize. */
  priceScale?: number;
  /** Defaults to the number of significant decimals of stepSize. */
  qtyScale?: number;
}

/** Decimal places needed to represent `text` exactly ("0.01000000" → 2, "1" → 0). */
export function significantScale(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  let end = text.length;
  while (end > dot + 1 && text.charCodeAt(end - 1) === 0x30) end--;
  return end - dot - 1;
}

export class InstrumentDefinitionError extends Error {
  readonly code = 'INSTRUMENT_DEFINITION';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InstrumentDefinitionError';
  }
}

/** Builds the fixed-point instrument from its decimal definition, checking every field. */
export function instrumentFromDefinition(id: number, def: InstrumentDefinition): Instrument {
  const where = `instrument ${def.venue}:${def.symbol}`;
  const priceScale = def.priceScale ?? significantScale(def.tickSize);
  const qtyScale = def.qtyScale ?? significantScale(def.stepSize);
  const parse = (field: string, text: string, scale: number): bigint => {
    try {
      return parseDecimal(text, scale);
    } catch (err) {
      const msg = err instanceof DecimalError ? err.message : String(err);
      throw new InstrumentDefinitionError(`${where}: ${field}: ${msg}`, { cause: err });
    }
  };
  const tickSize = parse('tickSize', def.tickSize, priceScale);
  const stepSize = parse('stepSize', def.stepSize, qtyScale);
  if (tickSize <= 0n) throw new InstrumentDefinitionError(`${where}: tickSize must be positive, got ${def.tickSize}`);
  if (stepSize <= 0n) throw new InstrumentDefinitionError(`${where}: stepSize must be positive, got ${def.stepSize}`);
  if (!def.symbol || !def.venueSymbol || !def.venue) throw new InstrumentDefinitionError(`${where}: venue, symbol and venueSymbol are required`);
  return Object.freeze({
    id,
    venue: def.venue,
    symbol: def.symbol,
    venueSymbol: def.venueSymbol,
    base: def.base,
    quote: def.quote,
    kind: def.kind ?? 'spot',
    priceScale,
    qtyScale,
    tickSize,
    stepSize,
    minQty: parse('minQty', def.minQty ?? '0', qtyScale),
    minNotional: parse('minNotional', def.minNotional ?? '0', priceScale + qtyScale),
    contractMultiplier: parse('contractMultiplier', def.contractMultiplier ?? '1', 0),
  });
}
