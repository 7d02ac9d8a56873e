/**
 * Binance spot JSON shapes built from matching-engine views: new-order replies
 * (ACK / RESULT / FULL), query and cancel replies, executionReport and
 * outboundAccountPosition events, account information and trade lists. Field names,
 * order and decimal formatting follow binance-spot-api-docs (shared/protocols fixtures).
 */
import type { Instrument } from '../../../core/instruments/instrument.js';
import type { BinanceFormat } from '../market/format.js';
import type { Fill, OrderView } from '../matching/types.js';
import type { AccountTrade, SimAccount } from '../account/account.js';
import { RATE_SCALE } from '../account/account.js';
import { formatBalance } from '../account/balances.js';
import type { RespType } from './order-params.js';

/** A fill as the FULL reply lists it; commission at the commission asset's balance scale. */
export interface ReplyFill {
  price: bigint;
  qty: bigint;
  commission: bigint;
  commissionAsset: string;
  commissionScale: number;
  tradeId: number;
}

export class ResponseBuilder {
  constructor(private readonly fmt: BinanceFormat) {}

  newOrder(inst: Instrument, o: OrderView, respType: RespType, transactTime: number, fills: ReplyFill[]): Record<string, unknown> {
    const ack: Record<string, unknown> = {
      symbol: o.symbol,
      orderId: o.orderId,
      orderListId: -1,
      clientOrderId: o.clientOrderId,
      transactTime,
    };
    if (respType === 'ACK') return ack;
    const full: Record<string, unknown> = {
      ...ack,
      price: this.fmt.price(inst, o.price),
      origQty: this.fmt.qty(inst, o.origQty),
      executedQty: this.fmt.qty(inst, o.executedQty),
      origQuoteOrderQty: this.fmt.quote(inst, 0n),
      cummulativeQuoteQty: this.fmt.quote(inst, o.cumQuote),
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
      workingTime: o.timeMs,
      selfTradePreventionMode: 'NONE',
    };
    if (respType === 'RESULT') return full;
    full.fills = fills.map((f) => ({
      price: this.fmt.price(inst, f.price),
      qty: this.fmt.qty(inst, f.qty),
      commission: formatBalance(f.commission, f.commissionScale),
      commissionAsset: f.commissionAsset,
      tradeId: f.tradeId,
    }));
    return full;
  }

  /** GET /api/v3/order, openOrders entries, WS API order.status. */
  queryOrder(inst: Instrument, o: OrderView): Record<string, unknown> {
    const open = o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
    return {
      symbol: o.symbol,
      orderId: o.orderId,
      orderListId: -1,
      clientOrderId: o.clientOrderId,
      price: this.fmt.price(inst, o.price),
      origQty: this.fmt.qty(inst, o.origQty),
      executedQty: this.fmt.qty(inst, o.executedQty),
      cummulativeQuoteQty: this.fmt.quote(inst, o.cumQuote),
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
      stopPrice: this.fmt.price(inst, 0n),
      icebergQty: this.fmt.qty(inst, 0n),
      time: o.timeMs,
      updateTime: o.updateTimeMs,
      isWorking: open || o.type !== 'MARKET',
      workingTime: o.timeMs,
      origQuoteOrderQty: this.fmt.quote(inst, 0n),
      selfTradePreventionMode: 'NONE',
    };
  }

  /** DELETE /api/v3/order, WS API order.cancel, DELETE /api/v3/openOrders entries. */
  cancel(inst: Instrument, o: OrderView, cancelClientOrderId: string, transactTime: number): Record<string, unknown> {
    return {
      symbol: o.symbol,
      origClientOrderId: o.clientOrderId,
      orderId: o.orderId,
      orderListId: -1,
      clientOrderId: cancelClientOrderId,
      transactTime,
      price: this.fmt.price(inst, o.price),
      origQty: this.fmt.qty(inst, o.origQty),
      executedQty: this.fmt.qty(inst, o.executedQty),
      origQuoteOrderQty: this.fmt.quote(inst, 0n),
      cummulativeQuoteQty: this.fmt.quote(inst, o.cumQuote),
      status: o.status,
      timeInForce: o.timeInForce,
      type: o.type,
      side: o.side,
      selfTradePreventionMode: 'NONE',
    };
  }

