import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BroadcastRing, RingError, SpscRing, defaultWaitStrategy } from '../../../src/core/ring/index.js';
import type { WaitingPeerConfig, WaitingPeerResult } from './fixtures/waiting-peer.js';
import { startWorker } from './fixtures/workers.js';

const PEER = new URL('./fixtures/waiting-peer.js', import.meta.url);
const LIMIT_MS = 10_000;

async function until(what: string, cond: () => boolean): Promise<void> {
  const end = Date.now() + LIMIT_MS;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('wait strategies', () => {
  it('are chosen by name, and a bad name or option is refused with a code', () => {
    const ring = SpscRing.create({ capacity: 8 });
    for (const name of ['spin', 'backoff', 'block'] as const) assert.equal(ring.consumer(name).idleStrategy.name, name);
    assert.throws(() => ring.consumer('sleep' as 'spin'), (e: unknown) => e instanceof RingError && e.code === 'RING_WAIT_STRATEGY' && e.message.includes('"sleep"'));
    assert.throws(() => ring.producer({ strategy: 'backoff', maxParkUs: -1 }), (e: unknown) => e instanceof RingError && e.code === 'RING_WAIT_STRATEGY');
  });

  it('default to spinning only when every thread can have a core', () => {
    assert.equal(defaultWaitStrategy(4, 2), 'backoff');
    assert.equal(defaultWaitStrategy(2, 2), 'backoff');
    assert.equal(defaultWaitStrategy(4, 16), 'spin');
  });

  it('block: the producer notifies only a consumer that said it parked', async () => {
    const ring = SpscRing.create({ capacity: 64 });
    const p = ring.producer('spin');
    const local = ring.consumer('spin');
    for (let i = 0; i < 1000; i++) {
      p.view.setInt32(p.tryClaim(), i, true);
      p.commit();
      local.poll(() => {});
    }
    assert.equal(ring.stats().producerNotifies, 0, 'nobody parked, nobody notified');

    const w = startWorker<WaitingPeerResult>(
      PEER,
      { mode: 'spsc-consumer', buffer: ring.buffer, wait: { strategy: 'block', parkTimeoutMs: 60_000 }, stopAfter: 1, deadlineMs: LIMIT_MS } satisfies WaitingPeerConfig,
      LIMIT_MS + 5000,
    );
    await w.signal('subscribed');
    await until('the consumer parked', () => ring.stats().consumerParked);
    p.view.setInt32(p.tryClaim(), 1000, true);
    p.commit();
    assert.equal(ring.stats().producerNotifies, 1);
    assert.deepEqual(await w.result, { status: 0, records: 1 });
    assert.ok(ring.stats().consumerParks >= 1);
  });

  it('backoff: the consumer sleeps in short timeouts and is never notified', async () => {
    const ring = BroadcastRing.create({ capacity: 64, consumers: 1 });
    const p = ring.producer();
    const w = startWorker<WaitingPeerResult>(
      PEER,
      { mode: 'broadcast-consumer', buffer: ring.buffer, wait: { strategy: 'backoff', spins: 10, minParkUs: 500, maxParkUs: 500 }, stopAfter: 1, deadlineMs: LIMIT_MS } satisfies WaitingPeerConfig,
      LIMIT_MS + 5000,
    );
    await w.signal('subscribed');
    await until('the consumer slept a few times', () => ring.consumerStats(0).parks >= 3);
    p.view.setInt32(p.claim(), 1, true);
    p.commit();
    assert.deepEqual(await w.result, { status: 0, records: 1 });
    assert.equal(ring.producerNotifies, 0);
  });
});
