/**
 * A NewOrder checked and turned into Binance's parameters, in the venue's documented
 * order (the same object feeds the REST query and the WS API params). Mantissas are
 * printed exactly at the symbol's scales (formatDecimal, no float).
 */
import { formatDecimal, INT64_MAX } from '../../../core/fixed/decimal.js';
import type { ParamValue } from '../sign/rest-sign.js';
import type { ScaleBook } from './scales.js';
import type { NewOrder, RespType } from './types.js';

export const CLIENT_ORDER_ID_RE = /^[a-zA-Z0-9_-]{1,36}$/;

export class InvalidOrderError extends Error {
  readonly code = 'BINANCE_INVALID_ORDER';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidOrderError';
  }
}

function positive(name: string, v: bigint | undefined): bigint {
  if (typeof v !== 'bigint') throw new InvalidOrderError(`${name} must be a bigint mantissa`);
  if (v <= 0n || v > INT64_MAX) throw new InvalidOrderError(`${name} must be positive and fit int64, got ${v}`);
  return v;
}

/** Parameters of order.place / POST /api/v3/order (without the signing fields). */
export function newOrderParams(o: NewOrder, scales: ScaleBook, defaultRespType: RespType): Record<string, ParamValue> {
  const s = scales.symbol(o.symbol);
  if (!s) throw new InvalidOrderError(`symbol ${JSON.stringify(o.symbol)} is not configured on this adapter`);
  if (typeof o.clientOrderId !== 'string' || !CLIENT_ORDER_ID_RE.test(o.clientOrderId)) {
    throw new InvalidOrderError(`clientOrderId must be 1..36 of [A-Za-z0-9_-], got ${JSON.stringify(o.clientOrderId)}`);
  }
  if (o.side !== 'BUY' && o.side !== 'SELL') throw new InvalidOrderError(`side must be BUY or SELL, got ${JSON.stringify(o.side)}`);
  const p: Record<string, ParamValue> = { symbol: o.symbol, side: o.side, type: o.type };
  switch (o.type) {
    case 'LIMIT': {
      const tif = o.timeInForce ?? 'GTC';
      if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') throw new InvalidOrderError(`timeInForce must be GTC, IOC or FOK, got ${JSON.stringify(tif)}`);
      if (o.quoteOrderQty !== undefined) throw new InvalidOrderError('quoteOrderQty is for MARKET orders only');
      p.timeInForce = tif;
      p.quantity = formatDecimal(positive('quantity', o.quantity), s.qty);
      p.price = formatDecimal(positive('price', o.price), s.price);
      break;
    }
    case 'LIMIT_MAKER':
      if (o.timeInForce !== undefined || o.quoteOrderQty !== undefined) throw new InvalidOrderError('LIMIT_MAKER takes neither timeInForce nor quoteOrderQty');
      p.quantity = formatDecimal(positive('quantity', o.quantity), s.qty);
      p.price = formatDecimal(positive('price', o.price), s.price);
      break;
    case 'MARKET':
      if (o.price !== undefined || o.timeInForce !== undefined) throw new InvalidOrderError('MARKET orders take neither price nor timeInForce');
      if ((o.quantity === undefined) === (o.quoteOrderQty === undefined)) throw new InvalidOrderError('MARKET orders need exactly one of quantity and quoteOrderQty');
      if (o.quantity !== undefined) p.quantity = formatDecimal(positive('quantity', o.quantity), s.qty);
      else p.quoteOrderQty = formatDecimal(positive('quoteOrderQty', o.quoteOrderQty), s.quote);
      break;
    default:
      throw new InvalidOrderError(`type must be LIMIT, LIMIT_MAKER or MARKET, got ${JSON.stringify((o as { type: unknown }).type)}`);
  }
  p.newClientOrderId = o.clientOrderId;
  p.newOrderRespType = o.respType ?? defaultRespType;
  return p;
}
