/**
 * Reads and checks the parameters of order requests (new order, cancel, query) the way
 * Binance does, and applies the symbol filters: PRICE_FILTER (tick), LOT_SIZE (step and
 * minimum) and NOTIONAL (minimum price × quantity) → -1013 "Filter failure: …".
 */
import { DecimalError, DecimalStatus } from '../../../core/fixed/errors.js';
import { parseDecimal, rescale } from '../../../core/fixed/decimal.js';
import type { Instrument } from '../../../core/instruments/instrument.js';
import type { OrderType, Side, TimeInForce } from '../matching/types.js';
import { ApiErrors, BinanceApiError } from './errors.js';
import type { RequestParams } from './params.js';

export type RespType = 'ACK' | 'RESULT' | 'FULL';

const MAX_MANTISSA = BigInt(Number.MAX_SAFE_INTEGER);

/** Binance's precision for decimal parameters: digits past 8 decimals are -1111. */
export const PARAM_DECIMALS = 8;

const SYMBOL_RE = /^[A-Z0-9-_.]{1,20}$/;
const CLIENT_ID_RE = /^[a-zA-Z0-9-_]{1,36}$/;
const ORDER_ID_RE = /^[0-9]{1,18}$/;
const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';
const UNSUPPORTED_TYPES: Record<string, string> = {
  STOP_LOSS: 'Stop loss orders are not supported for this symbol.',
  STOP_LOSS_LIMIT: 'Stop loss limit orders are not supported for this symbol.',
  TAKE_PROFIT: 'Take profit orders are not supported for this symbol.',
  TAKE_PROFIT_LIMIT: 'Take profit limit orders are not supported for this symbol.',
};
/** Parameters the sim does not implement; sending one is -1106 rather than silently ignored. */
const UNSUPPORTED_PARAMS = ['stopPrice', 'trailingDelta', 'icebergQty', 'pegPriceType', 'pegOffsetValue', 'pegOffsetType'];

export interface NewOrderParams {
  inst: Instrument;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  /** At priceScale; 0 for MARKET. */
  price: bigint;
  /** At qtyScale; 0 when a MARKET order gives quoteOrderQty instead. */
  quantity: bigint;
  /** MARKET by quote amount, at priceScale + qtyScale. */
  quoteOrderQty?: bigint;
  clientOrderId?: string;
  respType: RespType;
}

export function readSymbol(p: RequestParams, instrument: (symbol: string) => Instrument | undefined): Instrument {
  const s = p.require('symbol');
  if (!SYMBOL_RE.test(s)) throw ApiErrors.illegalChars('symbol', '^[A-Z0-9-_.]{1,20}$');
  const inst = instrument(s);
  if (!inst) throw ApiErrors.badSymbol();
  return inst;
}

/** A decimal parameter at `scale`, Binance's errors for what does not parse. */
export function readDecimal(name: string, text: string, scale: number): bigint {
  try {
    return parseDecimal(text, scale);
  } catch (err) {
    if (err instanceof DecimalError) {
      if (err.status === DecimalStatus.PRECISION) throw ApiErrors.badPrecision(name);
      if (err.status === DecimalStatus.OVERFLOW) throw new BinanceApiError(-1108, `Parameter '${name}' overflowed.`);
      throw ApiErrors.illegalChars(name, DECIMAL_RANGE);
    }
    throw err;
  }
}

/** A decimal parameter that must be a whole number of `unit` at `scale` (else `filter`). */
function readOnGrid(name: string, text: string, scale: number, unit: bigint, filter: 'PRICE_FILTER' | 'LOT_SIZE'): bigint {
  const wide = Math.max(PARAM_DECIMALS, scale);
  const v = readDecimal(name, text, wide);
  let atScale: bigint;
  try {
    atScale = rescale(v, wide, scale, 'exact');
  } catch {
    throw ApiErrors.filter(filter);
  }
  if (atScale <= 0n || atScale % unit !== 0n) throw ApiErrors.filter(filter);
  // The matching engine keeps mantissas as safe integers.
  if (atScale > MAX_MANTISSA) throw new BinanceApiError(-1108, `Parameter '${name}' overflowed.`);
  return atScale;
}

export function readClientOrderId(p: RequestParams, name: 'newClientOrderId' | 'origClientOrderId'): string | undefined {
  const v = p.get(name);
  if (v === undefined) return undefined;
  if (v === '') throw name === 'newClientOrderId' ? ApiErrors.emptyNewClientOrderId() : ApiErrors.emptyOrigClientOrderId();
  if (!CLIENT_ID_RE.test(v)) throw ApiErrors.illegalChars(name, '^[a-zA-Z0-9-_]{1,36}$');
  return v;
}

