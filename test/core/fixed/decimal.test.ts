import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  INT64_MAX,
  INT64_MIN,
  POW10_NUMBER,
  SAFE_MUL_LIMIT,
  formatDecimal,
  parseDecimal,
  rescale,
  type RoundingMode,
} from '../../../src/core/fixed/decimal.js';
import { DecimalError, DecimalStatus } from '../../../src/core/fixed/errors.js';
import { native } from '../../../src/native/load-addon.js';
import { PARSERS, thrownBy } from './parsers.js';
import { referenceParse, referenceRescale, type Outcome } from './reference.js';

const S = DecimalStatus;
type Case = [text: string, scale: number, allowNegative: boolean, expected: bigint | DecimalStatus];

const ok = (v: bigint): Outcome => ({ status: S.OK, value: v });
const bad = (s: DecimalStatus): Outcome => ({ status: s, value: 0n });

const CASES: Case[] = [
  // zeros and plain values
  ['0', 0, false, 0n],
  ['0', 8, false, 0n],
  ['0.00000000', 8, false, 0n],
  ['0.00000000', 0, false, 0n],
  ['-0', 2, true, 0n],
  ['-0.000', 2, true, 0n],
  ['0.00012000', 8, false, 12000n],
  ['0.00012000', 5, false, 12n],
  ['0.00012000', 4, false, S.PRECISION],
  ['65000.1', 8, false, 6500010000000n],
  ['65000.10', 2, false, 6500010n],
  ['007', 0, false, 7n],
  ['000.500', 1, false, 5n],
  ['0.1', 18, false, 100000000000000000n],
  ['1', 18, false, 1000000000000000000n],
  ['-12.5', 1, true, -125n],
  // int64 bounds at several scales
  ['9223372036854775807', 0, false, INT64_MAX],
  ['9223372036854775808', 0, false, S.OVERFLOW],
  ['-9223372036854775808', 0, true, INT64_MIN],
  ['-9223372036854775809', 0, true, S.OVERFLOW],
  ['92233720368547758.07', 2, false, INT64_MAX],
  ['92233720368547758.08', 2, false, S.OVERFLOW],
  ['92233720368.54775807', 8, false, INT64_MAX],
  ['92233720368.54775808', 8, false, S.OVERFLOW],
  ['-92233720368.54775808', 8, true, INT64_MIN],
  ['-92233720368.54775809', 8, true, S.OVERFLOW],
  ['9.223372036854775807', 18, false, INT64_MAX],
  ['9.223372036854775808', 18, false, S.OVERFLOW],
  ['-9.223372036854775808', 18, true, INT64_MIN],
  ['-9.223372036854775809', 18, true, S.OVERFLOW],
  ['9', 18, false, 9000000000000000000n],
  ['10', 18, false, S.OVERFLOW],
  ['0000000000000000000009.223372036854775807000000', 18, false, INT64_MAX],
  // 19 and 20 digits, including values that wrap a uint64 accumulator to something small
  ['1000000000000000000', 0, false, 1000000000000000000n],
  ['9999999999999999999', 0, false, S.OVERFLOW],
  ['0000000000000000000001', 0, false, 1n],
  ['18446744073709551615', 0, false, S.OVERFLOW],
  ['18446744073709551616', 0, false, S.OVERFLOW],
  ['18446744073709551626', 0, false, S.OVERFLOW],
  ['1844674407370955161.6', 1, false, S.OVERFLOW],
  ['36893488147419103232', 0, false, S.OVERFLOW],
  ['9007199254740993', 0, false, 9007199254740993n],
  ['-90071992547409.93', 2, true, -9007199254740993n],
  // the digit limit
  ['0'.repeat(63) + '1', 0, false, 1n],
  ['0'.repeat(64) + '1', 0, false, S.TOO_MANY_DIGITS],
  ['1.' + '0'.repeat(63), 0, false, 1n],
  ['1.' + '0'.repeat(64), 0, false, S.TOO_MANY_DIGITS],
  ['9'.repeat(64), 0, false, S.OVERFLOW],
  ['1.' + '5'.repeat(70), 2, false, S.TOO_MANY_DIGITS],
  ['1'.repeat(70) + 'x', 2, false, S.SYNTAX],
  ['1'.repeat(70) + 'e5', 2, false, S.EXPONENT],
  // blanks
  ['', 2, false, S.EMPTY],
  ['   ', 2, false, S.EMPTY],
  ['\t\n\r\v\f ', 2, false, S.EMPTY],
  ['\u00a0', 2, false, S.SYNTAX],
  ['\u2028', 2, false, S.SYNTAX],
  [' 1', 2, false, S.SYNTAX],
  ['1 ', 2, false, S.SYNTAX],
  ['1\n', 2, false, S.SYNTAX],
  // exponents
  ['1e5', 2, false, S.EXPONENT],
  ['1E5', 2, false, S.EXPONENT],
  ['1.5e-3', 2, false, S.EXPONENT],
  ['1.e5', 2, false, S.EXPONENT],
  ['e', 2, false, S.EXPONENT],
  ['-e1', 2, true, S.EXPONENT],
  ['1 e5', 2, false, S.SYNTAX],
  // signs
  ['+1', 2, false, S.SIGN],
  ['+1', 2, true, S.SIGN],
  ['-1', 2, false, S.SIGN],
  ['-', 2, false, S.SIGN],
  ['--1', 2, true, S.SIGN],
  ['1-2', 2, false, S.SIGN],
  ['1.-2', 2, false, S.SIGN],
  ['1+', 2, false, S.SIGN],
  ['-', 2, true, S.SYNTAX],
  ['- 1', 2, true, S.SYNTAX],
  // other syntax
  ['.5', 2, false, S.SYNTAX],
  ['5.', 2, false, S.SYNTAX],
  ['1.2.3', 2, false, S.SYNTAX],
  ['1,000', 2, false, S.SYNTAX],
  ['0x10', 2, false, S.SYNTAX],
  ['NaN', 2, false, S.SYNTAX],
  ['Infinity', 2, false, S.SYNTAX],
  ['\u0661', 2, false, S.SYNTAX],
  ['\uff11', 2, false, S.SYNTAX],
  ['1\u0000', 2, false, S.SYNTAX],
  ['\ud800', 2, false, S.SYNTAX],
  ['1\u00e9', 2, false, S.SYNTAX],
  // precedence between the value errors
  ['1.5', 0, false, S.PRECISION],
  ['0.000000001', 8, false, S.PRECISION],
  ['0.000000010', 8, false, 1n],
  ['99999999999999999999.5', 0, false, S.PRECISION],
  // scale
  ['1', 19, false, S.SCALE],
  ['1', -1, false, S.SCALE],
  ['1', 2.5, false, S.SCALE],
  ['1', Number.NaN, false, S.SCALE],
  ['', 19, false, S.SCALE],
  ['+1', 19, false, S.SCALE],
];

