/**
 * Step 2 of the TS decoder, the twin of MdDecoder::decode() and friends in
 * native/core/binance_md_decoder.cc: reads the tokens SkeletonScan recorded, in a fixed
 * field order (so the first problem reported does not depend on key order), and writes
 * the message's events into staging slots and its header into a result record. 64-bit
 * values travel as 32-bit word pairs (lo, hi), so nothing allocates per message.
 */
import { parseDecimalAsciiWords } from '../../../core/fixed/decimal-ascii.js';
import { DecimalStatus } from '../../../core/fixed/errors.js';
import { EventType, MD_BBO, MD_LEVEL, MD_MARKER, MD_TRADE, MdFlag, Source } from '../../../core/schema/index.js';
import { DecodeStatus, IO, MessageKind, RESULT_BYTES } from './codes.js';
import { FIELD_COUNT, Field, LEVEL_SIDE_COUNT, LevelSide } from './fields.js';
import type { InstrumentIndex } from './instruments.js';
import { LEVEL_STRIDE, Lv, SkeletonScan, Tok } from './json-scan.js';

export const SLOT_WORDS = 16;
const TWO32 = 4294967296;
/** Largest ms whose ns value fits int64. */
const MAX_MS = 9223372036854;

// Word indices of the result record (IO offsets / 4).
export const R_KIND = IO.kind >> 2;
export const R_STATUS = IO.status >> 2;
const R_INSTRUMENT = IO.instrument >> 2;
export const R_SLOTS = IO.slots >> 2;
const R_FIRST = IO.firstSeq >> 2;
const R_SEQ = IO.seq >> 2;
const R_PREV = IO.prevSeq >> 2;
const R_LAST_TRADE = IO.lastTradeId >> 2;
const R_EXCH = IO.exchTimeNs >> 2;
const R_TX = IO.txTimeNs >> 2;
const R_REQUEST = IO.requestId >> 2;

// Word indices inside a slot (the md header is the same in every md record).
const W_SEQ = MD_LEVEL.seq >> 2;
const W_EXCH = MD_LEVEL.exchTimeNs >> 2;
const W_RECV = MD_LEVEL.recvTimeNs >> 2;
const W_INSTRUMENT = MD_LEVEL.instrument >> 2;
const W_PRICE = MD_LEVEL.price >> 2;
const W_QTY = MD_LEVEL.qty >> 2;
const W_FIRST = MD_LEVEL.firstSeq >> 2;
const W_PREV = MD_LEVEL.prevSeq >> 2;
const W_TRADE_PRICE = MD_TRADE.price >> 2;
const W_TRADE_QTY = MD_TRADE.qty >> 2;
const W_TRADE_ID = MD_TRADE.tradeId >> 2;
const W_BID_PRICE = MD_BBO.bidPrice >> 2;
const W_BID_QTY = MD_BBO.bidQty >> 2;
const W_ASK_PRICE = MD_BBO.askPrice >> 2;
const W_ASK_QTY = MD_BBO.askQty >> 2;
const W_LEVEL_COUNT = MD_MARKER.levelCount >> 2;
const W_BID_COUNT = MD_MARKER.bidCount >> 2;
const W_MARKER_FIRST = MD_MARKER.firstSeq >> 2;
const W_MARKER_PREV = MD_MARKER.prevSeq >> 2;
const H_FLAGS = MD_LEVEL.flags >> 1;

const E_DEPTH_UPDATE = ascii('depthUpdate');
const E_TRADE = ascii('trade');
const E_AGG_TRADE = ascii('aggTrade');
const E_BOOK_TICKER = ascii('bookTicker');
const E_SERVER_SHUTDOWN = ascii('serverShutdown');

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Common header values of one message's events, as word pairs (lo, hi). */
const C_SEQ = 0;
const C_EXCH = 2;
const C_RECV = 4;
const C_FIRST = 6;
const C_PREV = 8;

/** Result-record words that default to all ones (u64 SEQ_UNDEF). */
const UNDEF_WORDS = [R_FIRST, R_SEQ, R_PREV, R_LAST_TRADE, R_REQUEST] as const;

