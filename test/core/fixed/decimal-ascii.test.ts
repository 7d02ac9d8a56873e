import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseDecimal } from '../../../src/core/fixed/decimal.js';
import { parseDecimalAscii, parseDecimalAsciiWords } from '../../../src/core/fixed/decimal-ascii.js';
import { DecimalStatus } from '../../../src/core/fixed/errors.js';

describe('parseDecimalAscii', () => {
  it('reads a slice of a larger frame', () => {
    const frame = Buffer.from('{"p":"65000.10000000","q":"0.00012000"}');
    const out = new BigInt64Array(2);
    const p = frame.indexOf('65000');
    const q = frame.indexOf('0.00012');
    assert.equal(parseDecimalAscii(frame, p, p + 14, 8, false, out, 0), DecimalStatus.OK);
    assert.equal(parseDecimalAscii(frame, q, q + 10, 8, false, out, 1), DecimalStatus.OK);
    assert.deepEqual([...out], [6500010000000n, 12000n]);
  });

  it('zeroes the slot on failure', () => {
    const out = new BigInt64Array([5n]);
    const bytes = Buffer.from('1e5');
    assert.equal(parseDecimalAscii(bytes, 0, 3, 2, false, out, 0), DecimalStatus.EXPONENT);
    assert.equal(out[0], 0n);
  });

  it('writes correctly when the output array changes between calls', () => {
    const a = new BigInt64Array(2);
    const b = new BigInt64Array(new ArrayBuffer(40), 8, 3);
    const bytes = Buffer.from('-9223372036854775808');
    for (let round = 0; round < 3; round++) {
      parseDecimalAscii(bytes, 0, bytes.length, 0, true, a, 1);
      parseDecimalAscii(bytes, 1, bytes.length - 1, 0, true, b, 2);
    }
    assert.deepEqual([...a], [0n, -9223372036854775808n]);
    assert.deepEqual([...b], [0n, 0n, 922337203685477580n]);
  });

  it('writes word pairs into shared memory for decoders', () => {
    const sab = new SharedArrayBuffer(32);
    const words = new Int32Array(sab);
    const bytes = Buffer.from('-0.00000001');
    assert.equal(parseDecimalAsciiWords(bytes, 0, bytes.length, 8, true, words, 2), DecimalStatus.OK);
    assert.equal(new BigInt64Array(sab)[1], -1n);
    assert.throws(() => parseDecimalAsciiWords(bytes, 0, 1, 8, true, words, 7), RangeError);
  });

  it('matches parseDecimal on every sign and magnitude around 2^53 and 2^63', () => {
    const out = new BigInt64Array(1);
    const anchors = [0n, 1n, 2n ** 32n, 2n ** 53n, 2n ** 62n, 2n ** 63n, 10n ** 18n];
    let n = 0;
    for (const a of anchors) {
      for (let d = -40n; d <= 40n; d++) {
        for (const v of [a + d, -(a + d)]) {
          for (const scale of [0, 3, 18]) {
            const abs = (v < 0n ? -v : v).toString().padStart(scale + 1, '0');
            const text = (v < 0n ? '-' : '') + (scale === 0 ? abs : `${abs.slice(0, -scale)}.${abs.slice(-scale)}`);
            const bytes = Buffer.from(text);
            const st = parseDecimalAscii(bytes, 0, bytes.length, scale, true, out, 0);
            let want: bigint | null = null;
            try {
              want = parseDecimal(text, scale, { allowNegative: true });
            } catch {
              want = null;
            }
            assert.equal(st === DecimalStatus.OK ? out[0] : null, want, `${text} @${scale}`);
            if (want === null) assert.equal(st, DecimalStatus.OVERFLOW, text);
            n++;
          }
        }
      }
    }
    assert.ok(n > 3000);
  });

  it('allocates nothing per value', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const texts = ['65000.10000000', '0.00012000', '65000.1', '92233720368.54775807', '-12.5'];
    const bytes = Buffer.from(texts.join(''));
    const starts: number[] = [];
    let pos = 0;
    for (const t of texts) {
      starts.push(pos);
      pos += t.length;
    }
    const out = new BigInt64Array(texts.length);
    const run = (values: number): number => {
      let failed = 0;
      for (let i = 0; i < values; i++) {
        const k = i % texts.length;
        failed += parseDecimalAscii(bytes, starts[k]!, starts[k]! + texts[k]!.length, 8, true, out, k);
      }
      return failed;
    };
    assert.equal(run(200_000), 0); // warm up and optimise
    const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
    let gcs = 0;
    const obs = new PerformanceObserver((list) => {
      gcs += list.getEntries().length;
    });
    gc();
    obs.observe({ entryTypes: ['gc'] });
    const values = 1_000_000;
    const before = newSpace();
    run(values);
    const grown = newSpace() - before;
    await new Promise((r) => setTimeout(r, 20));
    obs.disconnect();
    // A bigint or a boxed number per value would be >= 16 MB here, several scavenges.
    assert.equal(gcs, 0, `${gcs} garbage collections during ${values} parses`);
    assert.ok(grown / values < 0.1, `${grown} bytes allocated over ${values} parses`);
  });
});
