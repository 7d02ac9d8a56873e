/**
 * The names strategies use for schema codes. Strategy code says 'buy', 'limit', 'GTC',
 * 'FILLED' or 'PRICE_BAND'; the binary records carry the numbers. Name tables are built
 * from src/core/schema/constants.ts, so a code added there gets its name here for free.
 */
import { IntentFlag, OrderState, OrderType, RejectReason, TimeInForce } from '../../core/schema/constants.js';

export type SideName = 'buy' | 'sell';
export type OrderTypeName = 'limit' | 'market';
export type TifName = keyof typeof TimeInForce;
export type OrderStateName = keyof typeof OrderState;
export type RejectReasonName = keyof typeof RejectReason;

export const SIDE_FLAGS: Readonly<Record<SideName, number>> = { buy: IntentFlag.BUY, sell: IntentFlag.SELL };
export const ORDER_TYPES: Readonly<Record<OrderTypeName, number>> = { limit: OrderType.LIMIT, market: OrderType.MARKET };
export const TIFS: Readonly<Record<TifName, number>> = TimeInForce;

function nameTable<K extends string>(values: Readonly<Record<K, number>>): (K | undefined)[] {
  const out: (K | undefined)[] = [];
  for (const [name, code] of Object.entries(values) as [K, number][]) out[code] = name;
  return out;
}

const STATE_NAMES = nameTable(OrderState);
const REASON_NAMES = nameTable(RejectReason);
const TYPE_NAMES = nameTable(ORDER_TYPES);
const TIF_NAMES = nameTable(TIFS);

/** The OrderState name of `code`; 'UNKNOWN' for a code this build does not know. */
export function orderStateName(code: number): OrderStateName {
  return STATE_NAMES[code] ?? 'UNKNOWN';
}

/**
 * The RejectReason name of `code`. A code this build does not know (a newer oms) is
 * named 'UNRECOGNIZED'; the event still carries the raw number in `reasonCode`.
 */
export function rejectReasonName(code: number): RejectReasonName | 'UNRECOGNIZED' {
  return REASON_NAMES[code] ?? 'UNRECOGNIZED';
}

export function orderTypeName(code: number): OrderTypeName | undefined {
  return TYPE_NAMES[code];
}

export function tifName(code: number): TifName | undefined {
  return TIF_NAMES[code];
}

/** 'buy' / 'sell' from the side bits every order record keeps in the same place. */
export function sideFromFlags(flags: number): SideName | undefined {
  const side = flags & IntentFlag.SIDE_MASK;
  return side === IntentFlag.BUY ? 'buy' : side === IntentFlag.SELL ? 'sell' : undefined;
}
