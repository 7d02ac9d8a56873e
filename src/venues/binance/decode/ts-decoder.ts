/**
 * The pure-TS Binance decoder: the fallback when the addon is missing and the reference
 * the native decoder (native/core/binance_md_decoder.cc) is tested against, byte for
 * byte. Same two steps: SkeletonScan validates the frame and records tokens, then
 * MessageReader reads the fields in a fixed order into staging slots, which reach the
 * ring only when the whole message succeeded. No JSON.parse, no bigint per value.
 */
import { argumentError } from './arguments.js';
import { DECODE_STATUS_COUNT, DEFAULT_MAX_MESSAGE_BYTES, DecodeStatus, MessageKind } from './codes.js';
import { RingRegionCache, checkFrame, checkPositions, checkRecvTime } from './geometry.js';
import { InstrumentIndex } from './instruments.js';
import { checkMaxMessageBytes } from './options.js';
import { DecodeResult } from './result.js';
import { MessageReader, R_KIND, R_SLOTS, R_STATUS, SLOT_WORDS } from './ts-message-reader.js';
import type { BinanceVenue, MdDecoder, MdDecoderOptions, RingGeometry } from './types.js';

const TWO32 = 4294967296;

export class TsMdDecoder implements MdDecoder {
  readonly implementation = 'ts' as const;
  readonly venue: BinanceVenue;
  readonly result: DecodeResult;
  private readonly maxBytes: number;
  private readonly instruments: InstrumentIndex;
  private readonly reader: MessageReader;
  private readonly ring = new RingRegionCache();
  private ringWords: Int32Array = new Int32Array(0);
  private readonly counters = new Float64Array(DECODE_STATUS_COUNT);
  private readonly timeScratch = new BigInt64Array(1);
  private readonly timeWords = new Int32Array(this.timeScratch.buffer);

  constructor(options: MdDecoderOptions) {
    if (options.venue !== 'binance' && options.venue !== 'binance-usdm') {
      throw argumentError('RangeError', 'ERR_INVALID_ARG_VALUE', `venue must be 'binance' or 'binance-usdm', got '${String(options.venue)}'`);
    }
    this.venue = options.venue;
    this.instruments = new InstrumentIndex(options.instruments);
    this.reader = new MessageReader(this.instruments, options.venue === 'binance-usdm');
    this.maxBytes = checkMaxMessageBytes(options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    this.result = options.result ?? new DecodeResult();
  }

  decodeInto(frame: Uint8Array, recvTimeNs: bigint | number, out: SharedArrayBuffer, ring: RingGeometry): number {
    this.prepare(frame, 'frame', recvTimeNs, out, ring);
    return this.run(frame, -1, ring);
  }

  decodeSnapshotInto(body: Uint8Array, instrumentId: number, recvTimeNs: bigint | number, out: SharedArrayBuffer, ring: RingGeometry): number {
    if (typeof instrumentId !== 'number') throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', 'instrumentId must be a number');
    const index = Number.isInteger(instrumentId) ? this.instruments.findId(instrumentId) : -1;
    if (index < 0) throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', `instrumentId ${instrumentId} is not in this decoder's table`);
    this.prepare(body, 'body', recvTimeNs, out, ring);
    return this.run(body, index, ring);
  }

  readCounters(out: BigUint64Array = new BigUint64Array(DECODE_STATUS_COUNT)): BigUint64Array {
    if (!(out instanceof BigUint64Array)) throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', 'out must be a BigUint64Array');
    if (out.length < DECODE_STATUS_COUNT) throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', `out must hold ${DECODE_STATUS_COUNT} counters`);
    for (let i = 0; i < DECODE_STATUS_COUNT; i++) out[i] = BigInt(this.counters[i]!);
    return out;
  }

  private prepare(frame: Uint8Array, what: string, recvTimeNs: bigint | number, out: SharedArrayBuffer, ring: RingGeometry): void {
    checkFrame(frame, what);
    checkRecvTime(recvTimeNs);
    if (this.ring.update(out, ring)) {
      const region = this.ring.region;
      this.ringWords = new Int32Array(region.buffer, region.byteOffset, region.byteLength >> 2);
    }
    checkPositions(ring, this.ring.capacity);
    if (typeof recvTimeNs === 'bigint') {
      this.timeScratch[0] = recvTimeNs;
      this.reader.setRecvTime(this.timeWords[0]!, this.timeWords[1]!);
    } else {
      const hi = Math.floor(recvTimeNs / TWO32);
      this.reader.setRecvTime(recvTimeNs - hi * TWO32, hi);
    }
  }

  private run(frame: Uint8Array, snapshotIndex: number, ring: RingGeometry): number {
    const reader = this.reader;
    reader.resetResult(snapshotIndex >= 0 ? MessageKind.DEPTH_SNAPSHOT : MessageKind.NONE);
    reader.count = 0;
    let st: number;
    if (frame.length > this.maxBytes) st = DecodeStatus.TOO_LARGE;
    else if (!reader.scan.scan(frame)) st = DecodeStatus.MALFORMED_JSON;
    else st = reader.read(frame, snapshotIndex);
    if (st === DecodeStatus.OK && reader.count > ring.freeSlots) st = DecodeStatus.NEED_SPACE;
    const r = reader.r;
    if (st === DecodeStatus.OK || st === DecodeStatus.NEED_SPACE) {
      r[R_SLOTS] = reader.count;
    } else {
      reader.resetResult(r[R_KIND]!);
    }
    let ret = st;
    if (st === DecodeStatus.OK) {
      this.copyOut(ring.startPos);
      ret = reader.count;
    }
    r[R_STATUS] = ret;
    this.result.i32.set(r);
    this.counters[st === DecodeStatus.OK ? 0 : -st]!++;
    return ret;
  }

  /** Staged slots to the ring, wrapping at its end. */
  private copyOut(startPos: number): void {
    const capacity = this.ring.capacity;
    const count = this.reader.count;
    const first = startPos % capacity;
    const head = Math.min(count, capacity - first);
    const dst = this.ringWords;
    const src = this.reader.staging;
    let d = first * SLOT_WORDS;
    const headWords = head * SLOT_WORDS;
    for (let w = 0; w < headWords; w++) dst[d++] = src[w]!;
    d = 0;
    const allWords = count * SLOT_WORDS;
    for (let w = headWords; w < allWords; w++) dst[d++] = src[w]!;
  }
}
