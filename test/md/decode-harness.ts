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

const TEMPLATE = new Uint8Array(canaryBuffer());
const scratch = new Map<MdDecoder, SharedArrayBuffer>();

/**
 * Decodes into a canary-filled ring (one reused buffer per decoder, reset each call).
 * The returned views are valid until the next call with the same decoder.
 */
export function decodeOne(d: MdDecoder, input: Uint8Array, at: Placement, recvTimeNs: bigint | number = 1_234_567_890_123n): Outcome {
  let sab = scratch.get(d);
  if (!sab) {
    sab = new SharedArrayBuffer(SAB_BYTES);
    scratch.set(d, sab);
  }
  const bytes = new Uint8Array(sab);
  bytes.set(TEMPLATE);
  const ring = { dataOffset: DATA_OFFSET, slotBytes: SLOT, mask: RING_SLOTS - 1, startPos: at.startPos, freeSlots: at.freeSlots };
  const ret =
    at.snapshotOf !== undefined ? d.decodeSnapshotInto(input, at.snapshotOf, recvTimeNs, sab, ring) : d.decodeInto(input, recvTimeNs, sab, ring);
  const result = new Uint8Array(d.result.i32.buffer, d.result.i32.byteOffset, RESULT_BYTES);
  return { ret, ring: bytes, result };
}

/** Same return, same ring bytes, same result record. */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return a.ret === b.ret && Buffer.compare(a.ring, b.ring) === 0 && Buffer.compare(a.result, b.result) === 0;
}

/** First byte index where a and b differ, or -1. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/**
 * Whether any byte outside the slots a successful call reported (or any byte at all
 * after a failed call) differs from the canary.
 */
export function strayWrite(o: Outcome, at: Placement): boolean {
  const n = Math.max(o.ret, 0);
  if (n === 0) return Buffer.compare(o.ring, TEMPLATE) !== 0;
  const first = at.startPos % RING_SLOTS;
  const endSlot = first + n; // may pass the ring end: the rest wraps to slot 0
  const ranges: [number, number][] = [];
  const slotAt = (k: number) => DATA_OFFSET + k * SLOT;
  if (endSlot <= RING_SLOTS) {
    ranges.push([0, slotAt(first)], [slotAt(endSlot), SAB_BYTES]);
  } else {
    ranges.push([0, DATA_OFFSET], [slotAt(endSlot - RING_SLOTS), slotAt(first)], [slotAt(RING_SLOTS), SAB_BYTES]);
  }
  return ranges.some(([from, to]) => Buffer.compare(o.ring.subarray(from, to), TEMPLATE.subarray(from, to)) !== 0);
}

export function show(input: Uint8Array): string {
  return JSON.stringify(Buffer.from(input).toString('latin1'));
}
