/**
 * Self-trade prevention: a new order must not cross one of our own resting orders on the
 * same instrument, since the venue would match us against ourselves (wash trade, fees
 * paid twice). Orders that cannot rest (market, IOC, FOK) are not resting liquidity; a
 * post-only new order never takes liquidity, so it cannot self-trade (the venue rejects it
 * instead) and is not checked. Orders with a cancel in flight still count: until the
 * venue confirms, they may rest.
 *
 * A linear scan of the instrument's open orders: with tens of orders this is a few
 * nanoseconds each and needs no sorted structure to maintain.
 */
import { Side } from '../core/schema/constants.js';
import type { OpenOrderIndex } from './open-orders.js';

/**
 * Whether a new order (side, limit price or market) would cross a resting order of ours.
 * `strategyScope` ≥ 0 limits the search to that strategy's orders; `excludeSlot` skips the
 * order being amended.
 */
export function crossesOwnOrder(
  index: OpenOrderIndex,
  instrument: number,
  side: number,
  isMarket: boolean,
  price: number,
  strategyScope: number,
  excludeSlot: number,
): boolean {
  const slots = index.slotsOf(instrument);
  const slotSide = index.slotSide;
  const slotPrice = index.slotPrice;
  const resting = index.slotResting;
  const leaves = index.slotLeaves;
  const buy = side === Side.BUY;
  // Cheapest tests first: side and price reject most slots with two reads.
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (slotSide[s] === side) continue;
    if (!isMarket && (buy ? price < slotPrice[s]! : price > slotPrice[s]!)) continue;
    if (s === excludeSlot || resting[s] === 0 || leaves[s]! <= 0) continue;
    if (strategyScope >= 0 && index.slotStrategy[s] !== strategyScope) continue;
    return true;
  }
  return false;
}