export class MessageReader {
  readonly scan = new SkeletonScan();
  /** The result record being built (RESULT_BYTES, as int32 words). */
  readonly r = new Int32Array(RESULT_BYTES >> 2);
  /** Events staged so far; they reach the ring only when the message succeeded. */
  count = 0;
  staging = new Int32Array(SLOT_WORDS * 256);
  private stagingHalves = new Uint16Array(this.staging.buffer);
  private stagingBytes = new Uint8Array(this.staging.buffer);
  private readonly common = new Int32Array(10);

  // Per message.
  private bytes: Uint8Array = new Uint8Array(0);
  /** Base index of the payload table in the scan arrays (0 root, FIELD_COUNT data). */
  private p = 0;
  private source = 0;
  private instrumentIndex = -1;
  private bool = false;
  private u64Lo = 0;
  private u64Hi = 0;

  constructor(
    private readonly instruments: InstrumentIndex,
    private readonly usdm: boolean,
  ) {}

  /** Sets the receive stamp every event of the next messages carries. */
  setRecvTime(lo: number, hi: number): void {
    this.common[C_RECV] = lo;
    this.common[C_RECV + 1] = hi;
  }

  /** Defaults everywhere (0, SEQ_UNDEF, TIME_UNDEF), then `kind`. */
  resetResult(kind: number): void {
    const r = this.r;
    r.fill(0);
    r[R_KIND] = kind;
    for (const w of UNDEF_WORDS) {
      r[w] = -1;
      r[w + 1] = -1;
    }
    r[R_EXCH + 1] = -0x80000000;
    r[R_TX + 1] = -0x80000000;
  }

  /**
   * One message (already scanned without error) into staging and the result record;
   * snapshotIndex >= 0 reads it as a REST snapshot of that instrument. Returns a status.
   */
  read(frame: Uint8Array, snapshotIndex: number): number {
    this.bytes = frame;
    this.count = 0;
    return this.decode(snapshotIndex);
  }

  private ensureStaging(slots: number): void {
    if (this.staging.length >= slots * SLOT_WORDS) return;
    const grown = new Int32Array((slots + (slots >> 1)) * SLOT_WORDS);
    this.staging = grown;
    this.stagingHalves = new Uint16Array(grown.buffer);
    this.stagingBytes = new Uint8Array(grown.buffer);
  }

  // Field readers: the same outcomes, in the same order, as the C++ need_* helpers.

  private tokenKind(field: number): number {
    return this.scan.kind[this.p + field]!;
  }

  private parseU64(start: number, end: number): boolean {
    const b = this.bytes;
    if (end <= start) return false;
    if (b[start] === 0x30) {
      if (end - start !== 1) return false;
      this.u64Lo = 0;
      this.u64Hi = 0;
      return true;
    }
    let lo = 0;
    let hi = 0;
    for (let k = start; k < end; k++) {
      const d = b[k]! - 0x30;
      if (d < 0 || d > 9) return false;
      lo = lo * 10 + d;
      const carry = Math.floor(lo / TWO32);
      lo -= carry * TWO32;
      hi = hi * 10 + carry;
      if (hi >= TWO32) return false;
    }
    this.u64Lo = lo;
    this.u64Hi = hi;
    return true;
  }

  /** A u64 field into this.u64Lo/Hi. */
  private needU64(table: number, field: number): number {
    const k = this.scan.kind[table + field]!;
    if (k === Tok.ABSENT) return DecodeStatus.MISSING_FIELD;
    if (k !== Tok.NUMBER) return DecodeStatus.BAD_TYPE;
    return this.parseU64(this.scan.start[table + field]!, this.scan.end[table + field]!) ? DecodeStatus.OK : DecodeStatus.BAD_NUMBER;
  }

  private needU64Into(table: number, field: number, word: number): number {
    const st = this.needU64(table, field);
    if (st === DecodeStatus.OK) {
      this.r[word] = this.u64Lo;
      this.r[word + 1] = this.u64Hi;
    }
    return st;
  }

  private optU64Into(table: number, field: number, word: number): number {
    return this.scan.kind[table + field] === Tok.ABSENT ? DecodeStatus.OK : this.needU64Into(table, field, word);
  }

  /** Epoch ms to ns in the result record; the ns value must fit int64. */
  private needTimeInto(field: number, word: number): number {
    const st = this.needU64(this.p, field);
    if (st !== DecodeStatus.OK) return st;
    const hi = this.u64Hi;
    const lo = this.u64Lo;
    if (hi * TWO32 + lo > MAX_MS) return DecodeStatus.BAD_NUMBER;
    const low = lo * 1e6;
    const nsLo = low % TWO32;
    this.r[word] = nsLo;
    this.r[word + 1] = hi * 1e6 + (low - nsLo) / TWO32;
    return DecodeStatus.OK;
  }

