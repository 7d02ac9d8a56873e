import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { StoreError } from '../../src/store/errors.js';
import { formatNumeric, parseNumeric, timestamptzFromMs, timestamptzFromNs } from '../../src/store/numeric.js';
import { redactDatabaseUrl } from '../../src/store/redact-url.js';

test('redactDatabaseUrl drops the password wherever it is, keeps the rest', () => {
  assert.equal(redactDatabaseUrl('postgresql://trader:s3cr%40t@db.example:6432/veloz?sslmode=require'), 'postgresql://trader@db.example:6432/veloz?sslmode=require');
  assert.equal(redactDatabaseUrl('postgres://u@h/d?password=x&application_name=v'), 'postgres://u@h/d?application_name=v');
  assert.equal(redactDatabaseUrl('postgres://u@h/d?sslpassword=x'), 'postgres://u@h/d');
  assert.equal(redactDatabaseUrl('postgres://:onlypass@h/d'), 'postgres://h/d');
  const garbled = redactDatabaseUrl('postgres://u:pw@[bad');
  assert.doesNotMatch(garbled, /pw/);
  assert.equal(garbled, 'postgres://<unparseable url>');
});

test('formatNumeric / parseNumeric round-trip any bigint at any scale up to 64', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: 64 }), (m, scale) => {
      const text = formatNumeric(m, scale);
      assert.match(text, /^-?[0-9]+(\.[0-9]*[1-9])?$/);
      assert.equal(parseNumeric(text, scale), m);
    }),
    { numRuns: 2000 },
  );
  assert.equal(formatNumeric(-5n, 20), '-0.00000000000000000005');
  assert.equal(parseNumeric('1.2300', 2), 123n);
  assert.throws(() => parseNumeric('1.234', 2), (e: unknown) => e instanceof StoreError && e.code === 'ROW_INVALID');
  assert.throws(() => parseNumeric('1e5', 2), StoreError);
  assert.throws(() => parseNumeric('NaN', 2), StoreError);
  assert.throws(() => formatNumeric(1n, 65), StoreError);
});

test('timestamps keep microseconds and truncate nanoseconds toward the past', () => {
  assert.equal(timestamptzFromNs(1_709_251_200_123_456_789n), '2024-03-01T00:00:00.123456Z');
  assert.equal(timestamptzFromNs(0n), '1970-01-01T00:00:00.000000Z');
  assert.equal(timestamptzFromNs(-1n), '1969-12-31T23:59:59.999999Z');
  assert.equal(timestamptzFromMs(Date.UTC(2024, 0, 1)), '2024-01-01T00:00:00.000Z');
  // Against a plain reference, with runs of nearby times (the per-second prefix cache) and jumps.
  const reference = (ns: bigint): string => {
    const us = ns >= 0n || ns % 1000n === 0n ? ns / 1000n : ns / 1000n - 1n;
    const ms = us >= 0n || us % 1000n === 0n ? us / 1000n : us / 1000n - 1n;
    return new Date(Number(ms)).toISOString().slice(0, 23) + String(us - ms * 1000n).padStart(3, '0') + 'Z';
  };
  fc.assert(
    fc.property(fc.bigInt({ min: -(10n ** 18n), max: 7n * 10n ** 18n }), fc.array(fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }), { maxLength: 8 }), (start, steps) => {
      let ns = start;
      for (const step of [0n, ...steps]) {
        ns += step;
        assert.equal(timestamptzFromNs(ns), reference(ns), String(ns));
      }
    }),
    { numRuns: 3000 },
  );
});
