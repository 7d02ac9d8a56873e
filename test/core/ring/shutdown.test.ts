/**
 * Closing a ring stops every side that waits on it, whatever its wait strategy: a
 * producer blocked on a full SPSC ring, a consumer idle on an empty one, a parked
 * broadcast consumer. The block runs park with a timeout far beyond the test's limit,
 * so only the close wake-up can end them in time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BroadcastRing, RingStatus, SpscRing, type WaitOptions, type WaitStrategyName } from '../../../src/core/ring/index.js';
import type { WaitingPeerConfig, WaitingPeerResult } from './fixtures/waiting-peer.js';
import { startWorker } from './fixtures/workers.js';

const PEER = new URL('./fixtures/waiting-peer.js', import.meta.url);
const LIMIT_MS = 10_000;

function waitOptions(strategy: WaitStrategyName): WaitOptions {
  return { strategy, parkTimeoutMs: 60_000 };
}

async function until(what: string, cond: () => boolean): Promise<void> {
  const end = Date.now() + LIMIT_MS;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('closing a ring', () => {
  for (const strategy of ['spin', 'backoff', 'block'] as const) {
    it(`wakes a producer waiting on a full SPSC ring (${strategy})`, async () => {
      const ring = SpscRing.create({ capacity: 8 });
      const w = startWorker<WaitingPeerResult>(PEER, { mode: 'spsc-producer', buffer: ring.buffer, wait: waitOptions(strategy), deadlineMs: LIMIT_MS } satisfies WaitingPeerConfig, LIMIT_MS + 5000);
      await until('the producer found the ring full', () => ring.stats().full > 0);
      if (strategy === 'block') await until('the producer parked', () => ring.stats().producerParked);
      if (strategy === 'backoff') await until('the producer slept', () => ring.stats().producerParks > 0);
      const t0 = performance.now();
      ring.close();
      const r = await w.result;
      assert.deepEqual(r, { status: RingStatus.CLOSED, records: 8 });
      console.log(`# ${strategy} producer returned ${(performance.now() - t0).toFixed(2)} ms after close`);
    });

    it(`wakes a consumer idle on an empty SPSC ring (${strategy})`, async () => {
      const ring = SpscRing.create({ capacity: 8 });
      const w = startWorker<WaitingPeerResult>(PEER, { mode: 'spsc-consumer', buffer: ring.buffer, wait: waitOptions(strategy), deadlineMs: LIMIT_MS } satisfies WaitingPeerConfig, LIMIT_MS + 5000);
      await w.signal('subscribed');
      if (strategy === 'block') await until('the consumer parked', () => ring.stats().consumerParked);
      if (strategy === 'backoff') await until('the consumer slept', () => ring.stats().consumerParks > 0);
      ring.close();
      assert.deepEqual(await w.result, { status: RingStatus.CLOSED, records: 0 });
    });
  }

  it('wakes a parked broadcast consumer', async () => {
    const ring = BroadcastRing.create({ capacity: 8, consumers: 1 });
    const w = startWorker<WaitingPeerResult>(PEER, { mode: 'broadcast-consumer', buffer: ring.buffer, wait: waitOptions('block'), deadlineMs: LIMIT_MS } satisfies WaitingPeerConfig, LIMIT_MS + 5000);
    await w.signal('subscribed');
    await until('the consumer parked', () => ring.consumerStats(0).parked);
    ring.close();
    assert.deepEqual(await w.result, { status: RingStatus.CLOSED, records: 0 });
  });
});
