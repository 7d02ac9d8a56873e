import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from '../../src/risk/token-bucket.js';
import { ManualClock } from '../../src/risk/clock.js';
import { RiskConfigError } from '../../src/risk/errors.js';

describe('token bucket', () => {
  it('allows a burst, then the refill rate, driven by a fake clock', () => {
    const clock = new ManualClock(5_000);
    const b = new TokenBucket(10, 3, clock.nowNs());
    for (let i = 0; i < 3; i++) assert.equal(b.tryTake(clock.nowNs()), true);
    assert.equal(b.tryTake(clock.nowNs()), false);
    clock.advance(99_999_999); // just under 1/10 s
    assert.equal(b.tryTake(clock.nowNs()), false);
    clock.advance(1);
    assert.equal(b.tryTake(clock.nowNs()), true);
    assert.equal(b.tryTake(clock.nowNs()), false);
  });

  it('never holds more than the burst, however long it idles', () => {
    const b = new TokenBucket(1000, 4, 0);
    assert.equal(b.tokens, 4);
    b.available(3600e9);
    assert.equal(b.tokens, 4);
    let n = 0;
    while (b.tryTake(3600e9) && n < 100) n++;
    assert.equal(n, 4);
  });

  it('refills exactly with no drift from frequent polling', () => {
    const b = new TokenBucket(3, 1000, 0);
    for (let i = 0; i < 1000; i++) b.tryTake(0);
    assert.equal(b.tokens, 0);
    // 1 s in 1 ms steps: each adds 0.003 tokens, exactly, so the second ends with 3.
    let t = 0;
    for (let i = 0; i < 1000; i++) b.available((t += 1e6));
    assert.equal(b.tokens, 3);
  });

  it('ignores a clock that steps back', () => {
    const b = new TokenBucket(1, 1, 1e9);
    assert.equal(b.tryTake(1e9), true);
    assert.equal(b.tryTake(0), false);
    assert.equal(b.tryTake(1e9 + 5e8), false);
    assert.equal(b.tryTake(2e9), true);
  });

  it('available then take consumes exactly one token', () => {
    const b = new TokenBucket(1, 2, 0);
    assert.ok(b.available(0));
    b.take();
    assert.equal(b.tokens, 1);
  });

  it('refuses bad parameters', () => {
    assert.throws(() => new TokenBucket(0, 1, 0), RiskConfigError);
    assert.throws(() => new TokenBucket(1.5, 1, 0), RiskConfigError);
    assert.throws(() => new TokenBucket(1, 0, 0), RiskConfigError);
    assert.throws(() => new TokenBucket(1, 2_000_000, 0), RiskConfigError);
  });
});
