/**
 * exchangeInfo documents in Binance spot (/api/v3/exchangeInfo) and USD-M
 * (/fapi/v1/exchangeInfo) shape, built from the sim's instruments. Filter values are the
 * instrument's own (tick, step, minQty, minNotional); the upper limits are fixed and
 * chosen so every mantissa stays below 2^53.
 */
import type { Instrument } from '../../../core/instruments/instrument.js';
import { pow10 } from '../../../core/fixed/decimal.js';
import type { BinanceFormat } from './format.js';

/** Upper filter limits, as mantissas of `inst`. */
export function filterLimits(inst: Instrument): { maxPrice: bigint; maxQty: bigint; marketMaxQty: bigint; maxNotional: bigint } {
  return {
    maxPrice: 1_000_000n * pow10(inst.priceScale),
    maxQty: 9_000_000n * pow10(inst.qtyScale),
    marketMaxQty: 100_000n * pow10(inst.qtyScale),
    maxNotional: 9_000_000n * pow10(inst.priceScale + inst.qtyScale),
  };
}

const SPOT_RATE_LIMITS = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
  { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
];

const USDM_RATE_LIMITS = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
  { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
];

export function spotSymbolInfo(inst: Instrument, f: BinanceFormat): Record<string, unknown> {
  const lim = filterLimits(inst);
  return {
    symbol: inst.symbol,
    status: 'TRADING',
    baseAsset: inst.base,
    baseAssetPrecision: 8,
    quoteAsset: inst.quote,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET'],
    icebergAllowed: false,
    ocoAllowed: false,
    otoAllowed: false,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: false,
    cancelReplaceAllowed: false,
    amendAllowed: false,
    pegInstructionsAllowed: false,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: f.price(inst, inst.tickSize), maxPrice: f.price(inst, lim.maxPrice), tickSize: f.price(inst, inst.tickSize) },
      { filterType: 'LOT_SIZE', minQty: f.qty(inst, inst.minQty), maxQty: f.qty(inst, lim.maxQty), stepSize: f.qty(inst, inst.stepSize) },
      { filterType: 'MARKET_LOT_SIZE', minQty: f.qty(inst, 0n), maxQty: f.qty(inst, lim.marketMaxQty), stepSize: f.qty(inst, 0n) },
      {
        filterType: 'NOTIONAL',
        minNotional: f.quote(inst, inst.minNotional),
        applyMinToMarket: true,
        maxNotional: f.quote(inst, lim.maxNotional),
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'NONE',
    allowedSelfTradePreventionModes: ['NONE'],
  };
}

export function usdmSymbolInfo(inst: Instrument, f: BinanceFormat): Record<string, unknown> {
  const lim = filterLimits(inst);
  return {
    symbol: inst.symbol,
    pair: inst.symbol,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: 'TRADING',
    baseAsset: inst.base,
    quoteAsset: inst.quote,
    marginAsset: inst.quote,
    pricePrecision: inst.priceScale,
    quantityPrecision: inst.qtyScale,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    settlePlan: 0,
    triggerProtect: '0.0500',
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: f.price(inst, inst.tickSize), maxPrice: f.price(inst, lim.maxPrice), tickSize: f.price(inst, inst.tickSize) },
      { filterType: 'LOT_SIZE', minQty: f.qty(inst, inst.minQty), maxQty: f.qty(inst, lim.maxQty), stepSize: f.qty(inst, inst.stepSize) },
      { filterType: 'MARKET_LOT_SIZE', minQty: f.qty(inst, inst.minQty), maxQty: f.qty(inst, lim.marketMaxQty), stepSize: f.qty(inst, inst.stepSize) },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MIN_NOTIONAL', notional: f.quote(inst, inst.minNotional) },
    ],
    orderTypes: ['LIMIT', 'MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
  };
}

export function exchangeInfo(mode: 'spot' | 'usdm', instruments: readonly Instrument[], f: BinanceFormat, serverTime: number): Record<string, unknown> {
  if (mode === 'spot') {
    return { timezone: 'UTC', serverTime, rateLimits: SPOT_RATE_LIMITS, exchangeFilters: [], symbols: instruments.map((i) => spotSymbolInfo(i, f)) };
  }
  const assets = [...new Set(instruments.map((i) => i.quote))].map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: '0' }));
  return {
    timezone: 'UTC',
    serverTime,
    futuresType: 'U_MARGINED',
    rateLimits: USDM_RATE_LIMITS,
    exchangeFilters: [],
    assets,
    symbols: instruments.map((i) => usdmSymbolInfo(i, f)),
  };
}
