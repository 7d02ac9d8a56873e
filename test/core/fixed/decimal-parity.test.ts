/**
 * Property tests: the TS parser, the allocation-free TS parser, the native parser (single
 * and batch) and the independent reference agree on status and value; format and parse
 * invert each other; TS and native rescale agree with the reference.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDecimal, parseDecimal, rescale, type RoundingMode } from '../../../src/core/fixed/decimal.js';
import { DecimalError, DecimalStatus } from '../../../src/core/fixed/errors.js';
import { native } from '../../../src/native/load-addon.js';
import { anyScale, grammarBiased, int64, scale, validDecimal } from './arbitraries.js';
import { PARSERS, asciiParse, nativeParse, thrownBy, tsParse } from './parsers.js';
import { referenceCanonical, referenceParse, referenceRescale, type Outcome } from './reference.js';

const SEED = Number(process.env['VELOZ_PROPERTY_SEED'] ?? 20240611);
const RUNS = Number(process.env['VELOZ_PROPERTY_RUNS'] ?? 20000);

function agreeAll(text: string, s: number, allowNegative: boolean): void {
  const want = referenceParse(text, s, allowNegative);
  for (const [name, parse] of PARSERS) {
    assert.deepEqual(parse(text, s, allowNegative), want, `${name} on ${JSON.stringify(text)} @${s}${allowNegative ? ' ±' : ''}`);
  }
  if (want.status !== DecimalStatus.OK) {
    const ts = thrownBy(() => parseDecimal(text, s, { allowNegative }));
    const nat = thrownBy(() => native().decimalParse(text, s, allowNegative));
    assert.equal(nat?.message, ts?.message);
  }
}

describe('decimal parsers agree with each other and with the reference', () => {
  it('on grammar-biased text', () => {
    fc.assert(
      fc.property(grammarBiased, anyScale, fc.boolean(), (text, s, neg) => agreeAll(text, s, neg)),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('on well-formed decimals', () => {
    fc.assert(
      fc.property(validDecimal, anyScale, fc.boolean(), (text, s, neg) => agreeAll(text, s, neg)),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('on arbitrary Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), scale, fc.boolean(), (text, s, neg) => agreeAll(text, s, neg)),
      { seed: SEED + 2, numRuns: RUNS / 4 },
    );
  });
});

describe('format and parse invert each other', () => {
  it('format(parse(x)) is the canonical text of x', () => {
    fc.assert(
      fc.property(validDecimal, scale, fc.integer({ min: -2, max: 20 }), (text, s, minFrac) => {
        const parsed = tsParse(text, s, true);
        fc.pre(parsed.status === DecimalStatus.OK);
        const want = referenceCanonical(text, minFrac, s);
        assert.equal(formatDecimal(parsed.value, s, minFrac), want);
        assert.equal(native().decimalFormat(parsed.value, s, minFrac), want);
      }),
      { seed: SEED + 3, numRuns: RUNS },
    );
  });

  it('parse(format(m)) is m for every int64 and scale', () => {
    fc.assert(
      fc.property(int64, scale, fc.integer({ min: -2, max: 20 }), (m, s, minFrac) => {
        const text = formatDecimal(m, s, minFrac);
        assert.equal(native().decimalFormat(m, s, minFrac), text);
        const want: Outcome = { status: DecimalStatus.OK, value: m };
        assert.deepEqual(tsParse(text, s, true), want, text);
        assert.deepEqual(nativeParse(text, s, true), want, text);
        assert.deepEqual(asciiParse(text, s, true), want, text);
      }),
      { seed: SEED + 4, numRuns: RUNS },
    );
  });
});

describe('rescale agrees with the reference', () => {
  const mode = fc.constantFrom<RoundingMode>('exact', 'floor', 'ceil', 'trunc', 'halfUp', 'halfEven');
  it('in TS and native, every mode, up and down', () => {
    fc.assert(
      fc.property(int64, scale, scale, mode, (m, from, to, md) => {
        const want = referenceRescale(m, from, to, md);
        let ts: Outcome;
        let nat: Outcome;
        let tsErr: Error | undefined;
        let natErr: Error | undefined;
        try {
          ts = { status: DecimalStatus.OK, value: rescale(m, from, to, md) };
        } catch (err) {
          tsErr = err as Error;
          ts = { status: (err as DecimalError).status, value: 0n };
        }
        try {
          nat = { status: DecimalStatus.OK, value: native().decimalRescale(m, from, to, md) };
        } catch (err) {
          natErr = err as Error;
          nat = { status: (err as DecimalError).status, value: 0n };
        }
        assert.deepEqual(ts, want, `ts ${m} ${from}→${to} ${md}`);
        assert.deepEqual(nat, want, `native ${m} ${from}→${to} ${md}`);
        assert.equal(natErr?.message, tsErr?.message);
      }),
      { seed: SEED + 5, numRuns: RUNS },
    );
  });
});
