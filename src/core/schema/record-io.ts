/**
 * Whole-record read and write by field name, with range checks. For tools, tests, the
 * control plane and recorded-data dumps, not for hot paths: it allocates an object per
 * record and a bigint per 64-bit field. Hot code uses EventBuffer with offsets.ts.
 */
import type { EventBuffer } from './event-buffer.js';
import { recordLayout, type FieldLayout } from './layout.js';

export type FieldValue = number | bigint | string;
export type RecordValues = Record<string, FieldValue>;

export class RecordValueError extends RangeError {
  readonly code = 'SCHEMA_VALUE';
  constructor(message: string) {
    super(message);
    this.name = 'RecordValueError';
  }
}

const INT_RANGE: Record<string, [number, number]> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

function writeField(buf: EventBuffer, at: number, record: string, f: FieldLayout, v: FieldValue): void {
  const where = `${record}.${f.name}`;
  switch (f.type) {
    case 'u8':
    case 'u16':
    case 'u32':
    case 'i32': {
      const [lo, hi] = INT_RANGE[f.type]!;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
        throw new RecordValueError(`${where} is ${f.type}, got ${String(v)}`);
      }
      if (f.type === 'u8') buf.setU8(at + f.offset, v);
      else if (f.type === 'u16') buf.setU16(at + f.offset, v);
      else if (f.type === 'u32') buf.setU32(at + f.offset, v);
      else buf.setI32(at + f.offset, v);
      return;
    }
    case 'i64':
      if (typeof v !== 'bigint' || v < I64_MIN || v > I64_MAX) throw new RecordValueError(`${where} is i64, got ${String(v)}`);
      buf.setI64(at + f.offset, v);
      return;
    case 'u64':
      if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) throw new RecordValueError(`${where} is u64, got ${String(v)}`);
      buf.setU64(at + f.offset, v);
      return;
    case 'ascii':
      if (typeof v !== 'string') throw new RecordValueError(`${where} is ascii, got ${typeof v}`);
      buf.setAscii(at + f.offset, f.size, v);
      return;
  }
}

function readField(buf: EventBuffer, at: number, f: FieldLayout): FieldValue {
  const p = at + f.offset;
  switch (f.type) {
    case 'u8':
      return buf.getU8(p);
    case 'u16':
      return buf.getU16(p);
    case 'u32':
      return buf.getU32(p);
    case 'i32':
      return buf.getI32(p);
    case 'i64':
      return buf.getI64(p);
    case 'u64':
      return buf.getU64(p);
    case 'ascii':
      return buf.getAscii(p, f.size);
  }
}

function checkSlot(buf: EventBuffer, at: number, size: number, record: string): void {
  if (!Number.isInteger(at) || at < 0 || at % 64 !== 0 || at + size > buf.byteLength) {
    throw new RecordValueError(`${record} slot at byte ${at} (size ${size}) is not a 64-aligned slot inside ${buf.byteLength} bytes`);
  }
}

/**
 * Zeroes the slot at `at` and writes `values` into it. Unknown field names and
 * out-of-range values throw RecordValueError naming the field.
 */
export function writeRecord(buf: EventBuffer, at: number, record: string, values: RecordValues): void {
  const layout = recordLayout(record);
  checkSlot(buf, at, layout.size, record);
  for (const name of Object.keys(values)) {
    if (!layout.fields.some((f) => f.name === name)) throw new RecordValueError(`${record} has no field ${JSON.stringify(name)}`);
  }
  buf.clear(at, layout.size);
  for (const f of layout.fields) {
    const v = values[f.name];
    if (v !== undefined) writeField(buf, at, record, f, v);
  }
}

/** Every field of the record at `at`. */
export function readRecord(buf: EventBuffer, at: number, record: string): RecordValues {
  const layout = recordLayout(record);
  checkSlot(buf, at, layout.size, record);
  const out: RecordValues = {};
  for (const f of layout.fields) out[f.name] = readField(buf, at, f);
  return out;
}
