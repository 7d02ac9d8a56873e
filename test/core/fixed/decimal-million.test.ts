/**
 * Millions of generated inputs through the native batch parser, the allocation-free TS
 * parser, parseDecimal and the independent reference: status and value must agree on
 * every single one.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDecimal } from '../../../src/core/fixed/decimal.js';
import { parseDecimalAscii } from '../../../src/core/fixed/decimal-ascii.js';
import { DecimalError, DecimalStatus } from '../../../src/core/fixed/errors.js';
import { native } from '../../../src/native/load-addon.js';
import { CorpusWriter } from './corpus.js';
import { referenceParse } from './reference.js';

const TOTAL = Number(process.env['VELOZ_DECIMAL_INPUTS'] ?? 2_000_000);
const CHUNK = 50_000;
const SEED = Number(process.env['VELOZ_PROPERTY_SEED'] ?? 20240611);

it(`${TOTAL} generated inputs: native batch = parseDecimalAscii = parseDecimal = reference`, () => {
  const addon = native();
  const outNative = new BigInt64Array(CHUNK);
  const statusNative = new Int32Array(CHUNK);
  const outAscii = new BigInt64Array(CHUNK);
  const statusCounts = new Array<number>(9).fill(0);
  const mismatches: string[] = [];
  const previousStackLimit = Error.stackTraceLimit;
  // DecimalError stack traces would dominate the run time; the status is what is compared.
  Error.stackTraceLimit = 0;
  let checked = 0;
  try {
    for (let chunk = 0; checked < TOTAL; chunk++) {
      const scale = chunk % 20 === 19 ? 19 : chunk % 19; // one chunk in twenty has a bad scale
      const allowNegative = (chunk & 1) === 1;
      const gen = new CorpusWriter(SEED + chunk * 7919, Math.min(CHUNK, TOTAL - checked), CHUNK * 80);
      while (gen.add());
      const { bytes, starts, ends, count } = gen.corpus();
      const failed = addon.decimalParseBatch(bytes, starts, ends, count, scale, allowNegative, outNative, statusNative);
      let failedSeen = 0;
      for (let i = 0; i < count; i++) {
        const s = starts[i]!;
        const e = ends[i]!;
        const st = parseDecimalAscii(bytes, s, e, scale, allowNegative, outAscii, i);
        const text = Buffer.from(bytes.buffer, bytes.byteOffset + s, e - s).toString('latin1');
        const ref = referenceParse(text, scale, allowNegative);
        let tsStatus: number = DecimalStatus.OK;
        let tsValue = 0n;
        try {
          tsValue = parseDecimal(text, scale, { allowNegative });
        } catch (err) {
          if (!(err instanceof DecimalError)) throw err;
          tsStatus = err.status;
        }
        const nStatus = statusNative[i]!;
        if (nStatus !== 0) failedSeen++;
        statusCounts[ref.status]!++;
        if (
          nStatus !== ref.status ||
          st !== ref.status ||
          tsStatus !== ref.status ||
          outNative[i] !== ref.value ||
          outAscii[i] !== ref.value ||
          tsValue !== ref.value
        ) {
          if (mismatches.length < 10) {
            mismatches.push(
              `${JSON.stringify(text)} @${scale}${allowNegative ? '±' : ''}: reference ${ref.status}/${ref.value}, ` +
                `native ${nStatus}/${outNative[i]}, ascii ${st}/${outAscii[i]}, ts ${tsStatus}/${tsValue}`,
            );
          }
        }
      }
      assert.equal(failed, failedSeen, 'decimalParseBatch return value counts the failed entries');
      checked += count;
    }
  } finally {
    Error.stackTraceLimit = previousStackLimit;
  }
  assert.deepEqual(mismatches, []);
  assert.equal(checked, TOTAL);
  // The generator must reach every outcome, or agreement proves little.
  statusCounts.forEach((n, s) => assert.ok(n >= Math.min(100, TOTAL / 1000), `status ${s} seen only ${n} times`));
});
