/**
 * The memory layout of a ring: the one place that knows an offset. Ring code asks this
 * module for word indexes and slot offsets and never does layout arithmetic itself.
 *
 * One SharedArrayBuffer per ring. Every region written by a different thread (or at a
 * different rate) gets REGION_BYTES = two 64-byte cache lines of its own: no false
 * sharing, and Intel's adjacent-line prefetcher, which pulls lines in pairs, cannot
 * couple two writers either.
 *
 *   byte 0      META (written at creation; afterwards only CLOSED, once)
 *               +0 magic  +4 version  +8 kind  +12 capacity  +16 slotBytes
 *               +20 consumers  +24 dataOffset  +28 closed  +32 totalBytes
 *   byte 128    PRODUCER position (producer writes once per batch)
 *               +0 published lo  +4 published hi  +8 claim lo  +12 claim hi
 *   byte 256    PRODUCER park word (SPSC: the producer sleeps here when full)
 *   byte 384    PRODUCER counters: +0 full (backpressure)  +4 notifies  +8 parks
 *   byte 512    CONSUMER 0, three regions of 128 bytes:
 *               +0   cursor: +0 lo  +4 hi (the consumer writes once per batch)
 *               +128 park word (the consumer sleeps here when idle)
 *               +256 counters: +0 lapped  +4 parks  +8 in use  +12 notifies
 *                              +16 lost lo  +20 lost hi  +24 torn
 *   ...         CONSUMER 1 .. consumers-1 (broadcast; SPSC has exactly one)
 *   dataOffset  capacity slots of slotBytes (a multiple of 64) each;
 *               position p lives in slot (p & (capacity - 1))
 *
 * Positions are 53-bit counters stored as two Int32 words (see position.ts).
 */
import { RingError, RingErrorCode } from './errors.js';

export const CACHE_LINE_BYTES = 64;
export const REGION_BYTES = 2 * CACHE_LINE_BYTES;
/** Events are 64-byte records; a slot holds one or more whole cache lines. */
export const SLOT_ALIGN_BYTES = CACHE_LINE_BYTES;
export const MAX_SLOT_BYTES = 65536;
export const MIN_CAPACITY = 2;
/** Keeps every distance a ring deals in (at most capacity) a small integer: see position.ts. */
export const MAX_CAPACITY = 2 ** 29;
export const MAX_CONSUMERS = 64;
/** Byte offsets become Int32 indexes with `>> 2`, which needs them below 2^31. */
export const MAX_RING_BYTES = 2 ** 31 - 1;

/** "VZRG" read as a little-endian u32. */
export const RING_MAGIC = 0x4752_5a56;
export const RING_VERSION = 1;

export const RingKind = { SPSC: 1, BROADCAST: 2 } as const;
export type RingKind = (typeof RingKind)[keyof typeof RingKind];
const KIND_NAME: Record<number, string> = { [RingKind.SPSC]: 'spsc', [RingKind.BROADCAST]: 'broadcast' };

// Int32 word indexes (byte offset / 4).
const META = 0;
export const MAGIC_INDEX = META + 0;
export const VERSION_INDEX = META + 1;
export const KIND_INDEX = META + 2;
export const CAPACITY_INDEX = META + 3;
export const SLOT_BYTES_INDEX = META + 4;
export const CONSUMERS_INDEX = META + 5;
export const DATA_OFFSET_INDEX = META + 6;
export const CLOSED_INDEX = META + 7;
export const TOTAL_BYTES_INDEX = META + 8;

const PRODUCER = (1 * REGION_BYTES) >> 2;
/** Published position (lo word; hi is the next word). */
export const PUBLISHED_INDEX = PRODUCER + 0;
/** Broadcast: highest position the producer may be writing (lo; hi next). */
export const CLAIM_INDEX = PRODUCER + 2;
export const PRODUCER_PARK_INDEX = (2 * REGION_BYTES) >> 2;
const PRODUCER_COUNTERS = (3 * REGION_BYTES) >> 2;
export const PRODUCER_FULL_INDEX = PRODUCER_COUNTERS + 0;
export const PRODUCER_NOTIFIES_INDEX = PRODUCER_COUNTERS + 1;
export const PRODUCER_PARKS_INDEX = PRODUCER_COUNTERS + 2;