export function readOrderId(p: RequestParams): number | undefined {
  const v = p.get('orderId');
  if (v === undefined) return undefined;
  if (!ORDER_ID_RE.test(v)) throw ApiErrors.illegalChars('orderId', '^[0-9]{1,18}$');
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new BinanceApiError(-1108, "Parameter 'orderId' overflowed.");
  return n;
}

/** orderId or origClientOrderId, one of which is required (query, cancel). */
export function readOrderRef(p: RequestParams): { orderId?: number; origClientOrderId?: string } {
  const orderId = readOrderId(p);
  const origClientOrderId = readClientOrderId(p, 'origClientOrderId');
  if (orderId === undefined && origClientOrderId === undefined) throw ApiErrors.eitherMandatory('orderId', 'origClientOrderId');
  const out: { orderId?: number; origClientOrderId?: string } = {};
  if (orderId !== undefined) out.orderId = orderId;
  if (origClientOrderId !== undefined) out.origClientOrderId = origClientOrderId;
  return out;
}

export function readNewOrder(p: RequestParams, instrument: (symbol: string) => Instrument | undefined): NewOrderParams {
  const inst = readSymbol(p, instrument);
  const sideText = p.require('side');
  if (sideText !== 'BUY' && sideText !== 'SELL') throw ApiErrors.invalidSide();
  const typeText = p.require('type');
  const unsupported = UNSUPPORTED_TYPES[typeText];
  if (unsupported) throw ApiErrors.newOrderRejected(unsupported);
  if (typeText !== 'LIMIT' && typeText !== 'MARKET' && typeText !== 'LIMIT_MAKER') throw ApiErrors.invalidOrderType();
  const type: OrderType = typeText;
  for (const name of UNSUPPORTED_PARAMS) if (p.has(name)) throw ApiErrors.notRequired(name);

  let timeInForce: TimeInForce = 'GTC';
  const tif = p.get('timeInForce');
  if (type === 'LIMIT') {
    if (tif === undefined || tif === '') throw ApiErrors.mandatory('timeInForce');
    if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') throw ApiErrors.invalidTif();
    timeInForce = tif;
  } else if (tif !== undefined) {
    throw ApiErrors.notRequired('timeInForce');
  }
  if (type === 'MARKET') timeInForce = 'IOC';

  let price = 0n;
  const priceText = p.get('price');
  if (type === 'MARKET') {
    if (priceText !== undefined) throw ApiErrors.notRequired('price');
  } else {
    if (priceText === undefined || priceText === '') throw ApiErrors.mandatory('price');
    price = readOnGrid('price', priceText, inst.priceScale, inst.tickSize, 'PRICE_FILTER');
  }

  let quantity = 0n;
  let quoteOrderQty: bigint | undefined;
  const qtyText = p.get('quantity');
  const quoteText = p.get('quoteOrderQty');
  if (type === 'MARKET' && quoteText !== undefined) {
    if (qtyText !== undefined) throw ApiErrors.notRequired('quoteOrderQty');
    quoteOrderQty = readDecimal('quoteOrderQty', quoteText, Math.max(PARAM_DECIMALS, inst.priceScale + inst.qtyScale));
    quoteOrderQty = rescaleDown(quoteOrderQty, Math.max(PARAM_DECIMALS, inst.priceScale + inst.qtyScale), inst.priceScale + inst.qtyScale);
    if (quoteOrderQty <= 0n) throw ApiErrors.newOrderRejected('Price * QTY is zero or less.');
  } else {
    if (qtyText === undefined || qtyText === '') {
      throw type === 'MARKET' ? ApiErrors.eitherMandatory('quantity', 'quoteOrderQty') : ApiErrors.mandatory('quantity');
    }
    quantity = readOnGrid('quantity', qtyText, inst.qtyScale, inst.stepSize, 'LOT_SIZE');
    if (quantity < inst.minQty) throw ApiErrors.filter('LOT_SIZE');
  }

  if (type !== 'MARKET' && price * quantity < inst.minNotional) throw ApiErrors.filter('NOTIONAL');

  const clientOrderId = readClientOrderId(p, 'newClientOrderId');
  const rt = p.get('newOrderRespType');
  let respType: RespType = 'FULL';
  if (rt !== undefined) {
    if (rt !== 'ACK' && rt !== 'RESULT' && rt !== 'FULL') throw ApiErrors.invalidParam('newOrderRespType');
    respType = rt;
  }
  const out: NewOrderParams = { inst, side: sideText, type, timeInForce, price, quantity, respType };
  if (quoteOrderQty !== undefined) out.quoteOrderQty = quoteOrderQty;
  if (clientOrderId !== undefined) out.clientOrderId = clientOrderId;
  return out;
}

/** Drops digits below `to` (quote amounts finer than the instrument can trade). */
function rescaleDown(v: bigint, from: number, to: number): bigint {
  return from === to ? v : rescale(v, from, to, 'floor');
}
