import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventBuffer, IdSentinel, MD_LEVEL, Sentinel } from '../../../src/core/schema/index.js';

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

test('the word-level int64 helpers agree with BigInt64Array', () => {
  const buf = new EventBuffer(new SharedArrayBuffer(128));
  fc.assert(
    fc.property(int64, int64, (a, b) => {
      buf.setI64(0, a);
      buf.setI64(8, b);
      assert.equal(buf.compareI64(0, 8), a < b ? -1 : a > b ? 1 : 0);
      assert.equal(buf.equalsI64(0, 8), a === b);
      assert.equal(BigInt(buf.getHi(0)) * 2n ** 32n + BigInt(buf.getLo(0)), a);
      const d = a - b;
      if (d > -(2n ** 53n) && d < 2n ** 53n) assert.equal(buf.diffI64(0, 8), Number(d));
      buf.copyI64(0, 16);
      assert.equal(buf.getI64(16), a);
      buf.setWords(24, buf.getHi(8), buf.getLo(8));
      assert.equal(buf.getI64(24), b);
    }),
    { numRuns: 2000 },
  );
});

test('safe integers go in and out of int64 fields exactly', () => {
  const buf = new EventBuffer(new SharedArrayBuffer(64));
  fc.assert(
    fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
      buf.setI64Number(0, n);
      assert.equal(buf.getI64(0), BigInt(n));
      assert.equal(buf.getI64Number(0), n);
      if (n >= 0) assert.equal(buf.getU64Number(0), n);
    }),
    { numRuns: 2000 },
  );
  for (const n of [0, -1, 1, 2 ** 32, -(2 ** 32), 2 ** 32 - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
    buf.setI64Number(8, n);
    assert.equal(buf.getI64(8), BigInt(n), String(n));
  }
});

test('sentinels are recognised from their words', () => {
  const buf = new EventBuffer(new SharedArrayBuffer(64));
  buf.setUndef(MD_LEVEL.price);
  assert.equal(buf.getI64(MD_LEVEL.price), Sentinel.PRICE_UNDEF);
  assert.ok(buf.isUndef(MD_LEVEL.price));
  buf.setI64(MD_LEVEL.price, Sentinel.PRICE_UNDEF + 1n);
  assert.ok(!buf.isUndef(MD_LEVEL.price));
  buf.setI64(MD_LEVEL.price, 0n);
  assert.ok(!buf.isUndef(MD_LEVEL.price));
  buf.setIdUndef(MD_LEVEL.seq);
  assert.equal(buf.getU64(MD_LEVEL.seq), IdSentinel.SEQ_UNDEF);
  assert.ok(buf.isIdUndef(MD_LEVEL.seq));
  buf.setU64(MD_LEVEL.seq, IdSentinel.SEQ_UNDEF - 1n);
  assert.ok(!buf.isIdUndef(MD_LEVEL.seq));
});

test('copySlot copies a whole slot into another buffer', () => {
  const a = new EventBuffer(new SharedArrayBuffer(256));
  const b = new EventBuffer(new SharedArrayBuffer(256));
  for (let i = 0; i < 256; i++) a.u8[i] = i;
  a.copySlot(64, 128, 64, b);
  for (let i = 0; i < 256; i++) assert.equal(b.u8[i], i >= 128 && i < 192 ? i - 64 : 0, `byte ${i}`);
  a.clear(64, 64);
  assert.ok(a.u8.subarray(64, 128).every((x) => x === 0));
  assert.equal(a.u8[63], 63);
  assert.equal(a.u8[128], 128);
});

test('ascii fields are NUL padded and decoder bytes copy in', () => {
  const buf = new EventBuffer(new SharedArrayBuffer(128));
  buf.u8.fill(0xff);
  assert.equal(buf.setAscii(104, 24, 'vz1-abc'), 7);
  assert.equal(buf.getAscii(104, 24), 'vz1-abc');
  assert.ok(buf.u8.subarray(111, 128).every((x) => x === 0));
  const src = new TextEncoder().encode('xx"web_123"yy');
  assert.equal(buf.setAsciiBytes(104, 24, src, 3, 10), 7);
  assert.equal(buf.getAscii(104, 24), 'web_123');
  assert.equal(buf.setAscii(104, 24, 'a'.repeat(24)), 24);
  assert.equal(buf.getAscii(104, 24), 'a'.repeat(24));
});

test('a region must be cache-line aligned and inside the buffer', () => {
  const sab = new SharedArrayBuffer(256);
  assert.throws(() => new EventBuffer(sab, 32), /cache-line aligned/);
  assert.throws(() => new EventBuffer(sab, 0, 100), /cache-line aligned/);
  assert.throws(() => new EventBuffer(sab, 192, 128), /exceeds the buffer/);
  const region = new EventBuffer(sab, 64, 128);
  region.setU32(0, 0xdeadbeef);
  assert.equal(new Uint32Array(sab)[16], 0xdeadbeef);
});