const CONSUMERS_BASE_BYTES = 4 * REGION_BYTES;
const CONSUMER_STRIDE_BYTES = 3 * REGION_BYTES;
const CURSOR_WORD = 0;
const PARK_WORD = REGION_BYTES >> 2;
const COUNTERS_WORD = (2 * REGION_BYTES) >> 2;

function consumerBase(i: number): number {
  return (CONSUMERS_BASE_BYTES + i * CONSUMER_STRIDE_BYTES) >> 2;
}
/** Consumer i's cursor (lo word; hi is the next word). */
export function cursorIndex(i: number): number {
  return consumerBase(i) + CURSOR_WORD;
}
export function consumerParkIndex(i: number): number {
  return consumerBase(i) + PARK_WORD;
}
export function consumerLappedIndex(i: number): number {
  return consumerBase(i) + COUNTERS_WORD + 0;
}
export function consumerParksIndex(i: number): number {
  return consumerBase(i) + COUNTERS_WORD + 1;
}
export function consumerInUseIndex(i: number): number {
  return consumerBase(i) + COUNTERS_WORD + 2;
}
export function consumerNotifiesIndex(i: number): number {
  return consumerBase(i) + COUNTERS_WORD + 3;
}
/** Broadcast copies discarded because the producer reclaimed the slot meanwhile. */
export function consumerTornIndex(i: number): number {
  return consumerBase(i) + COUNTERS_WORD + 6;
}
/** Records a broadcast consumer lost to laps (lo word; hi is the next word). */
export function consumerLostIndex(i: number): number {
  return consumerBase(i) + COUNTERS_WORD + 4;
}

export interface RingLayout {
  readonly kind: RingKind;
  readonly capacity: number;
  readonly mask: number;
  readonly slotBytes: number;
  readonly consumers: number;
  readonly dataOffset: number;
  readonly totalBytes: number;
}

export interface RingShape {
  capacity: number;
  slotBytes: number;
  consumers: number;
}

