/**
 * Runs one input through the native and the TS decoder into rings filled with a canary
 * pattern, and reports what each returned and wrote, so tests can demand identical
 * results and no byte written outside the slots a call was given.
 */
import { native } from '../../src/native/load-addon.js';
import { NativeMdDecoder, RESULT_BYTES, TsMdDecoder, type BinanceVenue, type MdDecoder } from '../../src/venues/binance/decode/index.js';
import { INSTRUMENTS } from './decode-corpus.js';

export const SLOT = 64;
/** Ring of 64 slots with 2 guard slots before and after it in the SharedArrayBuffer. */
export const RING_SLOTS = 64;
export const DATA_OFFSET = 2 * SLOT;
export const SAB_BYTES = DATA_OFFSET + RING_SLOTS * SLOT + 2 * SLOT;

export function canary(i: number): number {
  return (i * 37 + 11) & 0xff;
}

export function canaryBuffer(bytes = SAB_BYTES): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(bytes);
  const u8 = new Uint8Array(sab);
  for (let i = 0; i < u8.length; i++) u8[i] = canary(i);
  return sab;
}

export interface Pair {
  native: MdDecoder;
  ts: MdDecoder;
}

export function makePair(venue: BinanceVenue = 'binance', maxMessageBytes?: number): Pair {
  const options = { venue, instruments: INSTRUMENTS, ...(maxMessageBytes ? { maxMessageBytes } : {}) };
  return { native: new NativeMdDecoder(native(), options), ts: new TsMdDecoder(options) };
}

export interface Outcome {
  ret: number;
  ring: Uint8Array;
  result: Uint8Array;
}

export interface Placement {
  startPos: number;
  freeSlots: number;
  /** Decode as a REST snapshot of this instrument. */
  snapshotOf?: number;
}

export function decodeOne(d: MdDecoder, input: Uint8Array, at: Placement, recvTimeNs: bigint | number = 1_234_567_890_123n): Outcome {
  const sab = canaryBuffer();
  const ring = { dataOffset: DATA_OFFSET, slotBytes: SLOT, mask: RING_SLOTS - 1, startPos: at.startPos, freeSlots: at.freeSlots };
  const ret =
    at.snapshotOf !== undefined ? d.decodeSnapshotInto(input, at.snapshotOf, recvTimeNs, sab, ring) : d.decodeInto(input, recvTimeNs, sab, ring);
  const result = new Uint8Array(d.result.i32.buffer, d.result.i32.byteOffset, RESULT_BYTES).slice();
  return { ret, ring: new Uint8Array(sab), result };
}

/** First byte index where a and b differ, or -1. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/**
 * Byte index of the first write outside the slots a successful call reported (or any
 * write after a failed one), or -1.
 */
export function strayWrite(o: Outcome, at: Placement): number {
  const written = new Set<number>();
  for (let i = 0; i < Math.max(o.ret, 0); i++) written.add((at.startPos + i) % RING_SLOTS);
  for (let i = 0; i < o.ring.length; i++) {
    const slot = i >= DATA_OFFSET && i < DATA_OFFSET + RING_SLOTS * SLOT ? Math.floor((i - DATA_OFFSET) / SLOT) : -1;
    if (slot >= 0 && written.has(slot)) continue;
    if (o.ring[i] !== canary(i)) return i;
  }
  return -1;
}

export function show(input: Uint8Array): string {
  return JSON.stringify(Buffer.from(input).toString('latin1'));
}
