import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  EventBuffer,
  RECORD_LAYOUTS,
  RecordValueError,
  readRecord,
  writeRecord,
  type FieldLayout,
  type RecordValues,
} from '../../../src/core/schema/index.js';

const SLOTS = 64;

function arbitraryField(f: FieldLayout): fc.Arbitrary<number | bigint | string> {
  switch (f.type) {
    case 'u8':
      return fc.integer({ min: 0, max: 0xff });
    case 'u16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'u32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'i32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'i64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'u64':
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case 'ascii':
      return fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: f.size });
  }
}

for (const layout of RECORD_LAYOUTS) {
  test(`${layout.name} round-trips at random slots of a SharedArrayBuffer`, () => {
    const sab = new SharedArrayBuffer(SLOTS * 64);
    const buf = new EventBuffer(sab);
    const bytes = new Uint8Array(sab);
    const values = fc.record(Object.fromEntries(layout.fields.map((f) => [f.name, arbitraryField(f)])));
    const slotCount = SLOTS - layout.size / 64;
    fc.assert(
      fc.property(values, fc.integer({ min: 0, max: slotCount }), (generated, slot) => {
        const v: RecordValues = { ...generated };
        for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
        const at = slot * 64;
        writeRecord(buf, at, layout.name, v);
        assert.deepEqual(readRecord(buf, at, layout.name), v);
        for (let i = 0; i < bytes.length; i++) {
          if (i >= at && i < at + layout.size) continue;
          if (bytes[i] !== ((i * 31 + 7) & 0xff)) assert.fail(`byte ${i} outside the ${layout.name} slot at ${at} changed`);
        }
      }),
      { numRuns: 200 },
    );
  });
}

test('writeRecord refuses values that do not fit, naming the field', () => {
  const buf = new EventBuffer(new SharedArrayBuffer(256));
  assert.throws(() => writeRecord(buf, 0, 'MdLevel', { type: 256 }), /MdLevel\.type is u8, got 256/);
  assert.throws(() => writeRecord(buf, 0, 'MdLevel', { price: 2n ** 63n }), RecordValueError);
  assert.throws(() => writeRecord(buf, 0, 'MdLevel', { seq: -1n }), /MdLevel\.seq is u64/);
  assert.throws(() => writeRecord(buf, 0, 'MdLevel', { price: 1 }), /MdLevel\.price is i64/);
  assert.throws(() => writeRecord(buf, 0, 'MdLevel', { nope: 1 }), /MdLevel has no field "nope"/);
  assert.throws(() => writeRecord(buf, 32, 'MdLevel', {}), /not a 64-aligned slot/);
  assert.throws(() => writeRecord(buf, 192, 'ExecReport', {}), /not a 64-aligned slot/);
  assert.throws(() => writeRecord(buf, 0, 'ExecReport', { clientOrderIdText: 'x'.repeat(25) }), /holds 24 bytes/);
  assert.throws(() => writeRecord(buf, 0, 'ExecReport', { clientOrderIdText: 'é' }), /non-ASCII/);
  assert.throws(() => writeRecord(buf, 0, 'NoSuchRecord', {}), /no record named "NoSuchRecord"/);
});
