/** Backoff, attempt budget and clock-offset filter, driven by a fake clock (plain numbers). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReconnectBackoff, seededRandom, SlidingWindowLimit, ClockOffsetEstimator } from '../../../src/venues/binance/feed/index.js';

const policy = { initialMs: 1000, maxMs: 60_000, healthyResetMs: 30_000 };

test('decorrelated jitter: every delay in [initial, min(max, 3 × previous)], reaches the cap, never exceeds it', () => {
  const b = new ReconnectBackoff({ ...policy, jitter: 'decorrelated' }, seededRandom(1));
  let prev = policy.initialMs;
  const delays: number[] = [];
  for (let i = 0; i < 200; i++) {
    const d = b.next();
    assert.ok(d >= policy.initialMs, `>= initial (${d})`);
    assert.ok(d <= Math.min(policy.maxMs, prev * 3), `<= min(max, 3·prev) (${d} after ${prev})`);
    prev = d;
    delays.push(d);
  }
  assert.ok(delays.some((d) => d > 50_000), 'gets near the cap');
  assert.ok(new Set(delays).size > 50, 'jittered, not a fixed ladder');
  assert.equal(b.attempts, 200);
});

test('full jitter: delay n in [0, min(max, initial·2^n)]', () => {
  const b = new ReconnectBackoff({ ...policy, jitter: 'full' }, seededRandom(2));
  for (let n = 0; n < 100; n++) {
    const d = b.next();
    assert.ok(d >= 0 && d <= Math.min(policy.maxMs, policy.initialMs * 2 ** n), `attempt ${n}: ${d}`);
  }
  // The extremes of the random source map to the bounds.
  const lo = new ReconnectBackoff({ ...policy, jitter: 'full' }, () => 0);
  const hi = new ReconnectBackoff({ ...policy, jitter: 'full' }, () => 0.999_999_9);
  const lows = Array.from({ length: 10 }, () => lo.next());
  const highs = Array.from({ length: 10 }, () => hi.next());
  assert.deepEqual(lows, Array(10).fill(0));
  assert.deepEqual(highs, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000]);
});

test('seeded jitter is reproducible; another seed differs', () => {
  const run = (seed: number): number[] => {
    const b = new ReconnectBackoff({ ...policy, jitter: 'decorrelated' }, seededRandom(seed));
    return Array.from({ length: 20 }, () => b.next());
  };
  assert.deepEqual(run(42), run(42));
  assert.notDeepEqual(run(42), run(43));
});

test('reset after a healthy period, not after a short one', () => {
  const b = new ReconnectBackoff({ ...policy, jitter: 'full' }, () => 0.999_999_9);
  let now = 0;
  for (let i = 0; i < 6; i++) b.next();
  assert.equal(b.attempts, 6);
  b.live(now);
  now += 29_999;
  b.lost(now);
  assert.equal(b.attempts, 6, 'live 29.999 s < healthyResetMs: no reset');
  assert.equal(b.next(), 60_000);
  b.live(now);
  now += 30_000;
  b.lost(now);
  assert.equal(b.attempts, 0, 'live 30 s: reset');
  assert.equal(b.next(), 1000, 'back to the initial delay');
  b.lost(now + 100_000);
  assert.equal(b.attempts, 1, 'a loss without a live period does not reset');
});

test('attempt budget: 300 per 5 minutes, sliding', () => {
  const w = new SlidingWindowLimit(300, 300_000);
  let now = 1_000;
  for (let i = 0; i < 300; i++) {
    assert.equal(w.take(now), true);
    now += 100;
  }
  // 300 attempts in 30 s: the 301st must wait until the first leaves the window.
  assert.equal(w.take(now), false);
  assert.equal(w.waitMs(now), 1_000 + 300_000 - now);
  now = 1_000 + 300_000;
  assert.equal(w.waitMs(now), 0);
  assert.equal(w.take(now), true);
  assert.equal(w.take(now), false, 'only one left the window');
  assert.equal(w.used(now), 300);
  assert.equal(w.used(now + 400_000), 0);
  assert.throws(() => new SlidingWindowLimit(0, 1000), /positive integer, got 0/);
});

test('clock offset: serverTime − midpoint, the min-RTT sample of the window wins', () => {
  const e = new ClockOffsetEstimator(4);
  assert.ok(Number.isNaN(e.offsetMs));
  // Server 250 ms ahead; replies with asymmetric delays.
  e.add(1000, 1000 + 250 + 5, 1010); // rtt 10, true offset estimate 250
  e.add(2000, 2000 + 250 + 80, 2100); // rtt 100: slow reply, biased
  assert.equal(e.offsetMs, 250);
  assert.equal(e.uncertaintyMs, 5);
  e.add(3000, 3000 + 250 + 1, 3002); // rtt 2
  assert.equal(e.offsetMs, 250);
  assert.equal(e.uncertaintyMs, 1);
  assert.equal(e.serverNowMs(10_000), 10_250);
  assert.equal(e.add(5000, 5000, 4999), null, 't1 < t0 is ignored');
  for (let i = 0; i < 4; i++) e.add(6000 + i * 10, 6000 + i * 10 + 5, 6000 + i * 10 + 50); // rtt 50, offset 5 − 25
  assert.equal(e.samples, 4);
  assert.equal(e.offsetMs, -20, 'old samples left the window');
});