  executionReport(
    inst: Instrument,
    o: OrderView,
    fill: Fill | null,
    trade: { commission: bigint; commissionAsset: string; commissionScale: number } | null,
    opts: { eventTime: number; executionId: number; clientOrderId: string; origClientOrderId: string; isMaker: boolean },
  ): Record<string, unknown> {
    const x = fill ? 'TRADE' : o.status === 'PARTIALLY_FILLED' || o.status === 'FILLED' ? 'TRADE' : o.status;
    const onBook = (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') && o.type !== 'MARKET' && o.timeInForce === 'GTC';
    return {
      e: 'executionReport',
      E: opts.eventTime,
      s: o.symbol,
      c: opts.clientOrderId,
      S: o.side,
      o: o.type,
      f: o.timeInForce,
      q: this.fmt.qty(inst, o.origQty),
      p: this.fmt.price(inst, o.price),
      P: this.fmt.price(inst, 0n),
      F: this.fmt.qty(inst, 0n),
      g: -1,
      C: opts.origClientOrderId,
      x,
      X: o.status,
      r: 'NONE',
      i: o.orderId,
      l: this.fmt.qty(inst, fill ? fill.quantity : 0n),
      z: this.fmt.qty(inst, o.executedQty),
      L: this.fmt.price(inst, fill ? fill.price : 0n),
      n: trade ? formatBalance(trade.commission, trade.commissionScale) : '0',
      N: trade ? trade.commissionAsset : null,
      T: fill ? fill.timeMs : o.updateTimeMs,
      t: fill ? fill.tradeId : -1,
      I: opts.executionId,
      w: onBook,
      m: fill ? opts.isMaker : false,
      M: false,
      O: o.timeMs,
      Z: this.fmt.quote(inst, o.cumQuote),
      Y: this.fmt.quote(inst, fill ? fill.price * fill.quantity : 0n),
      Q: this.fmt.quote(inst, 0n),
      W: o.timeMs,
      V: 'NONE',
    };
  }

  outboundAccountPosition(account: SimAccount, assets: string[], eventTime: number): Record<string, unknown> {
    return {
      e: 'outboundAccountPosition',
      E: eventTime,
      u: account.updateTime,
      B: assets.map((a) => {
        const b = account.balances.get(a);
        return { a, f: account.balances.format(a, b.free), l: account.balances.format(a, b.locked) };
      }),
    };
  }

  account(account: SimAccount, omitZeroBalances: boolean, uid: number): Record<string, unknown> {
    const balances = [];
    for (const asset of account.balances.assets().sort()) {
      const b = account.balances.get(asset);
      if (omitZeroBalances && b.free === 0n && b.locked === 0n) continue;
      balances.push({ asset, free: account.balances.format(asset, b.free), locked: account.balances.format(asset, b.locked) });
    }
    return {
      makerCommission: Number(account.makerRate / 10n ** BigInt(RATE_SCALE - 4)),
      takerCommission: Number(account.takerRate / 10n ** BigInt(RATE_SCALE - 4)),
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: {
        maker: formatBalance(account.makerRate, RATE_SCALE),
        taker: formatBalance(account.takerRate, RATE_SCALE),
        buyer: formatBalance(0n, RATE_SCALE),
        seller: formatBalance(0n, RATE_SCALE),
      },
      canTrade: true,
      canWithdraw: true,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: account.updateTime,
      accountType: 'SPOT',
      balances,
      permissions: ['SPOT'],
      uid,
    };
  }

  trade(inst: Instrument, t: AccountTrade, commissionScale: number): Record<string, unknown> {
    return {
      symbol: t.symbol,
      id: t.id,
      orderId: t.orderId,
      orderListId: -1,
      price: this.fmt.price(inst, t.price),
      qty: this.fmt.qty(inst, t.qty),
      quoteQty: this.fmt.quote(inst, t.quoteQty),
      commission: formatBalance(t.commission, commissionScale),
      commissionAsset: t.commissionAsset,
      time: t.time,
      isBuyer: t.isBuyer,
      isMaker: t.isMaker,
      isBestMatch: true,
    };
  }
}