function expected(c: Case): Outcome {
  return typeof c[3] === 'bigint' ? ok(c[3]) : bad(c[3]);
}

function show(c: Case): string {
  const t = c[0].length > 40 ? c[0].slice(0, 40) + '…' : c[0];
  return `${JSON.stringify(t)} scale ${c[1]}${c[2] ? ' allowNegative' : ''}`;
}

describe('decimal parse: grammar edge cases', () => {
  it('covers every error status', () => {
    const seen = new Set(CASES.map((c) => (typeof c[3] === 'bigint' ? S.OK : c[3])));
    for (const s of Object.values(S)) assert.ok(seen.has(s), `no case for status ${s}`);
  });

  it('the reference gives the expected outcome', () => {
    for (const c of CASES) assert.deepEqual(referenceParse(c[0], c[1], c[2]), expected(c), show(c));
  });

  for (const [name, parse] of PARSERS) {
    it(`${name} gives the expected outcome`, () => {
      for (const c of CASES) assert.deepEqual(parse(c[0], c[1], c[2]), expected(c), show(c));
    });
  }

  it('native errors carry the same code, status, input and message as DecimalError', () => {
    for (const c of CASES) {
      if (typeof c[3] === 'bigint') continue;
      const ts = thrownBy(() => parseDecimal(c[0], c[1], { allowNegative: c[2] }));
      const nat = thrownBy(() => native().decimalParse(c[0], c[1], c[2]));
      assert.ok(ts instanceof DecimalError, show(c));
      assert.ok(nat instanceof Error, show(c));
      assert.equal(nat.code, ts.code, show(c));
      assert.equal(nat.status, ts.status, show(c));
      assert.equal(nat.input, c[0], show(c));
      assert.equal(nat.message, ts.message, show(c));
      assert.match(nat.message, /^decimal "/);
    }
  });

  it('messages name the input, cut after 64 characters', () => {
    const long = 'x'.repeat(100);
    const err = thrownBy(() => native().decimalParse(long, 2, false))!;
    assert.equal(err.message, `decimal "${'x'.repeat(64)}…" is not a plain decimal number (at offset 0)`);
    assert.equal(err.message, thrownBy(() => parseDecimal(long, 2))!.message);
    const surrogate = '\ud83d\ude00'.repeat(40);
    assert.equal(thrownBy(() => native().decimalParse(surrogate, 2, false))!.message, thrownBy(() => parseDecimal(surrogate, 2))!.message);
  });

  it('native decimalParse rejects a non-string', () => {
    const err = thrownBy(() => (native().decimalParse as (t: unknown, s: number, n: boolean) => bigint)(12, 2, false));
    assert.ok(err instanceof TypeError);
    assert.equal((err as { code?: string }).code, 'ERR_INVALID_ARG_TYPE');
  });
});

describe('number fast paths', () => {
  it('SAFE_MUL_LIMIT[k] is the exact largest acc with acc·10^k <= 2^53 - 1', () => {
    const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);
    POW10_NUMBER.forEach((p, k) => {
      assert.equal(BigInt(p), 10n ** BigInt(k));
      const limit = BigInt(SAFE_MUL_LIMIT[k]!);
      assert.ok(limit * 10n ** BigInt(k) <= maxSafe, `k=${k}`);
      assert.ok((limit + 1n) * 10n ** BigInt(k) > maxSafe, `k=${k}`);
    });
  });
});