/** Byte offset of the slot holding the position whose low word is `lo`. */
export function slotOffset(dataOffset: number, slotBytes: number, mask: number, lo: number): number {
  return dataOffset + (lo & mask) * slotBytes;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Validates a shape and computes its layout; throws RingError naming the bad value. */
export function ringLayout(kind: RingKind, shape: RingShape): RingLayout {
  const { capacity, slotBytes, consumers } = shape;
  if (!isPowerOfTwo(capacity) || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
    throw new RingError(
      RingErrorCode.CAPACITY,
      `ring capacity ${capacity} is not a power of two in ${MIN_CAPACITY}..${MAX_CAPACITY}`,
    );
  }
  if (!Number.isInteger(slotBytes) || slotBytes < SLOT_ALIGN_BYTES || slotBytes > MAX_SLOT_BYTES || slotBytes % SLOT_ALIGN_BYTES !== 0) {
    throw new RingError(
      RingErrorCode.SLOT_BYTES,
      `ring slot size ${slotBytes} bytes is not a multiple of ${SLOT_ALIGN_BYTES} in ${SLOT_ALIGN_BYTES}..${MAX_SLOT_BYTES}`,
    );
  }
  const maxConsumers = kind === RingKind.SPSC ? 1 : MAX_CONSUMERS;
  if (!Number.isInteger(consumers) || consumers < 1 || consumers > maxConsumers) {
    throw new RingError(
      RingErrorCode.CONSUMERS,
      `a ${KIND_NAME[kind]} ring takes 1..${maxConsumers} consumers, not ${consumers}`,
    );
  }
  const dataOffset = CONSUMERS_BASE_BYTES + consumers * CONSUMER_STRIDE_BYTES;
  const totalBytes = dataOffset + capacity * slotBytes;
  if (totalBytes > MAX_RING_BYTES) {
    throw new RingError(
      RingErrorCode.TOO_LARGE,
      `ring of ${capacity} slots of ${slotBytes} bytes needs ${totalBytes} bytes, more than ${MAX_RING_BYTES}`,
    );
  }
  return { kind, capacity, mask: capacity - 1, slotBytes, consumers, dataOffset, totalBytes };
}

export function writeHeader(words: Int32Array, layout: RingLayout): void {
  words[MAGIC_INDEX] = RING_MAGIC;
  words[VERSION_INDEX] = RING_VERSION;
  words[KIND_INDEX] = layout.kind;
  words[CAPACITY_INDEX] = layout.capacity;
  words[SLOT_BYTES_INDEX] = layout.slotBytes;
  words[CONSUMERS_INDEX] = layout.consumers;
  words[DATA_OFFSET_INDEX] = layout.dataOffset;
  words[TOTAL_BYTES_INDEX] = layout.totalBytes;
  // Publishes the header to any thread that later Atomics-loads a word of it.
  Atomics.store(words, CLOSED_INDEX, 0);
}

/**
 * Checks that `buffer` holds a ring of `kind` written by this version and returns its
 * layout. Every field is re-derived from the shape and compared, so a corrupted or
 * foreign buffer is refused with an error naming what differs.
 */
export function readHeader(buffer: unknown, kind: RingKind): RingLayout {
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new RingError(RingErrorCode.NOT_SHARED, `a ring attaches to a SharedArrayBuffer, not ${describe(buffer)}`);
  }
  if (buffer.byteLength < CONSUMERS_BASE_BYTES) {
    throw new RingError(
      RingErrorCode.BUFFER_SIZE,
      `buffer of ${buffer.byteLength} bytes is smaller than a ring header (${CONSUMERS_BASE_BYTES} bytes)`,
    );
  }
  const words = new Int32Array(buffer, 0, CONSUMERS_BASE_BYTES >> 2);
  const magic = Atomics.load(words, MAGIC_INDEX) >>> 0;
  if (magic !== RING_MAGIC) {
    throw new RingError(RingErrorCode.MAGIC, `buffer is not a ring: magic 0x${magic.toString(16)}, expected 0x${RING_MAGIC.toString(16)}`);
  }
  const version = words[VERSION_INDEX]!;
  if (version !== RING_VERSION) {
    throw new RingError(RingErrorCode.VERSION, `ring layout version ${version}, this code reads version ${RING_VERSION}`);
  }
  const found = words[KIND_INDEX]!;
  if (found !== kind) {
    throw new RingError(
      RingErrorCode.KIND,
      `buffer holds a ${KIND_NAME[found] ?? `kind-${found}`} ring, not a ${KIND_NAME[kind]} ring`,
    );
  }
  const layout = ringLayout(kind, {
    capacity: words[CAPACITY_INDEX]!,
    slotBytes: words[SLOT_BYTES_INDEX]!,
    consumers: words[CONSUMERS_INDEX]!,
  });
  const dataOffset = words[DATA_OFFSET_INDEX]!;
  const totalBytes = words[TOTAL_BYTES_INDEX]!;
  if (dataOffset !== layout.dataOffset || totalBytes !== layout.totalBytes) {
    throw new RingError(
      RingErrorCode.HEADER,
      `ring header says data at ${dataOffset} and ${totalBytes} bytes in all; its shape implies ${layout.dataOffset} and ${layout.totalBytes}`,
    );
  }
  if (buffer.byteLength !== totalBytes) {
    throw new RingError(
      RingErrorCode.BUFFER_SIZE,
      `ring header says ${totalBytes} bytes, the buffer has ${buffer.byteLength}`,
    );
  }
  return layout;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return typeof v;
}