  private optTimeInto(field: number, word: number): number {
    return this.tokenKind(field) === Tok.ABSENT ? DecodeStatus.OK : this.needTimeInto(field, word);
  }

  private needKind(table: number, field: number, kind: number): number {
    const k = this.scan.kind[table + field]!;
    if (k === Tok.ABSENT) return DecodeStatus.MISSING_FIELD;
    return k === kind ? DecodeStatus.OK : DecodeStatus.BAD_TYPE;
  }

  private needBool(field: number): number {
    const k = this.tokenKind(field);
    if (k === Tok.ABSENT) return DecodeStatus.MISSING_FIELD;
    if (k !== Tok.TRUE && k !== Tok.FALSE) return DecodeStatus.BAD_TYPE;
    this.bool = k === Tok.TRUE;
    return DecodeStatus.OK;
  }

  private decimal(start: number, end: number, scale: number, word: number): number {
    const st = parseDecimalAsciiWords(this.bytes, start, end, scale, false, this.staging, word);
    if (st === DecimalStatus.OK) return DecodeStatus.OK;
    return st === DecimalStatus.PRECISION ? DecodeStatus.PRECISION : DecodeStatus.BAD_DECIMAL;
  }

  private needDecimal(field: number, scale: number, word: number): number {
    const st = this.needKind(this.p, field, Tok.STRING);
    if (st !== DecodeStatus.OK) return st;
    const at = this.p + field;
    return this.decimal(this.scan.start[at]!, this.scan.end[at]!, scale, word);
  }

  private tokenEquals(table: number, field: number, word: Uint8Array): boolean {
    const s = this.scan.start[table + field]!;
    const n = this.scan.end[table + field]! - s;
    if (n !== word.length) return false;
    for (let k = 0; k < n; k++) if (this.bytes[s + k] !== word[k]) return false;
    return true;
  }

  private needSymbol(): number {
    const st = this.needKind(this.p, Field.s, Tok.STRING);
    if (st !== DecodeStatus.OK) return st;
    const at = this.p + Field.s;
    this.instrumentIndex = this.instruments.find(this.bytes, this.scan.start[at]!, this.scan.end[at]!);
    if (this.instrumentIndex < 0) return DecodeStatus.UNKNOWN_SYMBOL;
    this.r[R_INSTRUMENT] = this.instruments.ids[this.instrumentIndex]!;
    return DecodeStatus.OK;
  }

  // Messages.

  private decode(snapshotIndex: number): number {
    const s = this.scan;
    if (!s.rootIsObject) return DecodeStatus.UNSUPPORTED_EVENT;
    if (s.duplicate[0]) return DecodeStatus.DUPLICATE_FIELD;
    this.p = 0;
    if (snapshotIndex >= 0) return this.depthSnapshot(snapshotIndex);
    const wrapped = s.kind[Field.stream] !== Tok.ABSENT;
    if (wrapped) {
      if (s.kind[Field.stream] !== Tok.STRING) return DecodeStatus.BAD_TYPE;
      const st = this.needKind(0, Field.data, Tok.OBJECT);
      if (st !== DecodeStatus.OK) return st;
      this.p = FIELD_COUNT;
      if (s.duplicate[1]) return DecodeStatus.DUPLICATE_FIELD;
    }
    let kind: number;
    const e = this.tokenKind(Field.e);
    if (e !== Tok.ABSENT) {
      if (e !== Tok.STRING) return DecodeStatus.BAD_TYPE;
      if (this.tokenEquals(this.p, Field.e, E_DEPTH_UPDATE)) kind = MessageKind.DEPTH_UPDATE;
      else if (this.tokenEquals(this.p, Field.e, E_TRADE)) kind = MessageKind.TRADE;
      else if (this.tokenEquals(this.p, Field.e, E_AGG_TRADE)) kind = MessageKind.AGG_TRADE;
      else if (this.tokenEquals(this.p, Field.e, E_BOOK_TICKER)) kind = MessageKind.BOOK_TICKER;
      else if (this.tokenEquals(this.p, Field.e, E_SERVER_SHUTDOWN)) kind = MessageKind.SERVER_SHUTDOWN;
      else return DecodeStatus.UNSUPPORTED_EVENT;
    } else if (this.tokenKind(Field.u) !== Tok.ABSENT) {
      kind = MessageKind.BOOK_TICKER;
    } else if (!wrapped && s.kind[Field.result] !== Tok.ABSENT) {
      kind = MessageKind.COMMAND_REPLY;
    } else if (!wrapped && s.kind[Field.error] !== Tok.ABSENT) {
      kind = MessageKind.COMMAND_ERROR;
    } else {
      return DecodeStatus.UNSUPPORTED_EVENT;
    }
    this.r[R_KIND] = kind;
    switch (kind) {
      case MessageKind.DEPTH_UPDATE:
        return this.depthUpdate();
      case MessageKind.TRADE:
        return this.trade(false);
      case MessageKind.AGG_TRADE:
        return this.trade(true);
      case MessageKind.BOOK_TICKER:
        return this.bookTicker();
      case MessageKind.SERVER_SHUTDOWN:
        return this.optTimeInto(Field.E, R_EXCH);
      default:
        if (s.kind[Field.id] === Tok.NULL) return DecodeStatus.OK;
        return this.needU64Into(0, Field.id, R_REQUEST);
    }
  }

