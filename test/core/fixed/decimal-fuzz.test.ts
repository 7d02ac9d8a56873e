/**
 * Mutation fuzzing of the native parser: random and mutated byte strings (non-ASCII,
 * NUL, very long) through decimalParse and decimalParseBatch must never crash, must
 * report a status in range, and must agree with the TS parsers; hostile batch arguments
 * must be refused with a RangeError/TypeError before anything is read or written.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDecimalAscii } from '../../../src/core/fixed/decimal-ascii.js';
import { DecimalStatus } from '../../../src/core/fixed/errors.js';
import { native } from '../../../src/native/load-addon.js';
import { Rng } from './corpus.js';
import { referenceParse } from './reference.js';
import { thrownBy } from './parsers.js';

const SEED = Number(process.env['VELOZ_PROPERTY_SEED'] ?? 20240611);
const STATUS_COUNT = Object.keys(DecimalStatus).length;
const SEEDS = ['0', '65000.10', '0.00012000', '-9223372036854775808', '9223372036854775807', '1.5', '-0.000000000000000001'].map((t) =>
  Buffer.from(t, 'latin1'),
);

function mutate(rng: Rng, input: Uint8Array): Uint8Array {
  let b = Buffer.from(input);
  for (let n = 1 + rng.below(4); n > 0; n--) {
    const at = b.length === 0 ? 0 : rng.below(b.length);
    switch (rng.below(6)) {
      case 0:
        if (b.length > 0) b[at] = b[at]! ^ (1 << rng.below(8));
        break;
      case 1:
        b = Buffer.concat([b.subarray(0, at), Buffer.from([rng.below(256)]), b.subarray(at)]);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
        break;
      case 3: {
        const chunk = b.subarray(at, at + 1 + rng.below(8));
        const copies = Array.from({ length: 1 + rng.below(12) }, () => chunk);
        b = Buffer.concat([b.subarray(0, at), ...copies, b.subarray(at)]);
        break;
      }
      case 4:
        b = Buffer.concat([b, SEEDS[rng.below(SEEDS.length)]!]);
        break;
      default:
        if (b.length > 0) b[at] = [0x00, 0x2e, 0x2d, 0x2b, 0x65, 0x20, 0x80, 0xff, 0xc3][rng.below(9)]!;
    }
  }
  return b;
}

function randomBytes(rng: Rng, maxLen: number): Uint8Array {
  const b = Buffer.alloc(rng.below(maxLen + 1));
  for (let k = 0; k < b.length; k++) b[k] = rng.below(4) === 0 ? rng.below(256) : 0x2d + rng.below(13);
  return b;
}

describe('native decimal parser under fuzzing', () => {
  it('decimalParse on mutated, random and very long strings: in-range status, same as the reference', () => {
    const rng = new Rng(SEED);
    const addon = native();
    const inputs: string[] = [];
    for (let k = 0; k < 20000; k++) {
      const bytes = k % 3 === 0 ? randomBytes(rng, 40) : mutate(rng, SEEDS[rng.below(SEEDS.length)]!);
      // latin1 keeps every byte as one character; utf8 turns broken sequences into U+FFFD.
      inputs.push(Buffer.from(bytes).toString(k % 2 === 0 ? 'latin1' : 'utf8'));
    }
    for (const n of [1000, 65536, 1 << 20]) {
      inputs.push('9'.repeat(n), '0'.repeat(n), ' '.repeat(n), '1.' + '0'.repeat(n), '\u0000'.repeat(n), '\ud800'.repeat(n), '\u00e9'.repeat(n) + 'e');
    }
    for (const text of inputs) {
      for (const scale of [0, 8, 18]) {
        const ref = referenceParse(text, scale, true);
        let status: number = DecimalStatus.OK;
        let value = 0n;
        try {
          value = addon.decimalParse(text, scale, true);
        } catch (err) {
          const e = err as { status?: unknown; code?: unknown };
          assert.ok(typeof e.status === 'number' && e.status > 0 && e.status < STATUS_COUNT, `status ${String(e.status)}`);
          assert.match(String(e.code), /^DECIMAL_/);
          status = e.status;
        }
        assert.equal(status, ref.status, JSON.stringify(text.slice(0, 80)));
        assert.equal(value, ref.value, JSON.stringify(text.slice(0, 80)));
      }
    }
  });

  it('decimalParseBatch on raw random bytes: in-range status, same as parseDecimalAscii', () => {
    const rng = new Rng(SEED + 1);
    const addon = native();
    const count = 20000;
    const bytes = new Uint8Array(count * 24 + (1 << 20));
    const starts = new Uint32Array(count);
    const ends = new Uint32Array(count);
    let pos = 0;
    for (let i = 0; i < count; i++) {
      const b = i % 2 === 0 ? randomBytes(rng, 20) : mutate(rng, SEEDS[rng.below(SEEDS.length)]!);
      const take = Math.min(b.length, 24);
      bytes.set(b.subarray(0, take), pos);
      // Overlapping and empty ranges are legal: the batch only reads.
      starts[i] = i % 97 === 0 ? Math.max(0, pos - 3) : pos;
      ends[i] = pos + take;
      pos += take;
    }
    // One range of a megabyte of digits.
    bytes.fill(0x37, pos);
    starts[count - 1] = pos;
    ends[count - 1] = bytes.length;
    const out = new BigInt64Array(count);
    const status = new Int32Array(count);
    const outTs = new BigInt64Array(count);
    for (const scale of [0, 2, 8, 18]) {
      for (const allowNegative of [false, true]) {
        const failed = addon.decimalParseBatch(bytes, starts, ends, count, scale, allowNegative, out, status);
        let failedTs = 0;
        for (let i = 0; i < count; i++) {
          assert.ok(status[i]! >= 0 && status[i]! < STATUS_COUNT);
          const st = parseDecimalAscii(bytes, starts[i]!, ends[i]!, scale, allowNegative, outTs, i);
          if (st !== 0) failedTs++;
          if (st !== status[i] || outTs[i] !== out[i]) {
            assert.fail(`entry ${i} [${starts[i]}, ${ends[i]}) @${scale}: native ${status[i]}/${out[i]}, ts ${st}/${outTs[i]}`);
          }
        }
        assert.equal(failed, failedTs);
      }
    }
  });

  it('never reads past the end of a range or of the view', () => {
    const addon = native();
    const backing = Buffer.from('12345678');
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 2); // "34", then "5678" outside the view
    const out = new BigInt64Array(2);
    const status = new Int32Array(2);
    assert.equal(addon.decimalParseBatch(view, new Uint32Array([0, 1]), new Uint32Array([2, 2]), 2, 0, false, out, status), 0);
    assert.deepEqual([...out], [34n, 4n]);
    const ascii = new BigInt64Array(1);
    assert.equal(parseDecimalAscii(view, 0, 1, 0, false, ascii, 0), DecimalStatus.OK);
    assert.equal(ascii[0], 3n);
  });

  it('honours byteOffset of every view and works on shared memory', () => {
    const addon = native();
    const sab = new SharedArrayBuffer(64);
    const bytes = new Uint8Array(sab, 8, 16);
    bytes.set(Buffer.from('xx1.5yy-2'));
    const starts = new Uint32Array(new SharedArrayBuffer(16), 4, 2);
    const ends = new Uint32Array(2);
    starts.set([2, 7]);
    ends.set([5, 9]);
    const out = new BigInt64Array(new ArrayBuffer(32), 8, 2);
    const status = new Int32Array(new ArrayBuffer(16), 4, 2);
    assert.equal(addon.decimalParseBatch(bytes, starts, ends, 2, 1, true, out, status), 0);
    assert.deepEqual([...out], [15n, -20n]);
    assert.deepEqual([...status], [0, 0]);
  });

  it('refuses bad ranges and counts with a RangeError before writing anything', () => {
    const addon = native();
    const bytes = Buffer.from('1234');
    const out = new BigInt64Array(3).fill(77n);
    const status = new Int32Array(3).fill(-5);
    const cases: Array<[string, Uint32Array, Uint32Array, number]> = [
      ['end past the bytes', new Uint32Array([0, 0]), new Uint32Array([4, 5]), 2],
      ['start after end', new Uint32Array([0, 3]), new Uint32Array([1, 2]), 2],
      ['start past the bytes', new Uint32Array([9]), new Uint32Array([9]), 1],
      ['huge end', new Uint32Array([0]), new Uint32Array([0xffffffff]), 1],
      ['count past starts', new Uint32Array([0]), new Uint32Array([1, 1, 1]), 2],
      ['count past out', new Uint32Array(4), new Uint32Array(4), 4],
      ['negative count', new Uint32Array(1), new Uint32Array(1), -1],
      ['fractional count', new Uint32Array(2), new Uint32Array(2), 1.5],
      ['NaN count', new Uint32Array(2), new Uint32Array(2), Number.NaN],
    ];
    for (const [what, starts, ends, count] of cases) {
      const err = thrownBy(() => addon.decimalParseBatch(bytes, starts, ends, count, 2, false, out, status));
      assert.ok(err instanceof RangeError, `${what}: ${String(err)}`);
      assert.equal((err as { code?: string }).code, 'ERR_OUT_OF_RANGE', what);
      assert.deepEqual([...out], [77n, 77n, 77n], what);
      assert.deepEqual([...status], [-5, -5, -5], what);
    }
    const ascii = new BigInt64Array(1);
    assert.ok(thrownBy(() => parseDecimalAscii(bytes, 0, 5, 2, false, ascii, 0)) instanceof RangeError);
    assert.ok(thrownBy(() => parseDecimalAscii(bytes, 3, 2, 2, false, ascii, 0)) instanceof RangeError);
    assert.ok(thrownBy(() => parseDecimalAscii(bytes, 0, 1, 2, false, ascii, 1)) instanceof RangeError);
  });

  it('refuses arrays of the wrong kind with a TypeError', () => {
    const addon = native();
    const batch = addon.decimalParseBatch as (...args: unknown[]) => number;
    const ok: unknown[] = [Buffer.from('1'), new Uint32Array([0]), new Uint32Array([1]), 1, 0, false, new BigInt64Array(1), new Int32Array(1)];
    const swaps: Array<[number, unknown]> = [
      [0, 'text'],
      [0, new Int8Array(1)],
      [1, new Int32Array([0])],
      [2, [1]],
      [6, new BigUint64Array(1)],
      [6, new Float64Array(1)],
      [7, new Uint32Array(1)],
      [3, '1'],
    ];
    for (const [at, value] of swaps) {
      const args = [...ok];
      args[at] = value;
      const err = thrownBy(() => batch(...args));
      assert.ok(err instanceof TypeError, `argument ${at}: ${String(err)}`);
    }
    assert.equal(batch(...ok), 0);
  });

  it('reports SCALE for every entry when the scale is invalid', () => {
    const addon = native();
    const out = new BigInt64Array(2).fill(1n);
    const status = new Int32Array(2);
    for (const scale of [19, -1, 2.5, Number.NaN]) {
      const failed = addon.decimalParseBatch(Buffer.from('12'), new Uint32Array([0, 1]), new Uint32Array([1, 2]), 2, scale, false, out, status);
      assert.equal(failed, 2);
      assert.deepEqual([...status], [DecimalStatus.SCALE, DecimalStatus.SCALE]);
      assert.deepEqual([...out], [0n, 0n]);
    }
  });
});
