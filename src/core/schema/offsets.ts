/**
 * Field offsets of every record, relative to the start of its slot. Hot code copies
 * the ones it needs into module constants, e.g. `const { price: PRICE } = MD_LEVEL`,
 * so each access is `slot + PRICE` with no lookup.
 */
import {
  BookChanged,
  Control,
  ExecReport,
  MdBbo,
  MdGap,
  MdLevel,
  MdMarker,
  MdTrade,
  OrderIntent,
  OrderUpdate,
} from './definition.js';
import { offsetsOf } from './layout.js';

export const MD_LEVEL = offsetsOf(MdLevel);
export const MD_TRADE = offsetsOf(MdTrade);
export const MD_BBO = offsetsOf(MdBbo);
export const MD_MARKER = offsetsOf(MdMarker);
export const MD_GAP = offsetsOf(MdGap);
export const BOOK_CHANGED = offsetsOf(BookChanged);
export const ORDER_INTENT = offsetsOf(OrderIntent);
export const ORDER_UPDATE = offsetsOf(OrderUpdate);
export const EXEC_REPORT = offsetsOf(ExecReport);
export const CONTROL = offsetsOf(Control);

/** Fields every record has at the same offsets. */
export const COMMON = { type: 0, flags: 2, instrument: 4 } as const;
