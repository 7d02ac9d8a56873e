/**
 * The MdDecoder API over the native decoder. Argument checks are the TS decoder's
 * (shared code), so both refuse the same mistakes the same way; the per-call ring
 * position goes through the io block, so the native call takes two arguments and
 * creates nothing.
 */
import type { NativeAddon, NativeBinanceMdDecoder } from '../../../native/addon.js';
import { argumentError } from './arguments.js';
import { DECODE_STATUS_COUNT, DEFAULT_MAX_MESSAGE_BYTES, IO } from './codes.js';
import { RingRegionCache, checkFrame, checkPositions, checkRecvTime } from './geometry.js';
import { checkInstruments } from './instruments.js';
import { checkMaxMessageBytes } from './options.js';
import { DecodeResult } from './result.js';
import type { BinanceVenue, MdDecoder, MdDecoderOptions, RingGeometry } from './types.js';

const F_START = IO.startPos >> 3;
const F_FREE = IO.freeSlots >> 3;

export class NativeMdDecoder implements MdDecoder {
  readonly implementation = 'native' as const;
  readonly venue: BinanceVenue;
  readonly result: DecodeResult;
  private readonly handle: NativeBinanceMdDecoder;
  private readonly ring = new RingRegionCache();
  private readonly instrumentIds: Set<number>;

  constructor(addon: NativeAddon, options: MdDecoderOptions) {
    if (options.venue !== 'binance' && options.venue !== 'binance-usdm') {
      throw argumentError('RangeError', 'ERR_INVALID_ARG_VALUE', `venue must be 'binance' or 'binance-usdm', got '${String(options.venue)}'`);
    }
    checkInstruments(options.instruments);
    const maxBytes = checkMaxMessageBytes(options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    this.venue = options.venue;
    this.result = options.result ?? new DecodeResult();
    this.instrumentIds = new Set(options.instruments.map((i) => i.instrumentId));
    this.handle = addon.createBinanceMdDecoder(
      options.venue,
      options.instruments.map(({ venueSymbol, instrumentId, priceScale, qtyScale }) => ({ venueSymbol, instrumentId, priceScale, qtyScale })),
      maxBytes,
      this.result.i64,
    );
  }

  decodeInto(frame: Uint8Array, recvTimeNs: bigint | number, out: SharedArrayBuffer, ring: RingGeometry): number {
    checkFrame(frame, 'frame');
    checkRecvTime(recvTimeNs);
    this.place(out, ring);
    return this.handle.decodeInto(frame, recvTimeNs);
  }

  decodeSnapshotInto(body: Uint8Array, instrumentId: number, recvTimeNs: bigint | number, out: SharedArrayBuffer, ring: RingGeometry): number {
    if (typeof instrumentId !== 'number') throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', 'instrumentId must be a number');
    if (!this.instrumentIds.has(instrumentId)) {
      throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', `instrumentId ${instrumentId} is not in this decoder's table`);
    }
    checkFrame(body, 'body');
    checkRecvTime(recvTimeNs);
    this.place(out, ring);
    return this.handle.decodeSnapshotInto(body, instrumentId, recvTimeNs);
  }

  readCounters(out: BigUint64Array = new BigUint64Array(DECODE_STATUS_COUNT)): BigUint64Array {
    this.handle.readCounters(out);
    return out;
  }

  private place(out: SharedArrayBuffer, ring: RingGeometry): void {
    if (this.ring.update(out, ring)) this.handle.bindRing(this.ring.region);
    checkPositions(ring, this.ring.capacity);
    const f64 = this.result.f64;
    f64[F_START] = ring.startPos;
    f64[F_FREE] = ring.freeSlots;
  }
}
