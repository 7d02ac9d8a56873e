/**
 * Orders as the venue reports them: new-order replies (ACK / RESULT / FULL), cancel
 * replies, order queries and open-order lists; REST and WS API use the same shapes.
 */
import { ReplyFormatError } from './errors.js';
import { asObject, dec, int, oneOf, optDec, optInt, optStr, str, type Json } from './reply-fields.js';
import type { ScaleBook } from './scales.js';
import type { OrderStatus, Side, VenueFill, VenueOrder } from './types.js';

export const ORDER_STATUSES: ReadonlySet<string> = new Set(['NEW', 'PENDING_NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'PENDING_CANCEL', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH']);
export const SIDES: ReadonlySet<string> = new Set(['BUY', 'SELL']);

export function parseVenueOrder(body: unknown, scales: ScaleBook, where: string): VenueOrder {
  const o = asObject(body, where);
  const symbol = str(o, 'symbol', where);
  const s = scales.symbol(symbol);
  if (!s) throw new ReplyFormatError(`${where}: symbol ${symbol} is not one this adapter trades`);
  const order: VenueOrder = { symbol, orderId: int(o, 'orderId', where), clientOrderId: str(o, 'clientOrderId', where) };
  const orig = optStr(o, 'origClientOrderId', where);
  if (orig !== undefined) order.origClientOrderId = orig;
  if (o.status !== undefined) order.status = oneOf<OrderStatus>(o, 'status', ORDER_STATUSES, where);
  if (o.side !== undefined) order.side = oneOf<Side>(o, 'side', SIDES, where);
  const type = optStr(o, 'type', where);
  if (type !== undefined) order.type = type;
  const tif = optStr(o, 'timeInForce', where);
  if (tif !== undefined) order.timeInForce = tif;
  const price = optDec(o, 'price', s.price, where);
  if (price !== undefined) order.price = price;
  const origQty = optDec(o, 'origQty', s.qty, where);
  if (origQty !== undefined) order.origQty = origQty;
  const executedQty = optDec(o, 'executedQty', s.qty, where);
  if (executedQty !== undefined) order.executedQty = executedQty;
  const cumQuote = optDec(o, 'cummulativeQuoteQty', s.quote, where);
  if (cumQuote !== undefined) order.cumQuote = cumQuote;
  const t = optInt(o, 'transactTime', where) ?? optInt(o, 'updateTime', where);
  if (t !== undefined) order.transactTimeMs = t;
  if (o.fills !== undefined) {
    if (!Array.isArray(o.fills)) throw new ReplyFormatError(`${where}: fills must be an array`);
    order.fills = o.fills.map((f, i) => parseFill(asObject(f, `${where}.fills[${i}]`), s.price, s.qty, scales, `${where}.fills[${i}]`));
  }
  return order;
}

function parseFill(f: Json, priceScale: number, qtyScale: number, scales: ScaleBook, where: string): VenueFill {
  const commissionAsset = str(f, 'commissionAsset', where);
  return {
    price: dec(f, 'price', priceScale, where),
    qty: dec(f, 'qty', qtyScale, where),
    commission: dec(f, 'commission', scales.asset(commissionAsset), where),
    commissionAsset,
    tradeId: int(f, 'tradeId', where),
  };
}

export function parseVenueOrders(body: unknown, scales: ScaleBook, where: string): VenueOrder[] {
  if (!Array.isArray(body)) throw new ReplyFormatError(`${where}: expected an array`);
  return body.map((o, i) => parseVenueOrder(o, scales, `${where}[${i}]`));
}
