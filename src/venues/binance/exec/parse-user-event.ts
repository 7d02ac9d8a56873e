/**
 * User-data events as the WS API delivers them ({"subscriptionId":N,"event":{…}}):
 * executionReport → ExecReport, outboundAccountPosition → BalanceUpdate; other event
 * types (balanceUpdate, listStatus, eventStreamTerminated, …) are recognised and
 * passed over. Fields follow user-data-stream.md; decimals are read at the symbol's
 * scales, commissions and balances at the asset's.
 */
import { ReplyFormatError } from './errors.js';
import { ORDER_STATUSES, SIDES } from './parse-order.js';
import { asObject, bool, dec, int, oneOf, str, type Json } from './reply-fields.js';
import type { ScaleBook } from './scales.js';
import type { Balance, BalanceUpdate, ExecReport, ExecutionType, OrderStatus, Side } from './types.js';

const EXECUTION_TYPES: ReadonlySet<string> = new Set(['NEW', 'CANCELED', 'REPLACED', 'REJECTED', 'TRADE', 'EXPIRED', 'TRADE_PREVENTION']);

export function parseExecutionReport(e: Json, scales: ScaleBook, seq: number, receivedNs: bigint): ExecReport {
  const where = 'executionReport';
  const symbol = str(e, 's', where);
  const s = scales.symbol(symbol);
  if (!s) throw new ReplyFormatError(`${where}: symbol ${symbol} is not one this adapter trades`);
  const clientOrderId = str(e, 'c', where);
  const origClientOrderId = typeof e.C === 'string' ? e.C : '';
  const executionType = oneOf<ExecutionType>(e, 'x', EXECUTION_TYPES, where);
  const commissionAsset = e.N === null || e.N === undefined ? null : str(e, 'N', where);
  return {
    symbol,
    // On a cancel, `c` is the cancel request's id and `C` the order's own.
    orderClientId: executionType === 'CANCELED' && origClientOrderId !== '' ? origClientOrderId : clientOrderId,
    clientOrderId,
    origClientOrderId,
    orderId: int(e, 'i', where),
    side: oneOf<Side>(e, 'S', SIDES, where),
    orderType: str(e, 'o', where),
    timeInForce: str(e, 'f', where),
    executionType,
    orderStatus: oneOf<OrderStatus>(e, 'X', ORDER_STATUSES, where),
    rejectReason: str(e, 'r', where),
    price: dec(e, 'p', s.price, where),
    quantity: dec(e, 'q', s.qty, where),
    lastQty: dec(e, 'l', s.qty, where),
    cumQty: dec(e, 'z', s.qty, where),
    lastPrice: dec(e, 'L', s.price, where),
    cumQuote: dec(e, 'Z', s.quote, where),
    lastQuote: dec(e, 'Y', s.quote, where),
    commission: dec(e, 'n', commissionAsset === null ? scales.asset('') : scales.asset(commissionAsset), where),
    commissionAsset,
    tradeId: int(e, 't', where),
    executionId: int(e, 'I', where),
    isMaker: bool(e, 'm', where),
    onBook: bool(e, 'w', where),
    eventTimeMs: int(e, 'E', where),
    transactTimeMs: int(e, 'T', where),
    seq,
    receivedNs,
  };
}

export function parseAccountPosition(e: Json, scales: ScaleBook, seq: number): BalanceUpdate {
  const where = 'outboundAccountPosition';
  if (!Array.isArray(e.B)) throw new ReplyFormatError(`${where}: B must be an array`);
  const balances: Balance[] = e.B.map((b, i) => {
    const w = `${where}.B[${i}]`;
    const o = asObject(b, w);
    const asset = str(o, 'a', w);
    const scale = scales.asset(asset);
    return { asset, free: dec(o, 'f', scale, w), locked: dec(o, 'l', scale, w), scale };
  });
  return { eventTimeMs: int(e, 'E', where), updateTimeMs: int(e, 'u', where), balances, seq };
}
