/**
 * From an EXEC_REPORT slot (io thread → oms) to an OrderEvent for the state machine.
 *
 * The record has no exec type for a refused cancel or amend, so the io thread encodes
 * them as ExecType.REJECTED with `status` saying what was refused (a convention of this
 * module; the venue adapters must follow it):
 *   REJECTED + status PENDING_CANCEL   → CANCEL_REJECTED
 *   REJECTED + status PENDING_REPLACE  → REPLACE_REJECTED
 *   REJECTED + any other status        → REJECTED (the NEW was refused)
 *   STATUS   + status UNKNOWN (0)      → NOT_FOUND (the venue does not know the id)
 *   STATUS   + a state                 → STATUS
 * Allocates the bigints it reads (order-rate path, not market-data rate).
 */
import type { EventBuffer } from '../core/schema/event-buffer.js';
import { EXEC_REPORT } from '../core/schema/offsets.js';
import { ExecType, OrderFlag, OrderState } from '../core/schema/constants.js';
import { OrderEvent, OrderEventKind } from './order.js';

export const ExecReadStatus = {
  OK: 0,
  /** The client order id is not ours (no OURS flag): reconciliation's business. */
  NOT_OURS: -1,
  /** Unknown exec type: counted and dropped. */
  BAD_EXEC_TYPE: -2,
} as const;

function kindOf(execType: number, status: number): number {
  switch (execType) {
    case ExecType.NEW:
      return OrderEventKind.ACK;
    case ExecType.TRADE:
      return OrderEventKind.TRADE;
    case ExecType.CANCELED:
      return OrderEventKind.CANCELED;
    case ExecType.EXPIRED:
      return OrderEventKind.EXPIRED;
    case ExecType.REPLACED:
      return OrderEventKind.REPLACED;
    case ExecType.REJECTED:
      return status === OrderState.PENDING_CANCEL
        ? OrderEventKind.CANCEL_REJECTED
        : status === OrderState.PENDING_REPLACE
          ? OrderEventKind.REPLACE_REJECTED
          : OrderEventKind.REJECTED;
    case ExecType.STATUS:
      return status === OrderState.UNKNOWN ? OrderEventKind.NOT_FOUND : OrderEventKind.STATUS;
    default:
      return 0;
  }
}

/**
 * Fills `ev` from the report at byte `at` and returns the order's seq (≥ 1), or an
 * ExecReadStatus (< 1). `assetName` maps the interned fee asset id to its name.
 */
export function readExecReport(buf: EventBuffer, at: number, ev: OrderEvent, assetName: (id: number) => string): number {
  const execType = buf.getU8(at + EXEC_REPORT.execType);
  const status = buf.getU8(at + EXEC_REPORT.status);
  const kind = kindOf(execType, status);
  if (kind === 0) return ExecReadStatus.BAD_EXEC_TYPE;
  const flags = buf.getU16(at + EXEC_REPORT.flags);
  if ((flags & OrderFlag.OURS) === 0) return ExecReadStatus.NOT_OURS;
  ev.reset(kind as OrderEvent['kind'], buf.getI64Number(at + EXEC_REPORT.recvTimeNs));
  ev.status = status;
  ev.reason = buf.getU16(at + EXEC_REPORT.reason);
  ev.venueOrderId = buf.getU64(at + EXEC_REPORT.venueOrderId);
  ev.price = buf.getI64(at + EXEC_REPORT.price);
  ev.qty = buf.getI64(at + EXEC_REPORT.qty);
  ev.cumQty = buf.getI64(at + EXEC_REPORT.cumQty);
  if (kind === OrderEventKind.TRADE || (flags & OrderFlag.FILL) !== 0) {
    ev.tradeId = buf.getU64(at + EXEC_REPORT.tradeId);
    ev.lastQty = buf.getI64(at + EXEC_REPORT.lastQty);
    ev.lastPx = buf.getI64(at + EXEC_REPORT.lastPx);
    ev.fee = buf.getI64(at + EXEC_REPORT.fee);
    const asset = buf.getU16(at + EXEC_REPORT.feeAsset);
    ev.feeAsset = asset === 0 ? '' : assetName(asset);
    ev.maker = (flags & OrderFlag.MAKER) !== 0;
  }
  return buf.getU64Number(at + EXEC_REPORT.clientOrderId);
}
