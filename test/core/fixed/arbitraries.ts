/** fast-check generators of decimal-ish text, biased towards the grammar's edges. */
import fc from 'fast-check';
import { INT64_MAX, INT64_MIN, formatDecimal } from '../../../src/core/fixed/decimal.js';

const digitChar = fc.constantFrom(...'0123456789');
const digits = (min: number, max: number) => fc.string({ unit: digitChar, minLength: min, maxLength: max });

/** Fragments that make up near-miss decimals: grammar symbols, blanks, foreign characters, long runs. */
const piece = fc.oneof(
  { arbitrary: digitChar, weight: 20 },
  { arbitrary: fc.constantFrom('.', '-', '+', 'e', 'E'), weight: 6 },
  { arbitrary: fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f'), weight: 2 },
  { arbitrary: fc.constantFrom('\u00a0', '\u0000', 'x', '\u00e9', '\u0661', '\uff11', '\ud800', ',', '_', '/', ':'), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('0', '9', '1', '5', ' '), fc.integer({ min: 10, max: 80 }))
      .map(([c, n]) => c.repeat(n)),
    weight: 1,
  },
);

/** Anything built from the pieces above: mostly malformed, sometimes valid. */
export const grammarBiased = fc.array(piece, { maxLength: 24 }).map((a) => a.join(''));

/** Int64 values with the bounds and their neighbours well represented. */
export const int64 = fc.oneof(
  { arbitrary: fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), weight: 6 },
  { arbitrary: fc.bigInt({ min: INT64_MAX - 1000n, max: INT64_MAX }), weight: 1 },
  { arbitrary: fc.bigInt({ min: INT64_MIN, max: INT64_MIN + 1000n }), weight: 1 },
  { arbitrary: fc.bigInt({ min: -1000000n, max: 1000000n }), weight: 2 },
  {
    // Ties and exact multiples for rounding: q·10^k + r·10^(k-1)
    arbitrary: fc
      .tuple(fc.bigInt({ min: -99999n, max: 99999n }), fc.integer({ min: 1, max: 13 }), fc.constantFrom(0n, 5n, 4n, 6n))
      .map(([q, k, r]) => q * 10n ** BigInt(k) + (q < 0n ? -r : r) * 10n ** BigInt(k - 1)),
    weight: 2,
  },
);

export const scale = fc.integer({ min: 0, max: 18 });
/** Mostly valid scales, now and then just outside. */
export const anyScale = fc.oneof({ arbitrary: scale, weight: 20 }, { arbitrary: fc.constantFrom(-1, 19, 2.5), weight: 1 });

/** Well-formed decimals: leading zeros, long fractions, trailing zeros, values near the int64 bounds. */
export const validDecimal = fc.oneof(
  fc
    .record({
      negative: fc.boolean(),
      lead: fc.integer({ min: 0, max: 3 }),
      int: digits(1, 22),
      frac: fc.option(digits(1, 22), { nil: undefined }),
      trail: fc.integer({ min: 0, max: 6 }),
    })
    .map(({ negative, lead, int, frac, trail }) => {
      const f = frac === undefined ? (trail > 0 ? '0'.repeat(trail) : '') : frac + '0'.repeat(trail);
      return (negative ? '-' : '') + '0'.repeat(lead) + int + (f ? '.' + f : '');
    }),
  fc
    .tuple(int64, scale, fc.integer({ min: 0, max: 4 }))
    .map(([m, s, zeros]) => {
      const t = formatDecimal(m, s);
      return zeros === 0 ? t : t + (t.includes('.') ? '' : '.') + '0'.repeat(zeros);
    }),
);