describe('decimal format', () => {
  const FORMATS: Array<[bigint, number, number, string]> = [
    [12000n, 8, 0, '0.00012'],
    [12000n, 8, 8, '0.00012000'],
    [6500010000000n, 8, 2, '65000.10'],
    [6500010000000n, 8, 0, '65000.1'],
    [0n, 8, 0, '0'],
    [0n, 8, 2, '0.00'],
    [0n, 0, 5, '0'],
    [-1n, 18, 0, '-0.000000000000000001'],
    [INT64_MIN, 18, 0, '-9.223372036854775808'],
    [INT64_MAX, 18, 0, '9.223372036854775807'],
    [INT64_MIN, 0, 0, '-9223372036854775808'],
    [INT64_MAX, 0, 0, '9223372036854775807'],
    [5n, 2, 10, '0.05'],
    [500n, 2, -3, '5'],
    [-500n, 2, 1, '-5.0'],
    [1000000000000000000n, 18, 0, '1'],
    [123456789n, 4, 0, '12345.6789'],
  ];

  it('TS and native write the same exact strings', () => {
    for (const [m, scale, minFrac, text] of FORMATS) {
      assert.equal(formatDecimal(m, scale, minFrac), text, `${m} @${scale} min ${minFrac}`);
      assert.equal(native().decimalFormat(m, scale, minFrac), text, `${m} @${scale} min ${minFrac}`);
    }
  });

  it('rejects a bad scale or minFractionDigits the same way on both sides', () => {
    for (const scale of [19, -1, 1.5]) {
      const ts = thrownBy(() => formatDecimal(1n, scale));
      const nat = thrownBy(() => native().decimalFormat(1n, scale, 0));
      assert.equal(ts?.code, 'DECIMAL_SCALE');
      assert.equal(nat?.code, 'DECIMAL_SCALE');
      assert.equal(nat?.message, ts?.message);
    }
    for (const minFrac of [1.5, Number.NaN]) {
      assert.ok(thrownBy(() => formatDecimal(1n, 2, minFrac)) instanceof RangeError);
      assert.ok(thrownBy(() => native().decimalFormat(1n, 2, minFrac)) instanceof RangeError);
    }
  });

  it('native refuses a mantissa outside int64 or not a bigint', () => {
    assert.equal(thrownBy(() => native().decimalFormat(INT64_MAX + 1n, 0, 0))?.code, 'DECIMAL_OVERFLOW');
    assert.equal(thrownBy(() => native().decimalFormat(INT64_MIN - 1n, 0, 0))?.code, 'DECIMAL_OVERFLOW');
    const err = thrownBy(() => (native().decimalFormat as (m: unknown, s: number, f: number) => string)(5, 0, 0));
    assert.ok(err instanceof TypeError);
  });
});

