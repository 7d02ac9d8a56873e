/**
 * Book and trade events as lazy views over a private copy of their record. The driver
 * copies each record (16 words, no allocation) into the view's own 64-byte buffer, so
 * the view is independent of the ring slot, and a field is decoded only when read.
 * One view object per kind is reused for every event: valid during the handler call.
 */
import { BookFlag, MdFlag } from '../../core/schema/constants.js';
import { EventBuffer } from '../../core/schema/event-buffer.js';
import { BOOK_CHANGED, MD_TRADE } from '../../core/schema/offsets.js';
import type { BookEvent, BookView, TradeEvent } from './events.js';
import type { SideName } from './names.js';

const SLOT_BYTES = 64;

abstract class RecordView {
  readonly buf = new EventBuffer(new ArrayBuffer(SLOT_BYTES));
  instrument = '';

  load(src: EventBuffer, at: number, instrument: string): void {
    src.copySlot(at, 0, SLOT_BYTES, this.buf);
    this.instrument = instrument;
  }

  protected i64OrNull(at: number): bigint | null {
    return this.buf.isUndef(at) ? null : this.buf.getI64(at);
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
    return (this.buf.getU16(BOOK_CHANGED.flags) & BookFlag.VALID) !== 0;
  }
  get topChanged(): boolean {
    return (this.buf.getU16(BOOK_CHANGED.flags) & BookFlag.TOP_CHANGED) !== 0;
  }
  get fromSnapshot(): boolean {
    return (this.buf.getU16(BOOK_CHANGED.flags) & BookFlag.SNAPSHOT) !== 0;
  }
  get bidPrice(): bigint | null {
    return this.i64OrNull(BOOK_CHANGED.bidPrice);
  }
  get askPrice(): bigint | null {
    return this.i64OrNull(BOOK_CHANGED.askPrice);
  }
  get seq(): bigint {
    return this.buf.getU64(BOOK_CHANGED.seq);
  }
  get exchTimeNs(): bigint | null {
    return this.i64OrNull(BOOK_CHANGED.exchTimeNs);
  }
  get recvTimeNs(): bigint {
    return this.buf.getI64(BOOK_CHANGED.recvTimeNs);
  }
  get book(): BookView {
    return this.bookOf(this.instrument);
  }
}

export class TradeEventView extends RecordView implements TradeEvent {
  readonly kind = 'trade' as const;

  get price(): bigint {
    return this.buf.getI64(MD_TRADE.price);
  }
  get qty(): bigint {
    return this.buf.getI64(MD_TRADE.qty);
  }
  get aggressor(): SideName | null {
    const side = this.buf.getU16(MD_TRADE.flags) & MdFlag.SIDE_MASK;
    return side === MdFlag.BUY ? 'buy' : side === MdFlag.SELL ? 'sell' : null;
  }
  get tradeId(): bigint | null {
    return this.buf.isIdUndef(MD_TRADE.tradeId) ? null : this.buf.getU64(MD_TRADE.tradeId);
  }
  get seq(): bigint | null {
    return this.buf.isIdUndef(MD_TRADE.seq) ? null : this.buf.getU64(MD_TRADE.seq);
  }
  get exchTimeNs(): bigint | null {
    return this.i64OrNull(MD_TRADE.exchTimeNs);
  }
  get recvTimeNs(): bigint {
    return this.buf.getI64(MD_TRADE.recvTimeNs);
  }
}
