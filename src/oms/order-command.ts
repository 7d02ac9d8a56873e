/**
 * Commands from the oms to the io thread (the orders-out ring). They reuse the 64-byte
 * OrderIntent layout — the fields an order needs are the same — with `clientOrderId`
 * holding the order's WAL seq (the numeric part of the venue client order id) and
 * `action` one of OrderCommandAction. QUERY and RECONCILE exist only on this ring, so
 * their values sit above every IntentAction.
 */
import { EventType, IntentAction } from '../core/schema/constants.js';
import type { EventBuffer } from '../core/schema/event-buffer.js';
import { ORDER_INTENT } from '../core/schema/offsets.js';

export const OrderCommandAction = {
  NEW: IntentAction.NEW,
  CANCEL: IntentAction.CANCEL,
  /** Ask the venue for the status of order `clientOrderId` (never a resend). */
  QUERY: 16,
  /** Send every open venue order as a STATUS report, then a RECONCILE_DONE control record. */
  RECONCILE: 17,
} as const;

export const ORDER_COMMAND_SLOT_BYTES = 64;

/** Writes a command at `at`. Prices and quantities are bigint mantissas (order rate, not tick rate). */
export function writeOrderCommand(
  buf: EventBuffer,
  at: number,
  action: number,
  seq: number,
  strategyId: number,
  instrument: number,
  flags: number,
  orderType: number,
  tif: number,
  price: bigint,
  qty: bigint,
): void {
  buf.clear(at, ORDER_COMMAND_SLOT_BYTES);
  buf.setU8(at + ORDER_INTENT.type, EventType.ORDER_INTENT);
  buf.setU8(at + ORDER_INTENT.action, action);
  buf.setU16(at + ORDER_INTENT.flags, flags);
  buf.setU32(at + ORDER_INTENT.instrument, instrument);
  buf.setU32(at + ORDER_INTENT.strategyId, strategyId);
  buf.setU8(at + ORDER_INTENT.orderType, orderType);
  buf.setU8(at + ORDER_INTENT.tif, tif);
  buf.setI64Number(at + ORDER_INTENT.clientOrderId, seq);
  buf.setI64(at + ORDER_INTENT.price, price);
  buf.setI64(at + ORDER_INTENT.qty, qty);
}