describe('decimal rescale', () => {
  const MODES: RoundingMode[] = ['exact', 'floor', 'ceil', 'trunc', 'halfUp', 'halfEven'];
  // [mantissa at scale 1, expected at scale 0 per mode in MODES order]; null = PRECISION
  const DOWN: Array<[bigint, Array<bigint | null>]> = [
    [15n, [null, 1n, 2n, 1n, 2n, 2n]],
    [25n, [null, 2n, 3n, 2n, 3n, 2n]],
    [-15n, [null, -2n, -1n, -1n, -2n, -2n]],
    [-25n, [null, -3n, -2n, -2n, -3n, -2n]],
    [14n, [null, 1n, 2n, 1n, 1n, 1n]],
    [16n, [null, 1n, 2n, 1n, 2n, 2n]],
    [-14n, [null, -2n, -1n, -1n, -1n, -1n]],
    [-16n, [null, -2n, -1n, -1n, -2n, -2n]],
    [5n, [null, 0n, 1n, 0n, 1n, 0n]],
    [-5n, [null, -1n, 0n, 0n, -1n, 0n]],
    [30n, [3n, 3n, 3n, 3n, 3n, 3n]],
    [-30n, [-3n, -3n, -3n, -3n, -3n, -3n]],
    [0n, [0n, 0n, 0n, 0n, 0n, 0n]],
  ];

  function both(m: bigint, from: number, to: number, mode: RoundingMode): [Outcome, Outcome, string | undefined, string | undefined] {
    let ts: Outcome;
    let nat: Outcome;
    let tsMsg: string | undefined;
    let natMsg: string | undefined;
    try {
      ts = ok(rescale(m, from, to, mode));
    } catch (err) {
      ts = bad((err as DecimalError).status);
      tsMsg = (err as Error).message;
    }
    try {
      nat = ok(native().decimalRescale(m, from, to, mode));
    } catch (err) {
      nat = bad((err as DecimalError).status);
      natMsg = (err as Error).message;
    }
    return [ts, nat, tsMsg, natMsg];
  }

  it('rounds ties and negatives per mode, the same in TS, native and the reference', () => {
    for (const [m, want] of DOWN) {
      MODES.forEach((mode, k) => {
        const w = want[k]!;
        const exp = w === null ? bad(S.PRECISION) : ok(w);
        const [ts, nat, tsMsg, natMsg] = both(m, 1, 0, mode);
        assert.deepEqual(ts, exp, `${m} ${mode}`);
        assert.deepEqual(nat, exp, `${m} ${mode}`);
        assert.deepEqual(referenceRescale(m, 1, 0, mode), exp, `${m} ${mode}`);
        assert.equal(natMsg, tsMsg);
      });
    }
  });

  it('rescales up with checked overflow and down across the full range', () => {
    const cases: Array<[bigint, number, number, RoundingMode, Outcome]> = [
      [1n, 0, 18, 'exact', ok(1000000000000000000n)],
      [9n, 0, 18, 'exact', ok(9000000000000000000n)],
      [10n, 0, 18, 'exact', bad(S.OVERFLOW)],
      [-9n, 0, 18, 'exact', ok(-9000000000000000000n)],
      [-10n, 0, 18, 'exact', bad(S.OVERFLOW)],
      [INT64_MAX, 0, 1, 'floor', bad(S.OVERFLOW)],
      [INT64_MIN, 0, 1, 'floor', bad(S.OVERFLOW)],
      [INT64_MAX, 5, 5, 'exact', ok(INT64_MAX)],
      [922337203685477580n, 2, 3, 'exact', ok(9223372036854775800n)],
      [922337203685477581n, 2, 3, 'exact', bad(S.OVERFLOW)],
      [INT64_MIN, 18, 0, 'halfUp', ok(-9n)],
      [INT64_MIN, 18, 0, 'floor', ok(-10n)],
      [INT64_MAX, 18, 0, 'ceil', ok(10n)],
      [INT64_MAX, 18, 0, 'exact', bad(S.PRECISION)],
      [123456789n, 8, 2, 'halfEven', ok(123n)],
      [1n, 0, 19, 'exact', bad(S.SCALE)],
      [1n, -1, 0, 'exact', bad(S.SCALE)],
    ];
    for (const [m, from, to, mode, exp] of cases) {
      const [ts, nat, tsMsg, natMsg] = both(m, from, to, mode);
      assert.deepEqual(ts, exp, `${m} ${from}→${to} ${mode}`);
      assert.deepEqual(nat, exp, `${m} ${from}→${to} ${mode}`);
      assert.equal(natMsg, tsMsg, `${m} ${from}→${to} ${mode}`);
      if (exp.status !== S.SCALE) assert.deepEqual(referenceRescale(m, from, to, mode), exp, `${m} ${from}→${to} ${mode}`);
    }
  });

  it('native rejects an unknown rounding mode', () => {
    const err = thrownBy(() => native().decimalRescale(1n, 1, 0, 'up' as RoundingMode));
    assert.ok(err instanceof RangeError);
    assert.equal((err as { code?: string }).code, 'ERR_OUT_OF_RANGE');
  });
});