  /** Fills this.common from the result record (seq, exch, first, prev) for one message. */
  private setCommon(source: number, withRange: boolean): void {
    const c = this.common;
    const r = this.r;
    this.source = source;
    c[C_SEQ] = r[R_SEQ]!;
    c[C_SEQ + 1] = r[R_SEQ + 1]!;
    c[C_EXCH] = r[R_EXCH]!;
    c[C_EXCH + 1] = r[R_EXCH + 1]!;
    c[C_FIRST] = withRange ? r[R_FIRST]! : -1;
    c[C_FIRST + 1] = withRange ? r[R_FIRST + 1]! : -1;
    c[C_PREV] = withRange ? r[R_PREV]! : -1;
    c[C_PREV + 1] = withRange ? r[R_PREV + 1]! : -1;
  }

  /** Zeroes slot k and writes the md header; returns its first word. */
  private header(k: number, type: number, flags: number): number {
    const w = k * SLOT_WORDS;
    const sw = this.staging;
    const c = this.common;
    sw.fill(0, w, w + SLOT_WORDS);
    this.stagingBytes[w << 2] = type;
    this.stagingBytes[(w << 2) + 1] = this.source;
    this.stagingHalves[(w << 1) + H_FLAGS] = flags;
    sw[w + W_INSTRUMENT] = this.r[R_INSTRUMENT]!;
    sw[w + W_SEQ] = c[C_SEQ]!;
    sw[w + W_SEQ + 1] = c[C_SEQ + 1]!;
    sw[w + W_EXCH] = c[C_EXCH]!;
    sw[w + W_EXCH + 1] = c[C_EXCH + 1]!;
    sw[w + W_RECV] = c[C_RECV]!;
    sw[w + W_RECV + 1] = c[C_RECV + 1]!;
    return w;
  }

  private marker(k: number, type: number, flags: number, levelCount: number, bidCount: number): void {
    const w = this.header(k, type, flags);
    const sw = this.staging;
    const c = this.common;
    sw[w + W_LEVEL_COUNT] = levelCount;
    sw[w + W_BID_COUNT] = bidCount;
    sw[w + W_MARKER_FIRST] = c[C_FIRST]!;
    sw[w + W_MARKER_FIRST + 1] = c[C_FIRST + 1]!;
    sw[w + W_MARKER_PREV] = c[C_PREV]!;
    sw[w + W_MARKER_PREV + 1] = c[C_PREV + 1]!;
  }

