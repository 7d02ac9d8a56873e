import type { MdDecoder } from '../../src/venues/binance/decode/index.js';
import { GENERATED_KINDS, Rng, generateMessage } from './decode-corpus.js';

/**
 * Decodes `count` seeded messages back to back into `ring` (its whole length is the
 * ring's data region, a power of two of slots), as a producer would; returns the slots
 * written.
 */
export function decodeStream(d: MdDecoder, seed: number, count: number, ring: SharedArrayBuffer): number {
  const rng = new Rng(seed);
  const slots = ring.byteLength / 64;
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const kind = GENERATED_KINDS[i % (GENERATED_KINDS.length - 1)]!; // no snapshots
    const frame = Buffer.from(generateMessage(rng, kind));
    const n = d.decodeInto(frame, BigInt(i), ring, { dataOffset: 0, slotBytes: 64, mask: slots - 1, startPos: pos, freeSlots: slots });
    if (n > 0) pos += n;
  }
  return pos;
}
