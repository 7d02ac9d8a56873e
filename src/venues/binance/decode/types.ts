import type { DecodeResult } from './result.js';

/** Which Binance market the frames come from: futures depth must carry `pu`. */
export type BinanceVenue = 'binance' | 'binance-usdm';

/** One row of a decoder's instrument table. */
export interface DecoderInstrument {
  /** As the venue spells it; matched in any letter case (streams say btcusdt, payloads BTCUSDT). */
  readonly venueSymbol: string;
  readonly instrumentId: number;
  readonly priceScale: number;
  readonly qtyScale: number;
}

/**
 * Where a call may write: slot i of the message goes to byte
 * dataOffset + ((startPos + i) & mask) * slotBytes of `out`.
 */
export interface RingGeometry {
  /** Start of the ring's data region in `out`; a multiple of 64. */
  readonly dataOffset: number;
  /** Always 64 (one md event per cache line). */
  readonly slotBytes: number;
  /** Slot count - 1; the slot count is a power of two. */
  readonly mask: number;
  /** The producer position of the first free slot (a safe integer; positions only grow). */
  readonly startPos: number;
  /** How many slots from startPos may be written. */
  readonly freeSlots: number;
}

export interface MdDecoderOptions {
  readonly venue: BinanceVenue;
  readonly instruments: readonly DecoderInstrument[];
  /** Where each call's header lands; one is made when absent. */
  readonly result?: DecodeResult;
  /** Larger frames are TOO_LARGE; default DEFAULT_MAX_MESSAGE_BYTES. */
  readonly maxMessageBytes?: number;
}

/**
 * A Binance market-data decoder: venue frames in, 64-byte md events out, straight into
 * ring slots, and a header in `result`. One per thread. Both implementations write the
 * same bytes and return the same codes for every input.
 *
 * Returns the number of slots written (>= 0) or a negative DecodeStatus. A failed call
 * writes nothing to `out`; the caller publishes the slots only on success.
 */
export interface MdDecoder {
  readonly implementation: 'native' | 'ts';
  readonly venue: BinanceVenue;
  readonly result: DecodeResult;
  /** A websocket frame: raw stream payload, combined-stream wrapper, or command reply. */
  decodeInto(frame: Uint8Array, recvTimeNs: bigint | number, out: SharedArrayBuffer, ring: RingGeometry): number;
  /** A REST depth snapshot body (it names no symbol, so the caller says which instrument). */
  decodeSnapshotInto(
    body: Uint8Array,
    instrumentId: number,
    recvTimeNs: bigint | number,
    out: SharedArrayBuffer,
    ring: RingGeometry,
  ): number;
  /** Counts per outcome, index -status (0 = decoded messages); fills and returns `out`. */
  readCounters(out?: BigUint64Array): BigUint64Array;
}
