import { z } from 'zod';
import { BookLevels } from '../../book/book-levels.js';
import { formatDecimal } from '../../core/fixed/decimal.js';
import type { BookDirectory } from '../book-directory.js';
import { ControlError } from '../errors.js';
import { defineCommand, type CommandDef } from '../registry.js';

export const MAX_SNAPSHOT_DEPTH = 1000;

/**
 * `book.snapshot`: the best levels of one shared book as decimal strings at the
 * instrument's scales, read with the same seqlock copy strategies use.
 */
export function bookSnapshotCommand(books: BookDirectory): CommandDef {
  return defineCommand({
    name: 'book.snapshot',
    summary: 'best levels of a book: venue=<venue> symbol=<SYMBOL> [depth=<1..1000, default 10>]',
    args: z.strictObject({
      venue: z.string().min(1).max(64),
      symbol: z.string().min(1).max(64),
      depth: z.int().min(1).max(MAX_SNAPSHOT_DEPTH).default(10),
    }),
    handler: (args) => {
      const entry = books.get(args.venue, args.symbol);
      if (entry === undefined) {
        const known = books.list().map((e) => `${e.venue}:${e.instrument.symbol}`);
        const list = known.length === 0 ? 'none' : known.slice(0, 20).join(', ') + (known.length > 20 ? `, … (${known.length})` : '');
        throw new ControlError('UNKNOWN_BOOK', `no book for ${args.venue}:${args.symbol}; books: ${list}`);
      }
      const levels = new BookLevels(args.depth);
      if (!entry.reader.readTop(args.depth, levels)) {
        throw new ControlError('BOOK_BUSY', `book ${args.venue}:${args.symbol} changed through every read attempt; try again`);
      }
      const { priceScale, qtyScale } = entry.instrument;
      const level = (p: number, q: number): [string, string] => [formatDecimal(BigInt(p), priceScale), formatDecimal(BigInt(q), qtyScale)];
      const bids: [string, string][] = [];
      const asks: [string, string][] = [];
      for (let i = 0; i < levels.bidCount; i++) bids.push(level(levels.bidPrice(i), levels.bidQty(i)));
      for (let i = 0; i < levels.askCount; i++) asks.push(level(levels.askPrice(i), levels.askQty(i)));
      return {
        venue: entry.venue,
        symbol: entry.instrument.symbol,
        valid: levels.valid,
        version: levels.version,
        lastUpdateId: levels.lastUpdateId,
        exchangeTime: levels.exchangeTime,
        bids,
        asks,
      };
    },
  }) as CommandDef;
}
