import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, crc32cNativeAvailable, crc32cTsUnchecked } from '../../src/wal/crc32c.js';
import { native } from '../../src/native/load-addon.js';
import { prng } from './wal-fixtures.js';

const CHECK = new TextEncoder().encode('123456789');

/** Bit-at-a-time reference, straight from the definition. */
function reference(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

test('every implementation gives the standard check value 0xE3069283', () => {
  const addon = native();
  assert.equal(crc32c(CHECK), 0xe3069283);
  assert.equal(crc32cTsUnchecked(CHECK, 0, CHECK.length, 0), 0xe3069283);
  assert.equal(addon.crc32c(CHECK), 0xe3069283);
  assert.equal(addon.crc32cSoftware(CHECK), 0xe3069283);
  assert.equal(reference(CHECK), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  // RFC 3720 B.4 vector: 32 bytes of zeros.
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32cNativeAvailable, true);
});

test('TS and native (hardware and software paths) agree on random ranges and chained init', () => {
  const addon = native();
  const rnd = prng(0xc0ffee);
  const buf = new Uint8Array(70_000);
  for (let i = 0; i < buf.length; i++) buf[i] = (rnd() * 256) | 0;
  for (let i = 0; i < 400; i++) {
    const len = i < 100 ? i : (rnd() * (i < 300 ? 2048 : buf.length)) | 0;
    const start = (rnd() * (buf.length - len)) | 0;
    const end = start + len;
    const init = i % 3 === 0 ? 0 : (rnd() * 0x100000000) >>> 0;
    const ts = crc32cTsUnchecked(buf, start, end, init);
    assert.equal(addon.crc32c(buf, start, end, init), ts, `hw len ${len} start ${start}`);
    assert.equal(addon.crc32cSoftware(buf, start, end, init), ts, `sw len ${len} start ${start}`);
    assert.equal(crc32c(buf, start, end, init), ts);
    if (len < 600 && init === 0) assert.equal(ts, reference(buf.subarray(start, end)));
    // Chaining: crc(a ++ b) === crc(b, init = crc(a)).
    const mid = start + ((len / 2) | 0);
    assert.equal(crc32cTsUnchecked(buf, mid, end, crc32cTsUnchecked(buf, start, mid, init)), ts);
    assert.equal(addon.crc32c(buf, mid, end, addon.crc32c(buf, start, mid, init)), ts);
  }
});

test('bad ranges are RangeErrors with ERR_OUT_OF_RANGE on both sides', () => {
  const addon = native();
  const b = new Uint8Array(8);
  for (const f of [() => crc32c(b, 5, 4), () => crc32c(b, 0, 9), () => crc32c(b, -1), () => crc32c(b, 0, 8, 2 ** 32), () => crc32c(b, 1.5)]) {
    assert.throws(f, (e: Error & { code?: string }) => e instanceof RangeError && e.code === 'ERR_OUT_OF_RANGE');
  }
  for (const f of [() => addon.crc32c(b, 5, 4), () => addon.crc32c(b, 0, 9), () => addon.crc32c(b, 0, 8, -1)]) {
    assert.throws(f, (e: Error & { code?: string }) => e instanceof RangeError && e.code === 'ERR_OUT_OF_RANGE');
  }
  assert.throws(
    () => addon.crc32c(new Uint16Array(4) as unknown as Uint8Array),
    (e: Error & { code?: string }) => e instanceof TypeError && e.code === 'ERR_INVALID_ARG_TYPE',
  );
});
