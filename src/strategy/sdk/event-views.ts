/**
 * Book and trade events as lazy views over their record where it lies (the ring slot,
 * which the consumer does not release before the handler returns): a field is decoded
 * only when read, and nothing is copied. One view object per kind is reused for every
 * event, so an event is valid during the handler call only. (A 16-word copy into a
 * private slot measured ~5x the rest of the dispatch on Node 20: typed-array copy loops
 * are slow in V8 11; see bench/strategy-dispatch.ts.)
 */
import { BookFlag, MdFlag } from '../../core/schema/constants.js';
import { EventBuffer } from '../../core/schema/event-buffer.js';
import { BOOK_CHANGED, MD_TRADE } from '../../core/schema/offsets.js';
import type { BookEvent, BookView, TradeEvent } from './events.js';
import type { SideName } from './names.js';

const EMPTY = new EventBuffer(new ArrayBuffer(64));

abstract class RecordView {
  protected buf: EventBuffer = EMPTY;
  protected at = 0;
  instrument = '';

  load(src: EventBuffer, at: number, instrument: string): void {
    this.buf = src;
    this.at = at;
    this.instrument = instrument;
  }

  /** Detaches from the slot after the handler: a kept event then reads an empty record, not a reused slot. */
  release(): void {
    this.buf = EMPTY;
    this.at = 0;
  }

  protected i64OrNull(field: number): bigint | null {
    const p = this.at + field;
    return this.buf.isUndef(p) ? null : this.buf.getI64(p);
  }
}

export class BookEventView extends RecordView implements BookEvent {
  readonly kind = 'book' as const;
  private readonly bookOf: (instrument: string) => BookView;

  constructor(bookOf: (instrument: string) => BookView) {
    super();
    this.bookOf = bookOf;
  }

  get valid(): boolean {
    return (this.buf.getU16(this.at + BOOK_CHANGED.flags) & BookFlag.VALID) !== 0;
  }
  get topChanged(): boolean {
    return (this.buf.getU16(this.at + BOOK_CHANGED.flags) & BookFlag.TOP_CHANGED) !== 0;
  }
  get fromSnapshot(): boolean {
    return (this.buf.getU16(this.at + BOOK_CHANGED.flags) & BookFlag.SNAPSHOT) !== 0;
  }
  get bidPrice(): bigint | null {
    return this.i64OrNull(BOOK_CHANGED.bidPrice);
  }
  get askPrice(): bigint | null {
    return this.i64OrNull(BOOK_CHANGED.askPrice);
  }
  get seq(): bigint {
    return this.buf.getU64(this.at + BOOK_CHANGED.seq);
  }
  get exchTimeNs(): bigint | null {
    return this.i64OrNull(BOOK_CHANGED.exchTimeNs);
  }
  get recvTimeNs(): bigint {
    return this.buf.getI64(this.at + BOOK_CHANGED.recvTimeNs);
  }
  get book(): BookView {
    return this.bookOf(this.instrument);
  }
}

export class TradeEventView extends RecordView implements TradeEvent {
  readonly kind = 'trade' as const;

  get price(): bigint {
    return this.buf.getI64(this.at + MD_TRADE.price);
  }
  get qty(): bigint {
    return this.buf.getI64(this.at + MD_TRADE.qty);
  }
  get aggressor(): SideName | null {
    const side = this.buf.getU16(this.at + MD_TRADE.flags) & MdFlag.SIDE_MASK;
    return side === MdFlag.BUY ? 'buy' : side === MdFlag.SELL ? 'sell' : null;
  }
  get tradeId(): bigint | null {
    return this.buf.isIdUndef(this.at + MD_TRADE.tradeId) ? null : this.buf.getU64(this.at + MD_TRADE.tradeId);
  }
  get seq(): bigint | null {
    return this.buf.isIdUndef(this.at + MD_TRADE.seq) ? null : this.buf.getU64(this.at + MD_TRADE.seq);
  }
  get exchTimeNs(): bigint | null {
    return this.i64OrNull(MD_TRADE.exchTimeNs);
  }
  get recvTimeNs(): bigint {
    return this.buf.getI64(this.at + MD_TRADE.recvTimeNs);
  }
}