  private depthUpdate(): number {
    const p = this.p;
    let st: number;
    if ((st = this.needTimeInto(Field.E, R_EXCH)) !== 0) return st;
    if ((st = this.optTimeInto(Field.T, R_TX)) !== 0) return st;
    if ((st = this.needSymbol()) !== 0) return st;
    if ((st = this.needU64Into(p, Field.U, R_FIRST)) !== 0) return st;
    if ((st = this.needU64Into(p, Field.u, R_SEQ)) !== 0) return st;
    if ((st = this.usdm ? this.needU64Into(p, Field.pu, R_PREV) : this.optU64Into(p, Field.pu, R_PREV)) !== 0) return st;
    if ((st = this.needKind(p, Field.b, Tok.ARRAY)) !== 0) return st;
    if ((st = this.needKind(p, Field.a, Tok.ARRAY)) !== 0) return st;
    this.setCommon(Source.VENUE_STREAM, true);
    const table = p === 0 ? 0 : 1;
    const bids = this.scan.levelCount[table * LEVEL_SIDE_COUNT + LevelSide.b]!;
    const asks = this.scan.levelCount[table * LEVEL_SIDE_COUNT + LevelSide.a]!;
    if (bids + asks === 0) {
      this.ensureStaging(1);
      this.marker(0, EventType.SEQ_ADVANCE, MdFlag.BATCH_END, 0, 0);
      this.count = 1;
      return DecodeStatus.OK;
    }
    this.ensureStaging(bids + asks);
    if ((st = this.levels(table, LevelSide.b, true, 0)) !== 0) return st;
    if ((st = this.levels(table, LevelSide.a, false, bids)) !== 0) return st;
    this.count = bids + asks;
    const last = (((this.count - 1) * SLOT_WORDS) << 1) + H_FLAGS;
    this.stagingHalves[last] = this.stagingHalves[last]! | MdFlag.BATCH_END;
    return DecodeStatus.OK;
  }

  private depthSnapshot(index: number): number {
    let st: number;
    this.instrumentIndex = index;
    this.r[R_INSTRUMENT] = this.instruments.ids[index]!;
    if ((st = this.needU64Into(0, Field.lastUpdateId, R_SEQ)) !== 0) return st;
    if ((st = this.optTimeInto(Field.E, R_EXCH)) !== 0) return st;
    if ((st = this.optTimeInto(Field.T, R_TX)) !== 0) return st;
    if ((st = this.needKind(0, Field.bids, Tok.ARRAY)) !== 0) return st;
    if ((st = this.needKind(0, Field.asks, Tok.ARRAY)) !== 0) return st;
    this.setCommon(Source.VENUE_SNAPSHOT, false);
    const bids = this.scan.levelCount[LevelSide.bids]!;
    const asks = this.scan.levelCount[LevelSide.asks]!;
    this.ensureStaging(bids + asks + 2);
    if ((st = this.levels(0, LevelSide.bids, true, 1)) !== 0) return st;
    if ((st = this.levels(0, LevelSide.asks, false, 1 + bids)) !== 0) return st;
    const n = bids + asks;
    this.marker(0, EventType.SNAPSHOT_BEGIN, MdFlag.SNAPSHOT, n, bids);
    this.marker(n + 1, EventType.SNAPSHOT_END, MdFlag.SNAPSHOT | MdFlag.BATCH_END, n, bids);
    this.count = n + 2;
    return DecodeStatus.OK;
  }

  /** One side's levels into staging slots [at, at + count): message order. */
  private levels(table: number, side: number, bids: boolean, at: number): number {
    const k = table * LEVEL_SIDE_COUNT + side;
    const begin = this.scan.levelBegin[k]!;
    const n = this.scan.levelCount[k]!;
    const snapshot = this.source === Source.VENUE_SNAPSHOT;
    const flags = bids ? (snapshot ? MdFlag.SNAPSHOT_BID : MdFlag.BUY) : snapshot ? MdFlag.SNAPSHOT_ASK : MdFlag.SELL;
    const type = bids ? EventType.LEVEL_BID : EventType.LEVEL_ASK;
    const priceScale = this.instruments.priceScales[this.instrumentIndex]!;
    const qtyScale = this.instruments.qtyScales[this.instrumentIndex]!;
    const lv = this.scan.levels;
    const c = this.common;
    for (let i = 0; i < n; i++) {
      const l = (begin + i) * LEVEL_STRIDE;
      if (lv[l + Lv.IS_ARRAY] !== 1 || lv[l + Lv.ELEMENTS]! < 2 || lv[l + Lv.PRICE_KIND] !== Tok.STRING || lv[l + Lv.QTY_KIND] !== Tok.STRING) {
        return DecodeStatus.BAD_TYPE;
      }
      const w = this.header(at + i, type, flags);
      let st: number;
      if ((st = this.decimal(lv[l + Lv.PRICE_START]!, lv[l + Lv.PRICE_END]!, priceScale, w + W_PRICE)) !== 0) return st;
      if ((st = this.decimal(lv[l + Lv.QTY_START]!, lv[l + Lv.QTY_END]!, qtyScale, w + W_QTY)) !== 0) return st;
      const sw = this.staging;
      sw[w + W_FIRST] = c[C_FIRST]!;
      sw[w + W_FIRST + 1] = c[C_FIRST + 1]!;
      sw[w + W_PREV] = c[C_PREV]!;
      sw[w + W_PREV + 1] = c[C_PREV + 1]!;
    }
    return DecodeStatus.OK;
  }

