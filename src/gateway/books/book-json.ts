/**
 * JSON of a book copy (BookLevels) for the REST route and the push channel: decimal
 * strings at the instrument's scales, best level first, never a float.
 */
import type { BookLevels } from '../../book/book-levels.js';
import { BookFlag } from '../../book/book-descriptor.js';
import type { BookHandle } from './book-directory.js';
import { formatMantissa } from './mantissa-format.js';

function side(levels: BookLevels, bids: boolean, priceScale: number, qtyScale: number): string {
  const n = bids ? levels.bidCount : levels.askCount;
  let out = '[';
  for (let i = 0; i < n; i++) {
    const px = bids ? levels.bidPrice(i) : levels.askPrice(i);
    const qty = bids ? levels.bidQty(i) : levels.askQty(i);
    out += `${i === 0 ? '' : ','}["${formatMantissa(px, priceScale)}","${formatMantissa(qty, qtyScale)}"]`;
  }
  return `${out}]`;
}

/**
 * The fields of one book state, without braces, so callers can prefix their own
 * (`"channel":"book","sub":…` on the push channel).
 */
export function bookFields(book: BookHandle, levels: BookLevels): string {
  const state = levels.valid ? 'live' : (levels.flags & BookFlag.CROSSED) !== 0 ? 'crossed' : 'syncing';
  return (
    `"venue":${JSON.stringify(book.venue)},"symbol":${JSON.stringify(book.symbol)},"valid":${levels.valid},"state":"${state}",` +
    `"lastUpdateId":${levels.lastUpdateId},"exchangeTime":${levels.exchangeTime},"version":${levels.version},` +
    `"bids":${side(levels, true, book.priceScale, book.qtyScale)},"asks":${side(levels, false, book.priceScale, book.qtyScale)}`
  );
}
