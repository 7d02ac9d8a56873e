/**
 * Balance effects of orders, Binance spot rules:
 *   placing   BUY LIMIT locks price × qty of the quote asset, SELL locks qty of the base;
 *             a MARKET BUY locks what the book says it will cost (quoteOrderQty when given);
 *   a fill    spends from the lock (a BUY filled below its limit gets the difference back),
 *             credits the received asset minus commission;
 *   the end   (filled, canceled, expired) unlocks whatever is left.
 * Commission = received amount × maker/taker rate, charged in the received asset, rounded
 * UP to the asset's balance scale (the venue never undercharges).
 */
import { divRound, pow10 } from '../../../core/fixed/decimal.js';
import type { Instrument } from '../../../core/instruments/instrument.js';
import type { Fill, OrderView, Side } from '../matching/types.js';
import { RATE_SCALE, type Reservation, type SimAccount } from './account.js';
import { BalanceLedgerError } from './balances.js';

export function reservationKey(symbol: string, orderId: number): string {
  return `${symbol}:${orderId}`;
}

/** A base quantity (qtyScale) at the base asset's balance scale. */
export function baseAmount(account: SimAccount, inst: Instrument, qty: bigint): bigint {
  return qty * pow10(account.balances.scales.of(inst.base) - inst.qtyScale);
}

/** A notional (priceScale + qtyScale) at the quote asset's balance scale. */
export function quoteAmount(account: SimAccount, inst: Instrument, notional: bigint): bigint {
  return notional * pow10(account.balances.scales.of(inst.quote) - inst.priceScale - inst.qtyScale);
}

/** Commission on `received` (at the asset's scale) at `rate` (RATE_SCALE), rounded up. */
export function commissionOn(received: bigint, rate: bigint): bigint {
  return divRound(received * rate, pow10(RATE_SCALE), 'ceil');
}

/** What placing an order must lock; `price` 0 means "not a limit price" (MARKET). */
export function reservationFor(account: SimAccount, inst: Instrument, side: Side, price: bigint, qty: bigint, marketCost?: bigint): Reservation {
  if (side === 'SELL') return { asset: inst.base, amount: baseAmount(account, inst, qty), price: 0n };
  if (price > 0n) return { asset: inst.quote, amount: quoteAmount(account, inst, price * qty), price };
  return { asset: inst.quote, amount: quoteAmount(account, inst, marketCost ?? 0n), price: 0n };
}

export interface FillSettlement {
  commission: bigint;
  commissionAsset: string;
  commissionScale: number;
  isMaker: boolean;
}

/**
 * Applies one fill of `order` (owned by `account`) to its balances. Returns what was
 * charged. Throws BalanceLedgerError if the lock does not cover the fill (a bug).
 */
export function settleFill(account: SimAccount, inst: Instrument, order: OrderView, fill: Fill, res: Reservation | undefined): FillSettlement {
  const isMaker = fill.maker.orderId === order.orderId && fill.maker.owner === order.owner;
  const rate = isMaker ? account.makerRate : account.takerRate;
  const b = account.balances;
  const notional = quoteAmount(account, inst, fill.price * fill.quantity);
  const baseQty = baseAmount(account, inst, fill.quantity);
  let receivedAsset: string;
  let received: bigint;
  if (order.side === 'BUY') {
    const held = res && res.price > 0n ? quoteAmount(account, inst, res.price * fill.quantity) : notional;
    spend(account, inst.quote, notional, held, res);
    receivedAsset = inst.base;
    received = baseQty;
  } else {
    spend(account, inst.base, baseQty, baseQty, res);
    receivedAsset = inst.quote;
    received = notional;
  }
  const commission = commissionOn(received, rate);
  b.credit(receivedAsset, received - commission);
  return { commission, commissionAsset: receivedAsset, commissionScale: b.scales.of(receivedAsset), isMaker };
}

/**
 * Spends `amount` of `asset` out of the order's lock, where the lock set aside `held`
 * for this fill (held ≥ amount for a BUY filled below its limit: the rest goes back).
 * A lock that falls short (a MARKET estimate) is topped up from free.
 */
function spend(account: SimAccount, asset: string, amount: bigint, held: bigint, res: Reservation | undefined): void {
  const b = account.balances;
  const available = res ? (res.amount < held ? res.amount : held) : 0n;
  if (available < amount) {
    const extra = amount - available;
    if (!b.tryLock(asset, extra)) throw new BalanceLedgerError(`${asset}: a fill needs ${extra} more than its order locked, and free is short`);
    b.spendLocked(asset, amount);
    if (res) res.amount -= available;
    return;
  }
  b.spendLocked(asset, amount);
  b.unlock(asset, available - amount);
  if (res) res.amount -= available;
}

/** Releases what an order still holds once it can no longer fill. */
export function releaseReservation(account: SimAccount, res: Reservation): void {
  if (res.amount > 0n) account.balances.unlock(res.asset, res.amount);
  res.amount = 0n;
}