  private trade(aggregated: boolean): number {
    const p = this.p;
    let st: number;
    if ((st = this.needTimeInto(Field.E, R_EXCH)) !== 0) return st;
    if ((st = this.optTimeInto(Field.T, R_TX)) !== 0) return st;
    if ((st = this.needSymbol()) !== 0) return st;
    if (aggregated) {
      if ((st = this.needU64Into(p, Field.a, R_SEQ)) !== 0) return st;
      if ((st = this.needU64Into(p, Field.f, R_FIRST)) !== 0) return st;
      if ((st = this.needU64Into(p, Field.l, R_LAST_TRADE)) !== 0) return st;
    } else if ((st = this.needU64Into(p, Field.t, R_SEQ)) !== 0) {
      return st;
    }
    this.setCommon(Source.VENUE_STREAM, false);
    this.ensureStaging(1);
    const w = this.header(0, EventType.TRADE, 0);
    if ((st = this.needDecimal(Field.p, this.instruments.priceScales[this.instrumentIndex]!, w + W_TRADE_PRICE)) !== 0) return st;
    if ((st = this.needDecimal(Field.q, this.instruments.qtyScales[this.instrumentIndex]!, w + W_TRADE_QTY)) !== 0) return st;
    if ((st = this.needBool(Field.m)) !== 0) return st;
    // The buyer was the resting order, so the seller crossed the spread.
    this.stagingHalves[(w << 1) + H_FLAGS] = (this.bool ? MdFlag.SELL : MdFlag.BUY) | MdFlag.BATCH_END;
    const sw = this.staging;
    sw[w + W_TRADE_ID] = this.r[R_SEQ]!;
    sw[w + W_TRADE_ID + 1] = this.r[R_SEQ + 1]!;
    this.count = 1;
    return DecodeStatus.OK;
  }

  private bookTicker(): number {
    const p = this.p;
    let st: number;
    if ((st = this.optTimeInto(Field.E, R_EXCH)) !== 0) return st;
    if ((st = this.optTimeInto(Field.T, R_TX)) !== 0) return st;
    if ((st = this.needSymbol()) !== 0) return st;
    if ((st = this.needU64Into(p, Field.u, R_SEQ)) !== 0) return st;
    this.setCommon(Source.VENUE_STREAM, false);
    this.ensureStaging(1);
    const w = this.header(0, EventType.BBO, MdFlag.BATCH_END);
    const priceScale = this.instruments.priceScales[this.instrumentIndex]!;
    const qtyScale = this.instruments.qtyScales[this.instrumentIndex]!;
    if ((st = this.needDecimal(Field.b, priceScale, w + W_BID_PRICE)) !== 0) return st;
    if ((st = this.needDecimal(Field.B, qtyScale, w + W_BID_QTY)) !== 0) return st;
    if ((st = this.needDecimal(Field.a, priceScale, w + W_ASK_PRICE)) !== 0) return st;
    if ((st = this.needDecimal(Field.A, qtyScale, w + W_ASK_QTY)) !== 0) return st;
    // An empty side comes as quantity 0; its price means nothing.
    const sw = this.staging;
    if (sw[w + W_BID_QTY] === 0 && sw[w + W_BID_QTY + 1] === 0) {
      sw[w + W_BID_PRICE] = 0;
      sw[w + W_BID_PRICE + 1] = -0x80000000;
    }
    if (sw[w + W_ASK_QTY] === 0 && sw[w + W_ASK_QTY + 1] === 0) {
      sw[w + W_ASK_PRICE] = 0;
      sw[w + W_ASK_PRICE + 1] = -0x80000000;
    }
    this.count = 1;
    return DecodeStatus.OK;
  }
}
