/**
 * The decoder's instrument table: checked once (the same rules as the native
 * InstrumentIndex), then looked up by the symbol's raw bytes in any ASCII letter case
 * with no allocation. Open addressing over FNV-1a of the uppercased bytes, like
 * native/core/instrument_index.h.
 */
import { argumentError } from './arguments.js';
import { MAX_SYMBOL_BYTES } from './codes.js';
import type { DecoderInstrument } from './types.js';

function isInt(v: unknown, lo: number, hi: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
}

/** Throws (ERR_INVALID_ARG_TYPE / ERR_INVALID_ARG_VALUE) naming the bad row. */
export function checkInstruments(list: readonly DecoderInstrument[]): void {
  if (!Array.isArray(list)) throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', 'instruments must be an array');
  const symbols = new Set<string>();
  const ids = new Set<number>();
  list.forEach((row, i) => {
    const where = `instruments[${i}]`;
    if (typeof row !== 'object' || row === null) throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', `${where} must be an object`);
    const { venueSymbol, instrumentId, priceScale, qtyScale } = row;
    if (typeof venueSymbol !== 'string') throw argumentError('TypeError', 'ERR_INVALID_ARG_TYPE', `${where}.venueSymbol must be a string`);
    if (venueSymbol.length < 1 || venueSymbol.length > MAX_SYMBOL_BYTES || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(venueSymbol)) {
      throw argumentError(
        'RangeError',
        'ERR_INVALID_ARG_VALUE',
        `${where}.venueSymbol ${JSON.stringify(venueSymbol)} must be 1..${MAX_SYMBOL_BYTES} printable ASCII bytes without quotes or backslashes`,
      );
    }
    if (!isInt(instrumentId, 1, 0xffffffff)) {
      throw argumentError('RangeError', 'ERR_INVALID_ARG_VALUE', `${where}.instrumentId must be an integer in 1..4294967295, got ${String(instrumentId)}`);
    }
    if (!isInt(priceScale, 0, 18) || !isInt(qtyScale, 0, 18)) {
      throw argumentError('RangeError', 'ERR_INVALID_ARG_VALUE', `${where}: priceScale and qtyScale must be integers in 0..18`);
    }
    const key = venueSymbol.toUpperCase();
    if (symbols.has(key)) throw argumentError('RangeError', 'ERR_INVALID_ARG_VALUE', `${where}.venueSymbol ${venueSymbol} is given twice (case-insensitively)`);
    if (ids.has(instrumentId)) throw argumentError('RangeError', 'ERR_INVALID_ARG_VALUE', `${where}.instrumentId ${instrumentId} is given twice`);
    symbols.add(key);
    ids.add(instrumentId);
  });
}

function upper(c: number): number {
  return c >= 0x61 && c <= 0x7a ? c - 32 : c;
}

export class InstrumentIndex {
  readonly ids: Uint32Array;
  readonly priceScales: Uint8Array;
  readonly qtyScales: Uint8Array;
  private readonly keys: Uint8Array[];
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(list: readonly DecoderInstrument[]) {
    checkInstruments(list);
    const n = list.length;
    let cap = 8;
    while (cap < n * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.ids = new Uint32Array(n);
    this.priceScales = new Uint8Array(n);
    this.qtyScales = new Uint8Array(n);
    this.keys = [];
    list.forEach((row, i) => {
      const key = Uint8Array.from(row.venueSymbol.toUpperCase(), (ch) => ch.charCodeAt(0));
      let h = hash(key, 0, key.length) & this.mask;
      while (this.slots[h]! >= 0) h = (h + 1) & this.mask;
      this.slots[h] = i;
      this.keys.push(key);
      this.ids[i] = row.instrumentId;
      this.priceScales[i] = row.priceScale;
      this.qtyScales[i] = row.qtyScale;
    });
  }

  get size(): number {
    return this.keys.length;
  }

  /** Index of the row whose symbol is bytes[start, end) in any letter case, or -1. */
  find(bytes: Uint8Array, start: number, end: number): number {
    const n = end - start;
    if (n <= 0 || n > MAX_SYMBOL_BYTES) return -1;
    for (let h = hash(bytes, start, end) & this.mask; ; h = (h + 1) & this.mask) {
      const at = this.slots[h]!;
      if (at < 0) return -1;
      const key = this.keys[at]!;
      if (key.length !== n) continue;
      let k = 0;
      while (k < n && key[k] === upper(bytes[start + k]!)) k++;
      if (k === n) return at;
    }
  }

  findId(id: number): number {
    for (let i = 0; i < this.ids.length; i++) if (this.ids[i] === id) return i;
    return -1;
  }
}

function hash(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ upper(bytes[i]!), 0x01000193) >>> 0;
  return h;
}
